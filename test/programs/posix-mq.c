// POSIX message queues: priorities (highest first, FIFO within one), O_NONBLOCK EAGAIN on full and empty
// queues, timeouts (ETIMEDOUT), blocking across fork, mq_getsetattr, mq_notify with SIGEV_THREAD and SIGEV_SIGNAL (si_code,
// si_value) and SIGEV_NONE, poll on a queue descriptor, reading it, names, limits and the error cases
// (EEXIST, ENOENT, EINVAL, EMSGSIZE, EBADF, EACCES as nobody). Run natively in a private IPC namespace.
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <dirent.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

static volatile sig_atomic_t got_sig, got_code, got_value, got_pid_is_me;

static void on_usr1(int s, siginfo_t *si, void *ctx) {
  (void)ctx;
  got_sig = s;
  got_code = si->si_code;
  got_value = si->si_value.sival_int;
  got_pid_is_me = si->si_pid == getpid();
}

static volatile sig_atomic_t alarms;
static void on_alarm(int s) { (void)s; alarms++; }

static void recv1(const char *what, mqd_t q, size_t size) {
  char buf[9000];
  unsigned prio = 99;
  long r = mq_receive(q, buf, size, &prio);
  if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %ld prio %u \"%.*s\"\n", what, r, prio, (int)r, buf);
}

static int child_status(pid_t pid) {
  int st;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static struct timespec in_ms(long ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += ms * 1000000;
  ts.tv_sec += ts.tv_nsec / 1000000000;
  ts.tv_nsec %= 1000000000;
  return ts;
}

static int notify_pipe[2];
static void on_notify(union sigval v) {
  if (write(notify_pipe[1], &v.sival_int, sizeof v.sival_int) < 0) _exit(5);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  umask(022);
  struct mq_attr attr = { 0, 4, 64, 0 };
  mqd_t q = mq_open("/pbash-mq", O_CREAT | O_EXCL | O_RDWR, 0666, &attr);
  show("mq_open create", q < 0 ? -1 : 0);
  struct stat st;
  fstat(q, &st);
  printf("mode %o size %ld regular %d\n", st.st_mode & 07777, (long)st.st_size, S_ISREG(st.st_mode));
  show("EEXIST", mq_open("/pbash-mq", O_CREAT | O_EXCL | O_RDWR, 0600, &attr));
  show("ENOENT", mq_open("/pbash-none", O_RDWR));
  show("no slash (glibc)", mq_open("pbash-mq", O_RDWR));
  show("slash inside", syscall(SYS_mq_open, "a/b", O_RDWR | O_CREAT, 0600, NULL));
  show("empty name", syscall(SYS_mq_open, "", O_RDWR | O_CREAT, 0600, NULL));
  char longname[300];
  memset(longname, 'n', sizeof longname - 1);
  longname[sizeof longname - 1] = 0;
  show("long name", syscall(SYS_mq_open, longname, O_RDWR | O_CREAT, 0600, NULL));
  show("accmode 3 existing", mq_open("/pbash-mq", 3));
  struct mq_attr bad = { 0, 0, 64, 0 };
  show("maxmsg 0", mq_open("/pbash-bad", O_CREAT | O_RDWR, 0600, &bad));
  bad.mq_maxmsg = 70000;
  show("maxmsg over hard limit", mq_open("/pbash-bad", O_CREAT | O_RDWR, 0600, &bad));

  // priorities: highest first, FIFO within one
  show("send a/1", mq_send(q, "a", 1, 1));
  show("send b/5", mq_send(q, "bb", 2, 5));
  show("send c/1", mq_send(q, "ccc", 3, 1));
  show("send d/5", mq_send(q, "dddd", 4, 5));
  struct mq_attr now;
  mq_getattr(q, &now);
  printf("flags %ld maxmsg %ld msgsize %ld curmsgs %ld\n", now.mq_flags, now.mq_maxmsg, now.mq_msgsize, now.mq_curmsgs);
  char status[128] = "";
  lseek(q, 0, SEEK_SET);
  long n = read(q, status, sizeof status - 1);
  printf("read %ld: %s", n, status);
  show("seek end", lseek(q, -20, SEEK_END));
  show("seek cur", lseek(q, 5, SEEK_CUR));
  show("seek before 0", lseek(q, -100, SEEK_CUR));
  show("read at 65", read(q, status, sizeof status - 1));
  struct pollfd pf = { q, POLLIN | POLLOUT, 0 };
  show("poll full", poll(&pf, 1, 0));
  printf("revents in %d out %d\n", !!(pf.revents & POLLIN), !!(pf.revents & POLLOUT));
  struct timespec ts = in_ms(30);
  double t0 = clock_secs(CLOCK_MONOTONIC);
  show("timedsend full", mq_timedsend(q, "e", 1, 0, &ts));
  show("waited >= 30ms", clock_secs(CLOCK_MONOTONIC) - t0 >= 0.029);
  struct mq_attr nb = { O_NONBLOCK, 0, 0, 0 }, old;
  show("setattr nonblock", mq_setattr(q, &nb, &old));
  printf("old flags %ld\n", old.mq_flags);
  show("send nonblock full", mq_send(q, "e", 1, 0));
  show("prio too big", mq_send(q, "e", 1, 32768));
  show("message too long", mq_send(q, status, 65, 0));
  recv1("small buffer", q, 63);
  recv1("r1", q, 64);
  recv1("r2", q, 64);
  recv1("r3", q, 64);
  recv1("r4", q, 64);
  recv1("empty nonblock", q, 64);
  nb.mq_flags = 0;
  mq_setattr(q, &nb, NULL);
  ts = in_ms(30);
  char buf[64];
  show("timedreceive empty", mq_timedreceive(q, buf, 64, NULL, &ts));
  ts.tv_nsec = 2000000000;
  show("bad timeout", mq_timedreceive(q, buf, 64, NULL, &ts));
  pf.revents = 0;
  show("poll empty", poll(&pf, 1, 0));
  printf("revents in %d out %d\n", !!(pf.revents & POLLIN), !!(pf.revents & POLLOUT));
  nb.mq_flags = O_APPEND;
  show("setattr bad flag", mq_setattr(q, &nb, NULL));

  // a receiver blocked in a child is woken by a send
  pid_t pid = fork();
  if (pid == 0) {
    unsigned prio;
    long r = mq_receive(q, buf, 64, &prio);
    _exit(r == 5 && prio == 9 && memcmp(buf, "hello", 5) == 0 ? 20 : 1);
  }
  usleep(20000);
  show("send to waiter", mq_send(q, "hello", 5, 9));
  show("receiver", child_status(pid));

  // poll wakes when a message arrives
  pid = fork();
  if (pid == 0) { usleep(20000); mqd_t w = mq_open("/pbash-mq", O_WRONLY); mq_send(w, "p", 1, 0); _exit(0); }
  pf.events = POLLIN;
  show("poll wait", poll(&pf, 1, 5000));
  child_status(pid);
  recv1("polled", q, 64);

  // epoll on a queue descriptor: writable while not full, readable once a message waits
  int ep = epoll_create1(0);
  struct epoll_event ev = { EPOLLIN | EPOLLOUT, { .u32 = 7 } }, out;
  show("epoll add", epoll_ctl(ep, EPOLL_CTL_ADD, q, &ev));
  show("epoll ready", epoll_wait(ep, &out, 1, 0));
  printf("events in %d out %d\n", !!(out.events & EPOLLIN), !!(out.events & EPOLLOUT));
  ev.events = EPOLLIN;
  epoll_ctl(ep, EPOLL_CTL_MOD, q, &ev);
  pid = fork();
  if (pid == 0) { usleep(20000); mqd_t w = mq_open("/pbash-mq", O_WRONLY); mq_send(w, "ep", 2, 0); _exit(0); }
  show("epoll wait", epoll_wait(ep, &out, 1, 5000));
  printf("events in %d data %u\n", !!(out.events & EPOLLIN), out.data.u32);
  child_status(pid);
  recv1("epolled", q, 64);
  close(ep);

  // a blocked mq_receive is restarted after an SA_RESTART handler, and fails with EINTR without one
  struct sigaction alrm = { 0 };
  alrm.sa_handler = on_alarm;
  alrm.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &alrm, NULL);
  pid = fork();
  if (pid == 0) { usleep(80000); mqd_t w = mq_open("/pbash-mq", O_WRONLY); mq_send(w, "late", 4, 3); _exit(0); }
  ualarm(20000, 0);
  recv1("restarted receive", q, 64);
  printf("alarms %d\n", alarms);
  child_status(pid);
  alrm.sa_flags = 0;
  sigaction(SIGALRM, &alrm, NULL);
  ualarm(20000, 0);
  recv1("interrupted receive", q, 64);

  // mq_notify: SIGEV_SIGNAL fires once on the empty -> non-empty transition
  struct sigaction sa = { 0 };
  sa.sa_sigaction = on_usr1;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  struct sigevent sev = { 0 };
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGUSR1;
  sev.sigev_value.sival_int = 1234;
  show("notify", mq_notify(q, &sev));
  show("notify again EBUSY", mq_notify(q, &sev));
  lseek(q, 0, SEEK_SET);
  n = read(q, status, sizeof status - 1);
  status[n > 0 ? n : 0] = 0;
  unsigned long qsize;
  int kind, signo, npid;
  show("status fields", sscanf(status, "QSIZE:%lu NOTIFY:%d SIGNO:%d NOTIFY_PID:%d", &qsize, &kind, &signo, &npid));
  printf("registered: qsize %lu notify %d signo %d pid is me %d, %ld bytes\n", qsize, kind, signo, npid == getpid(), n);
  show("send", mq_send(q, "n", 1, 0));
  printf("signal %d code SI_MESGQ %d value %d from me %d\n", got_sig, got_code == SI_MESGQ, got_value, got_pid_is_me);
  got_sig = 0;
  show("send again", mq_send(q, "m", 1, 0));
  printf("second signal %d\n", got_sig);
  recv1("drain", q, 64);
  recv1("drain", q, 64);
  sev.sigev_notify = SIGEV_NONE;
  show("notify none", mq_notify(q, &sev));
  show("unregister", mq_notify(q, NULL));
  // closing the owner's descriptor drops its registration: another process may register then
  mqd_t q3 = mq_open("/pbash-mq", O_RDONLY);
  sev.sigev_notify = SIGEV_SIGNAL;
  show("notify on second descriptor", mq_notify(q3, &sev));
  mq_close(q3);
  pid = fork();
  if (pid == 0) _exit(mq_notify(q, &sev) == 0 ? 30 : 1);
  show("child registers after close", child_status(pid));
  sev.sigev_notify = 7;
  show("notify bad kind", mq_notify(q, &sev));
  show("notify bad fd", mq_notify(0, NULL));
  show("send on stdin", mq_send(0, "x", 1, 0));

  // SIGEV_THREAD: glibc's helper thread gets the kernel's cookie on its netlink socket and starts the function
  if (pipe(notify_pipe) == 0) {
    struct sigevent tev = { 0 };
    tev.sigev_notify = SIGEV_THREAD;
    tev.sigev_notify_function = on_notify;
    tev.sigev_value.sival_int = 4321;
    show("notify thread", mq_notify(q, &tev));
    show("notify thread again EBUSY", mq_notify(q, &tev));
    show("send for the thread", mq_send(q, "t", 1, 0));
    int got = 0;
    show("thread ran", read(notify_pipe[0], &got, sizeof got) == sizeof got ? 0 : -1);
    printf("thread value %d\n", got);
    recv1("drain", q, 64);
    show("notify thread, then unregister", mq_notify(q, &tev) || mq_notify(q, NULL));
    show("send with nobody registered", mq_send(q, "u", 1, 0));
    recv1("drain", q, 64);
    close(notify_pipe[0]);
    close(notify_pipe[1]);
  }

  // read-only descriptors cannot send; nobody cannot open a 0644 root queue for writing
  mqd_t ro = mq_open("/pbash-mq", O_RDONLY);
  show("send on read-only", mq_send(ro, "x", 1, 0));
  mq_close(ro);
  pid = fork();
  if (pid == 0) {
    if (setgid(65534) || setuid(65534)) _exit(99);
    show("nobody read-only", mq_open("/pbash-mq", O_RDONLY) < 0 ? -1 : 0);
    show("nobody read-write", mq_open("/pbash-mq", O_RDWR));
    show("nobody unlink", mq_unlink("/pbash-mq"));
    show("nobody create", mq_open("/pbash-nobody", O_CREAT | O_RDWR, 0600, NULL) < 0 ? -1 : 0);
    struct mq_attr big = { 0, 11, 8192, 0 };
    show("nobody over msg_max", mq_open("/pbash-nobody2", O_CREAT | O_RDWR, 0600, &big));
    show("nobody unlink own", mq_unlink("/pbash-nobody"));
    _exit(0);
  }
  child_status(pid);

  // the queue lives on after mq_unlink while open; the name is free at once
  show("unlink", mq_unlink("/pbash-mq"));
  show("unlink again", mq_unlink("/pbash-mq"));
  show("send after unlink", mq_send(q, "z", 1, 0));
  recv1("receive after unlink", q, 64);
  mqd_t q2 = mq_open("/pbash-mq", O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
  mq_getattr(q2, &now);
  printf("recreated with defaults: maxmsg %ld msgsize %ld curmsgs %ld\n", now.mq_maxmsg, now.mq_msgsize, now.mq_curmsgs);

  // the mqueue filesystem shows the queues: list, read a queue's status, unlink one with unlink(2)
  mq_send(q2, "four", 4, 2);
  char dir[] = "/tmp/pbash-mqfs-XXXXXX";
  show("mkdtemp", mkdtemp(dir) ? 0 : -1);
  show("mount mqueue", mount("none", dir, "mqueue", 0, NULL));
  DIR *d = opendir(dir);
  struct dirent *e;
  while (d && (e = readdir(d))) if (e->d_name[0] != '.') printf("entry %s type reg %d\n", e->d_name, e->d_type == DT_REG);
  if (d) closedir(d);
  char path[64];
  snprintf(path, sizeof path, "%s/pbash-mq", dir);
  stat(path, &st);
  printf("stat mode %o size %ld\n", st.st_mode, (long)st.st_size);
  int fd = open(path, O_RDONLY);
  n = read(fd, status, sizeof status - 1);
  status[n > 0 ? n : 0] = 0;
  printf("file: %.37s\n", status);
  close(fd);
  struct stat dst;
  stat(dir, &dst);
  printf("root mode %o\n", dst.st_mode);
  show("unlink file", unlink(path));
  show("mq_open after unlink", mq_open("/pbash-mq", O_RDWR));
  show("umount", umount(dir));
  rmdir(dir);
  return 0;
}
