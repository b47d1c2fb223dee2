// seccomp user notification: the main thread installs a filter with SECCOMP_FILTER_FLAG_NEW_LISTENER whose
// USER_NOTIF syscalls a supervisor thread (created before, so unfiltered) receives and answers with a value,
// an errno, "continue", or an fd it adds (ADDFD); ID_VALID, poll readiness, the ioctls' checks, a signal
// that interrupts a waiting call (its notification goes, the restarted call makes a new one), EBUSY for a
// second listener, and ENOSYS for waiting and later calls once the listener is closed.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

#define LOAD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define NOTIFY_IF(n) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, n, 0, 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF)

static int listener = -1, spare[2];
static pid_t main_tid;
static long added;

static long install(unsigned flags) {
  struct sock_filter f[] = { LOAD_NR, NOTIFY_IF(SYS_getppid), NOTIFY_IF(SYS_getpid), NOTIFY_IF(SYS_getuid), NOTIFY_IF(SYS_getpgid),
    NOTIFY_IF(SYS_getsid), NOTIFY_IF(SYS_getgid), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
  struct sock_fprog p = { sizeof f / sizeof f[0], f };
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &p);
}

/** Receive the next notification, printing what the supervisor sees. */
static struct seccomp_notif recv_one(void) {
  struct seccomp_notif n;
  memset(&n, 0, sizeof n);
  if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &n) < 0) { perror("RECV"); exit(1); }
  printf("  supervisor: nr %d arch %#x from main %d arg0 %llu flags %u\n", n.data.nr, n.data.arch, n.pid == main_tid,
    (unsigned long long)n.data.args[0], n.flags);
  return n;
}

static long answer(uint64_t id, int64_t val, int32_t error, uint32_t flags) {
  struct seccomp_notif_resp r = { .id = id, .val = val, .error = error, .flags = flags };
  return ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &r);
}

/** An answer that wakes main: said before it is sent (main prints as soon as it wakes), failures counted. */
static int failed_answers;
static void reply(const char *what, uint64_t id, int64_t val, int32_t error, uint32_t flags) {
  printf("  supervisor: %s\n", what);
  if (answer(id, val, error, flags) < 0) failed_answers++;
}

static void on_usr1(int sig) { (void)sig; }

static void *supervisor(void *arg) {
  (void)arg;
  char c;
  read(spare[0], &c, 1); // the listener is there
  struct pollfd p = { listener, POLLIN | POLLOUT, 0 };
  show("  supervisor: poll", poll(&p, 1, -1));
  printf("  supervisor: revents %#x\n", p.revents);
  struct seccomp_notif n = recv_one(); // getppid: a value
  p.revents = 0;
  poll(&p, 1, 0);
  printf("  supervisor: revents after RECV %#x\n", p.revents);
  show("  supervisor: ID_VALID", ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &n.id));
  uint64_t bogus = n.id + 1000;
  show("  supervisor: ID_VALID(other)", ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &bogus));
  show("  supervisor: SEND bad flags", answer(n.id, 0, 0, 2));
  show("  supervisor: SEND continue with a value", answer(n.id, 1, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE));
  show("  supervisor: SEND other id", answer(bogus, 0, 0, 0));
  reply("SEND 4242", n.id, 4242, 0, 0);
  n = recv_one(); // getpid: an errno
  reply("SEND -EPERM", n.id, 0, -EPERM, 0);
  n = recv_one(); // getuid: runs for real
  reply("SEND continue", n.id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
  n = recv_one(); // getpgid: answered with an fd added to the caller
  struct seccomp_notif_addfd a = { .id = n.id, .flags = SECCOMP_ADDFD_FLAG_SEND, .srcfd = spare[1] };
  struct seccomp_notif_addfd bad = { .id = n.id, .newfd = 50 };
  show("  supervisor: ADDFD newfd without SETFD", ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &bad));
  added = ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &a); // answers the call: print nothing until main has
  n = recv_one(); // getsid: interrupted by a signal, then asked again
  syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
  struct seccomp_notif again = recv_one();
  printf("  supervisor: the restarted call's id is the next one: %d\n", again.id == n.id + 1);
  show("  supervisor: SEND to the interrupted one", answer(n.id, 1, 0, 0));
  reply("SEND 77", again.id, 77, 0, 0);
  recv_one(); // getgid: the listener closes under it
  printf("  supervisor: close\n");
  if (close(listener) < 0) failed_answers++;
  return NULL;
}

static int hup_listener;
static void *install_and_leave(void *arg) {
  (void)arg;
  hup_listener = install(SECCOMP_FILTER_FLAG_NEW_LISTENER);
  struct pollfd p = { hup_listener, POLLIN | POLLOUT, 0 };
  show("  thread: its own listener >= 3", hup_listener >= 3 ? 0 : -1);
  show("  thread: poll while it lives", poll(&p, 1, 0));
  return NULL;
}

/** The listener of a filter no live task uses any more polls HUP (its users dropped at exit). */
static void hangup(void) {
  pthread_t t;
  pthread_create(&t, NULL, install_and_leave, NULL);
  pthread_join(t, NULL);
  struct pollfd p = { hup_listener, POLLIN | POLLOUT, 0 };
  show("listener of a thread that exited: poll", poll(&p, 1, 5000));
  printf("revents %#x\n", p.revents);
}

int main(void) {
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);
  // natively the program runs chrooted in a mount namespace of its own: give it the /proc pbash has
  if (access("/proc/self/fd", R_OK) < 0 && mount("proc", "/proc", "proc", 0, NULL) < 0) perror("mount /proc");
  struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
  sigaction(SIGUSR1, &sa, NULL);
  pid_t c = fork(); // before any filter: a process of its own whose thread makes one and exits
  if (c == 0) { hangup(); fflush(stdout); _exit(0); }
  waitpid(c, NULL, 0);
  main_tid = gettid();
  pipe(spare);
  pthread_t s;
  pthread_create(&s, NULL, supervisor, NULL);
  show("WAIT_KILLABLE_RECV without NEW_LISTENER", install(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV));
  listener = install(SECCOMP_FILTER_FLAG_NEW_LISTENER);
  show("install with NEW_LISTENER >= 3", listener >= 3 ? 0 : -1);
  show("FD_CLOEXEC", fcntl(listener, F_GETFD));
  char link[64] = "", path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", listener);
  readlink(path, link, sizeof link - 1);
  printf("listener: %s\n", link);
  show("a second listener", install(SECCOMP_FILTER_FLAG_NEW_LISTENER));
  struct seccomp_notif dirty = { .id = 1 };
  show("RECV into a non-zeroed struct", ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &dirty));
  show("unknown ioctl", ioctl(listener, _IOW('!', 9, uint64_t), &dirty));
  struct pollfd p = { listener, POLLIN | POLLOUT, 0 };
  show("poll with nothing pending", poll(&p, 1, 0));
  fflush(stdout);
  write(spare[1], "x", 1);
  show("getppid", syscall(SYS_getppid, 1));
  show("getpid", syscall(SYS_getpid, 2));
  show("getuid", syscall(SYS_getuid, 3));
  long fd = syscall(SYS_getpgid, 0);
  struct stat st;
  show("getpgid gave a pipe", fd >= 3 && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) ? 0 : -1);
  show("getsid, interrupted and restarted", syscall(SYS_getsid, 0));
  show("getgid, listener closed while waiting", syscall(SYS_getgid, 6));
  pthread_join(s, NULL);
  printf("ADDFD|SEND returned the fd getpgid got: %d\n", added == fd);
  printf("failed answers: %d\n", failed_answers);
  show("getppid, no listener", syscall(SYS_getppid, 1));
  show("a new listener once the first is closed >= 3", install(SECCOMP_FILTER_FLAG_NEW_LISTENER) >= 3 ? 0 : -1);
  return 0;
}
