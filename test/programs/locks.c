// Advisory locks between processes: flock(2) (EWOULDBLOCK, blocking wait released by the holder's close,
// conversion, sharing through fork and dup, release at last close, EINTR and SA_RESTART), fcntl record locks
// (F_GETLK reporting the holder, split and merge, SEEK_CUR/SEEK_END and negative l_len, release when any fd
// of the file is closed, not inherited by fork, F_SETLKW waits, EDEADLK) and OFD locks (l_pid -1, owned by
// the open file description). Sleeps only give a blocked peer time to park; no output depends on timing.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wait-blocked.h"

#define SHOW(label, call) do { errno = 0; int r_ = (call); printf("%s: %d %s\n", label, r_, r_ < 0 ? strerror(errno) : "ok"); fflush(stdout); } while (0)

static const char *F = "locks.data";
static int handled;
static void on_alarm(int s) { (void)s; handled++; }

static void catch_alarm(int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = flags;
  sigaction(SIGALRM, &sa, NULL);
}

static void arm(long ms) {
  struct itimerval it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
}

static int lk(int fd, int cmd, short type, short whence, off_t start, off_t len) {
  struct flock l = {.l_type = type, .l_whence = whence, .l_start = start, .l_len = len};
  return fcntl(fd, cmd, &l);
}

/** F_GETLK (or F_OFD_GETLK) of a write (or read) lock at [start, start+len): what holds it. */
static void getlk(const char *label, int fd, int cmd, short type, off_t start, off_t len, pid_t parent) {
  struct flock l = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
  if (fcntl(fd, cmd, &l) < 0) { printf("%s: %s\n", label, strerror(errno)); return; }
  if (l.l_type == F_UNLCK) { printf("%s: unlocked\n", label); fflush(stdout); return; }
  printf("%s: %s start %lld len %lld pid %s\n", label, l.l_type == F_WRLCK ? "W" : "R", (long long)l.l_start,
         (long long)l.l_len, l.l_pid == parent ? "parent" : l.l_pid == -1 ? "-1" : l.l_pid == getpid() ? "self" : "other");
  fflush(stdout);
}

static void sync_read(int fd) { char c; if (read(fd, &c, 1) != 1) exit(9); }
static void sync_write(int fd) { if (write(fd, "x", 1) != 1) exit(9); }

static int wait_child(pid_t pid) { int st; waitpid(pid, &st, 0); return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st); }

static void flock_tests(void) {
  int a = open(F, O_RDWR | O_CREAT, 0644);
  SHOW("flock bad op", flock(a, 3));
  SHOW("flock EX", flock(a, LOCK_EX));
  SHOW("flock EX again", flock(a, LOCK_EX | LOCK_NB));
  int b = open(F, O_RDONLY);
  SHOW("other OFD SH NB", flock(b, LOCK_SH | LOCK_NB));
  SHOW("convert to SH", flock(a, LOCK_SH | LOCK_NB));
  SHOW("other OFD SH NB", flock(b, LOCK_SH | LOCK_NB));
  SHOW("convert to EX while shared", flock(a, LOCK_EX | LOCK_NB));
  SHOW("other unlock", flock(b, LOCK_UN));
  SHOW("convert to EX", flock(a, LOCK_EX | LOCK_NB));

  // A dup shares the lock; it goes with the last close of the description.
  int d = dup(a);
  close(a);
  SHOW("after closing one dup", flock(b, LOCK_SH | LOCK_NB));
  close(d);
  SHOW("after last close", flock(b, LOCK_EX | LOCK_NB));
  flock(b, LOCK_UN);

  // Inherited through fork: the child's fd is the same description, so the child can unlock it.
  a = open(F, O_RDWR);
  flock(a, LOCK_EX);
  pid_t pid = fork();
  if (pid == 0) {
    SHOW("child same OFD EX NB", flock(a, LOCK_EX | LOCK_NB));
    int c = open(F, O_RDONLY);
    SHOW("child new OFD SH NB", flock(c, LOCK_SH | LOCK_NB));
    SHOW("child unlocks shared OFD", flock(a, LOCK_UN));
    _exit(0);
  }
  wait_child(pid);
  SHOW("parent sees it unlocked", flock(b, LOCK_EX | LOCK_NB));
  flock(b, LOCK_UN);

  // A blocking wait ends when the holder closes; the holder marks the pipe before closing.
  int p[2];
  pipe(p);
  flock(a, LOCK_EX);
  pid = fork();
  if (pid == 0) {
    close(a); // the inherited fd shares the parent's description: it would keep the lock alive
    int c = open(F, O_RDWR);
    SHOW("child NB", flock(c, LOCK_EX | LOCK_NB));
    sync_write(p[1]);
    SHOW("child blocking EX", flock(c, LOCK_EX));
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    char m;
    printf("child: holder had closed: %d\n", read(p[0], &m, 1) == 1);
    _exit(0);
  }
  sync_read(p[0]);
  wait_blocked(pid);
  sync_write(p[1]);
  close(a);
  wait_child(pid);
  close(p[0]);
  close(p[1]);

  // EINTR without SA_RESTART; with SA_RESTART the wait resumes after the handler.
  int q[2];
  pipe(p);
  pipe(q);
  pid = fork();
  if (pid == 0) {
    int c = open(F, O_RDWR);
    flock(c, LOCK_EX);
    sync_write(q[1]);
    sync_read(p[0]);
    usleep(600000);
    close(c);
    _exit(0);
  }
  sync_read(q[0]);
  a = open(F, O_RDWR);
  catch_alarm(0);
  arm(100);
  SHOW("flock interrupted", flock(a, LOCK_EX));
  printf("handled %d\n", handled);
  catch_alarm(SA_RESTART);
  sync_write(p[1]);
  arm(200);
  SHOW("flock restarted", flock(a, LOCK_EX));
  printf("handled %d\n", handled);
  wait_child(pid);
  close(a);
  close(b);
  close(p[0]); close(p[1]); close(q[0]); close(q[1]);
}

static void record_tests(void) {
  pid_t me = getpid();
  int a = open(F, O_RDWR);
  int ro = open(F, O_RDONLY);
  SHOW("W on read-only fd", lk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
  SHOW("bad type", lk(a, F_SETLK, 7, SEEK_SET, 0, 1));
  SHOW("bad whence", lk(a, F_SETLK, F_WRLCK, 9, 0, 1));
  SHOW("negative start", lk(a, F_SETLK, F_WRLCK, SEEK_SET, -1, 1));
  SHOW("len before 0", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 2, -3));
  SHOW("GETLK F_UNLCK", lk(a, F_GETLK, F_UNLCK, SEEK_SET, 0, 1));
  SHOW("W [0,10)", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
  SHOW("R [20,EOF)", lk(a, F_SETLK, F_RDLCK, SEEK_SET, 20, 0));
  getlk("own locks never conflict", a, F_GETLK, F_WRLCK, 0, 100, me);
  lseek(a, 100, SEEK_SET);
  SHOW("W SEEK_CUR -10 len -5", lk(a, F_SETLK, F_WRLCK, SEEK_CUR, -10, -5));
  SHOW("W SEEK_END", lk(a, F_SETLK, F_WRLCK, SEEK_END, 1000, 10));

  int p[2], q[2];
  pipe(p);
  pipe(q);
  pid_t pid = fork();
  if (pid == 0) {
    int c = open(F, O_RDWR);
    getlk("child W at 5", c, F_GETLK, F_WRLCK, 5, 1, me);
    getlk("child W at 15", c, F_GETLK, F_WRLCK, 15, 1, me);
    getlk("child R at 25", c, F_GETLK, F_RDLCK, 25, 1, me);
    getlk("child W at 25", c, F_GETLK, F_WRLCK, 25, 1, me);
    getlk("child W [80,100)", c, F_GETLK, F_WRLCK, 80, 20, me);
    SHOW("child inherited none: W at 5", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
    SHOW("child W [10,20)", lk(c, F_SETLK, F_WRLCK, SEEK_SET, 10, 10));
    sync_write(q[1]);
    sync_read(p[0]);
    getlk("child after split at 0", c, F_GETLK, F_WRLCK, 0, 1, me);
    getlk("child after split at 6", c, F_GETLK, F_WRLCK, 6, 1, me);
    getlk("child after split at 3", c, F_GETLK, F_WRLCK, 3, 2, me);
    sync_write(q[1]);
    sync_read(p[0]);
    getlk("child after merge", c, F_GETLK, F_WRLCK, 4, 1, me);
    sync_write(q[1]);
    sync_read(p[0]);
    getlk("child after other fd closed", c, F_GETLK, F_WRLCK, 0, 0, me);
    sync_write(q[1]);
    // F_SETLKW waits for the parent's lock, and EDEADLK catches the parent waiting back.
    sync_read(p[0]);
    sync_write(q[1]);
    SHOW("child SETLKW on [0,1)", lk(c, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
    _exit(0);
  }
  sync_read(q[0]);
  SHOW("parent U [3,5)", lk(a, F_SETLK, F_UNLCK, SEEK_SET, 3, 2));
  sync_write(p[1]);
  sync_read(q[0]);
  SHOW("parent W [3,5)", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 3, 2));
  sync_write(p[1]);
  sync_read(q[0]);
  int other = open(F, O_RDONLY);
  close(other);
  sync_write(p[1]);
  sync_read(q[0]);
  SHOW("parent W [0,1)", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
  SHOW("parent W [10,20) held by child", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 10, 10));
  getlk("parent sees child", a, F_GETLK, F_WRLCK, 12, 1, me);
  sync_write(p[1]);
  sync_read(q[0]);
  wait_blocked(pid);
  SHOW("parent SETLKW [10,11): deadlock", lk(a, F_SETLKW, F_WRLCK, SEEK_SET, 10, 1));
  // the child wakes and prints: the parent's line waits for its exit, so the order is fixed
  errno = 0;
  int u = lk(a, F_SETLK, F_UNLCK, SEEK_SET, 0, 1);
  int ue = errno, st = wait_child(pid);
  printf("parent U [0,1): %d %s\nchild exit %d\n", u, u < 0 ? strerror(ue) : "ok", st);
  close(a);
  close(ro);
  close(p[0]); close(p[1]); close(q[0]); close(q[1]);
}

static void ofd_tests(void) {
  pid_t me = getpid();
  int a = open(F, O_RDWR), b = open(F, O_RDWR);
  struct flock l = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10, .l_pid = 1};
  SHOW("OFD l_pid 1", fcntl(a, F_OFD_SETLK, &l));
  SHOW("OFD W [0,10) on a", lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10));
  SHOW("OFD W on b", lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
  SHOW("classic W on b, same process", lk(b, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
  getlk("OFD_GETLK on b", b, F_OFD_GETLK, F_WRLCK, 0, 1, me);
  getlk("GETLK on b", b, F_GETLK, F_RDLCK, 9, 1, me);
  SHOW("classic W [20,30) on b", lk(b, F_SETLK, F_WRLCK, SEEK_SET, 20, 10));
  getlk("OFD_GETLK on a sees classic", a, F_OFD_GETLK, F_WRLCK, 25, 1, me);
  int c = open(F, O_RDONLY);
  close(c);
  getlk("classic gone with another fd, OFD stays", a, F_OFD_GETLK, F_WRLCK, 0, 100, me);
  getlk("b sees a's OFD lock", b, F_OFD_GETLK, F_WRLCK, 0, 100, me);
  pid_t pid = fork();
  if (pid == 0) {
    SHOW("child OFD W on inherited a", lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 20));
    SHOW("child OFD W on inherited b", lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1));
    _exit(0);
  }
  wait_child(pid);
  getlk("parent sees the child's change", b, F_OFD_GETLK, F_WRLCK, 15, 1, me);
  int d = dup(a);
  close(a);
  getlk("after closing one dup", b, F_OFD_GETLK, F_WRLCK, 0, 1, me);
  close(d);
  getlk("after last close", b, F_OFD_GETLK, F_WRLCK, 0, 100, me);
  SHOW("OFD_SETLKW free range", lk(b, F_OFD_SETLKW, F_RDLCK, SEEK_SET, 0, 0));
  close(b);
}

int main(void) {
  unlink(F);
  flock_tests();
  record_tests();
  ofd_tests();
  unlink(F);
  return 0;
}
