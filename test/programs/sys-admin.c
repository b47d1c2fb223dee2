// System-wide and administrative calls: membarrier, personality (uname under PER_LINUX32), sched_rr_get_interval,
// ioprio_get/set, readahead, sync_file_range, syslog, clock_settime/settimeofday/adjtimex/clock_adjtime,
// unshare, setns, restart_syscall. Run as root; whatever could change the machine (the clock, the kernel
// log, namespaces) is only asked for by a child that became nobody, where Linux refuses it too.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <pthread.h>
#include <unistd.h>
#include "report.h"

#define RSEQ_CMDS (128 | 256)  // MEMBARRIER_CMD_*_RSEQ: pbash has no rseq(2)
#define IOPRIO(cls, lvl) ((cls) << 13 | (lvl))

static long sys3(long nr, long a, long b, long c) { return syscall(nr, a, b, c); }

static void membarriers(void) {
  long q = sys3(SYS_membarrier, 0, 0, 0);
  printf("membarrier query (no RSEQ): %ld\n", q < 0 ? q : q & ~RSEQ_CMDS);
  for (int round = 0; round < 2; round++)
    for (int cmd = 1; cmd <= 64; cmd <<= 1) {
      char what[64];
      snprintf(what, sizeof what, "membarrier cmd %d round %d", cmd, round);
      show(what, sys3(SYS_membarrier, cmd, 0, 0));
    }
  long r = sys3(SYS_membarrier, 512, 0, 0);
  printf("membarrier registrations: %ld\n", r < 0 ? r : r & ~RSEQ_CMDS);
  show("membarrier flags 1", sys3(SYS_membarrier, 0, 1, 0));
  show("membarrier cmd 3", sys3(SYS_membarrier, 3, 0, 0));
  show("membarrier cmd 1024", sys3(SYS_membarrier, 1024, 0, 0));
}

static void personalities(void) {
  struct utsname u;
  printf("personality now: %#x\n", personality(0xffffffff));
  printf("set PER_LINUX32, old: %#x\n", personality(PER_LINUX32));
  uname(&u);
  printf("uname -m under PER_LINUX32: %s\n", u.machine);
  printf("set UNAME26, old: %#x\n", personality(PER_LINUX | UNAME26));
  uname(&u);
  printf("release under UNAME26 starts with 2.6.: %d, machine %s\n", strncmp(u.release, "2.6.", 4) == 0, u.machine);
  printf("set ADDR_NO_RANDOMIZE, old: %#x\n", personality(PER_LINUX | ADDR_NO_RANDOMIZE));
  pid_t pid = fork();
  if (pid == 0) _exit(personality(0xffffffff) == (PER_LINUX | ADDR_NO_RANDOMIZE));
  int st;
  waitpid(pid, &st, 0);
  printf("inherited by fork: %d\n", WEXITSTATUS(st));
  printf("back to PER_LINUX, old: %#x\n", personality(PER_LINUX));
}

static void rr_interval(void) {
  struct timespec ts;
  struct sched_param sp = {.sched_priority = 1};
  show("sched_setscheduler RR", sched_setscheduler(0, SCHED_RR, &sp));
  show("sched_rr_get_interval RR", sched_rr_get_interval(0, &ts));
  printf("RR quantum %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
  sched_setscheduler(0, SCHED_FIFO, &sp);
  sched_rr_get_interval(0, &ts);
  printf("FIFO quantum %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
  sp.sched_priority = 0;
  sched_setscheduler(0, SCHED_OTHER, &sp);
  show("sched_rr_get_interval OTHER", sched_rr_get_interval(0, &ts));
  show("sched_rr_get_interval -1", sched_rr_get_interval(-1, &ts));
  pid_t gone = fork();
  if (gone == 0) _exit(0);
  waitpid(gone, NULL, 0);
  show("sched_rr_get_interval of a reaped pid", sched_rr_get_interval(gone, &ts));
}

static void ioprios(void) {
  show("ioprio_get self", sys3(SYS_ioprio_get, 1, 0, 0));
  show("ioprio_set BE 3", sys3(SYS_ioprio_set, 1, 0, IOPRIO(2, 3)));
  printf("ioprio_get: %#lx\n", sys3(SYS_ioprio_get, 1, 0, 0));
  pid_t pid = fork();
  if (pid == 0) _exit(sys3(SYS_ioprio_get, 1, 0, 0) == IOPRIO(2, 3));
  int st;
  waitpid(pid, &st, 0);
  printf("inherited by fork: %d\n", WEXITSTATUS(st));
  show("ioprio_set RT 0 as root", sys3(SYS_ioprio_set, 1, 0, IOPRIO(1, 0)));
  show("ioprio_set IDLE", sys3(SYS_ioprio_set, 1, 0, IOPRIO(3, 0)));
  show("ioprio_set NONE 1", sys3(SYS_ioprio_set, 1, 0, IOPRIO(0, 1)));
  show("ioprio_set class 5", sys3(SYS_ioprio_set, 1, 0, IOPRIO(5, 0)));
  show("ioprio_set which 0", sys3(SYS_ioprio_set, 0, 0, IOPRIO(2, 0)));
  show("ioprio_get which 4", sys3(SYS_ioprio_get, 4, 0, 0));
  show("ioprio_set process group", sys3(SYS_ioprio_set, 2, 0, IOPRIO(2, 5)));
  printf("ioprio_get process group: %#lx\n", sys3(SYS_ioprio_get, 2, 0, 0));
  show("ioprio_set NONE", sys3(SYS_ioprio_set, 1, 0, 0));
}

static void file_hints(void) {
  char path[] = "pbash-sysadmin-XXXXXX"; // in the cwd: the program's directory
  int fd = mkstemp(path);
  write(fd, "hello", 5);
  int wr = open(path, O_WRONLY);
  int p[2];
  pipe(p);
  show("readahead on a file", syscall(SYS_readahead, fd, 0L, 4096L));
  show("readahead on a write-only fd", syscall(SYS_readahead, wr, 0L, 4096L));
  show("readahead on a pipe", syscall(SYS_readahead, p[0], 0L, 4096L));
  show("readahead on a closed fd", syscall(SYS_readahead, 99, 0L, 4096L));
  show("sync_file_range write+wait", sync_file_range(fd, 0, 0, 7));
  show("sync_file_range flags 8", sync_file_range(fd, 0, 0, 8));
  show("sync_file_range negative offset", sync_file_range(fd, -1, 0, 2));
  show("sync_file_range on a pipe", sync_file_range(p[1], 0, 0, 2));
  unlink(path);
}

/** The calls only nobody makes (refused by Linux before they change anything). */
static void as_nobody(void) {
  char buf[256];
  struct timespec ts = {.tv_sec = 1000};
  struct timeval tv = {.tv_sec = 1000};
  struct timezone tz = {.tz_minuteswest = 16 * 60};
  struct timex tx = {0};
  show("syslog READ_ALL", syscall(SYS_syslog, 3, buf, sizeof buf));
  show("syslog SIZE_BUFFER", syscall(SYS_syslog, 10, 0, 0));
  show("syslog CLEAR", syscall(SYS_syslog, 5, 0, 0));
  show("clock_settime REALTIME", clock_settime(CLOCK_REALTIME, &ts));
  show("clock_settime MONOTONIC", clock_settime(CLOCK_MONOTONIC, &ts));
  show("clock_settime PROCESS_CPUTIME", clock_settime(CLOCK_PROCESS_CPUTIME_ID, &ts));
  show("clock_settime clock 99", clock_settime(99, &ts));
  ts.tv_nsec = 1000000000;
  show("clock_settime bad tv_nsec", clock_settime(CLOCK_REALTIME, &ts));
  show("settimeofday", settimeofday(&tv, NULL));
  show("settimeofday tz only, 16h", settimeofday(NULL, &tz));
  tv.tv_usec = 1000001;
  show("settimeofday bad tv_usec", settimeofday(&tv, NULL));
  long r = adjtimex(&tx);
  struct timeval now;
  gettimeofday(&now, NULL);
  printf("adjtimex read: ok %d, time within 5s %d, tick %ld\n", r >= 0, labs(now.tv_sec - tx.time.tv_sec) < 5, tx.tick);
  tx.modes = ADJ_OFFSET;
  show("adjtimex ADJ_OFFSET", adjtimex(&tx));
  tx.modes = 0x8000;
  show("adjtimex ADJ_ADJTIME alone", adjtimex(&tx));
  tx.modes = ADJ_OFFSET_SS_READ;
  printf("adjtimex ADJ_OFFSET_SS_READ: ok %d\n", adjtimex(&tx) >= 0);
  tx.modes = 0;
  show("clock_adjtime MONOTONIC", syscall(SYS_clock_adjtime, CLOCK_MONOTONIC, &tx));
  show("clock_adjtime clock 99", syscall(SYS_clock_adjtime, 99, &tx));
  int pfd = syscall(SYS_pidfd_open, getpid(), 0);
  show("unshare NEWUTS", unshare(CLONE_NEWUTS));
  show("setns UTS", setns(pfd, CLONE_NEWUTS));
  show("setns NEWNS", setns(pfd, CLONE_NEWNS));
  show("setns NEWUSER", setns(pfd, CLONE_NEWUSER));
}

static void *idle_thread(void *p) { pause(); return p; }

static void namespaces(void) {
  int pfd = syscall(SYS_pidfd_open, getpid(), 0);
  show("unshare 0", unshare(0));
  show("unshare FILES|FS|SYSVSEM", unshare(CLONE_FILES | CLONE_FS | CLONE_SYSVSEM));
  show("unshare THREAD|VM|SIGHAND", unshare(CLONE_THREAD | CLONE_VM | CLONE_SIGHAND));
  show("unshare CLONE_PIDFD", unshare(CLONE_PIDFD));
  show("setns 0", setns(pfd, 0));
  show("setns NEWUSER", setns(pfd, CLONE_NEWUSER));
  show("setns UTS|NET|IPC|PID|CGROUP", setns(pfd, CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWCGROUP));
  show("setns CLONE_FILES", setns(pfd, CLONE_FILES));
  show("setns on a pipe", setns(1, CLONE_NEWUTS));
  show("setns on a closed fd", setns(99, CLONE_NEWUTS));
  int nsf = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
  show("setns uts file, nstype 0", setns(nsf, 0));
  show("setns uts file, NEWUTS", setns(nsf, CLONE_NEWUTS));
  show("setns uts file, NEWNET", setns(nsf, CLONE_NEWNET));
  show("ioctl NS_GET_NSTYPE is NEWUTS", ioctl(nsf, 0xb703) == CLONE_NEWUTS ? 0 : -1);
  show("ioctl 0xb7ff on a namespace", ioctl(nsf, 0xb7ff));
  char one;
  show("read of a namespace file", read(nsf, &one, 1));
  show("setns own user namespace file", setns(open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC), 0));
  char cwd[256];
  chdir("/tmp");
  show("setns NEWNS", setns(pfd, CLONE_NEWNS));
  printf("cwd after joining the mount namespace: %s\n", getcwd(cwd, sizeof cwd));
  pid_t z = fork();
  if (z == 0) _exit(0);
  int zfd = syscall(SYS_pidfd_open, z, 0);
  waitpid(z, NULL, WNOWAIT | WEXITED);
  show("setns on an exited process", setns(zfd, CLONE_NEWUTS));
  waitpid(z, NULL, 0);
  pthread_t th;
  pthread_create(&th, NULL, idle_thread, NULL);
  show("unshare THREAD with two threads", unshare(CLONE_THREAD));
  show("unshare FILES with two threads", unshare(CLONE_FILES));
  show("setns NEWNS with a shared fs", setns(pfd, CLONE_NEWNS));
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  membarriers();
  personalities();
  rr_interval();
  ioprios();
  file_hints();
  show("restart_syscall with nothing to restart", syscall(SYS_restart_syscall));
  pid_t pid = fork();
  if (pid == 0) {
    if (setgid(65534) || setuid(65534)) _exit(9);
    as_nobody();
    _exit(0);
  }
  int st;
  waitpid(pid, &st, 0);
  namespaces();
  return 0;
}
