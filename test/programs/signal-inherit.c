// Signals across fork and exec (mask kept, pending cleared by fork and kept by exec, SIG_IGN kept, alarm kept),
// a sigwait thread taking a process-directed signal every thread blocks, abort's status, and a process group
// stopped, continued and signalled as a whole (kill(-pgid)); a reaped group is gone (ESRCH).
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void print_set(const char *what, sigset_t *s) {
  printf("%s:", what); for (int i = 1; i < 65; i++) if (sigismember(s, i)) printf(" %d", i); printf("\n");
}
static void report(const char *what, int st) {
  if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("%s: killed by %d core=%d\n", what, WTERMSIG(st), WCOREDUMP(st) ? 1 : 0);
  else if (WIFSTOPPED(st)) printf("%s: stopped by %d\n", what, WSTOPSIG(st));
  else if (WIFCONTINUED(st)) printf("%s: continued\n", what);
}

static int child_main(const char *mode) {
  sigset_t s; sigprocmask(SIG_SETMASK, NULL, &s); print_set("  exec'd mask", &s);
  sigpending(&s); print_set("  exec'd pending", &s);
  struct sigaction sa;
  for (int sig = 1; sig < 65; sig++) if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) printf("  ignored %d\n", sig);
  if (!strcmp(mode, "alarm")) { unsigned left = alarm(0); printf("  alarm left>0: %d\n", left > 0); }
  return 0;
}

static void *waiter(void *a) {
  sigset_t *m = a; int sig; sigwait(m, &sig); printf("sigwait thread got %d\n", sig); return NULL;
}

static void on(int s) { (void)s; }
static const char *self; // argv[0]: an absolute path in the tests (chroot has no /proc)

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  self = argv[0];
  if (argc > 1) return child_main(argv[1]);
  // mask, pending and ignored signals across fork and exec
  signal(SIGUSR2, SIG_IGN); signal(SIGHUP, on); signal(SIGRTMIN + 4, SIG_IGN);
  sigset_t m; sigemptyset(&m); sigaddset(&m, SIGUSR1); sigaddset(&m, SIGRTMIN + 1); sigaddset(&m, SIGTERM);
  sigprocmask(SIG_BLOCK, &m, NULL);
  raise(SIGUSR1); sigqueue(getpid(), SIGRTMIN + 1, (union sigval){0});
  pid_t c = fork();
  if (c == 0) {
    sigset_t s; sigprocmask(SIG_SETMASK, NULL, &s); print_set("forked mask", &s);
    sigpending(&s); print_set("forked pending", &s);
    raise(SIGTERM);
    execl(self, self, "plain", (char *)0); _exit(127);
  }
  int st; waitpid(c, &st, 0); report("fork+exec child", st);
  // alarm survives exec
  c = fork();
  if (c == 0) { alarm(100); execl(self, self, "alarm", (char *)0); _exit(127); }
  waitpid(c, &st, 0); report("alarm child", st);
  signal(SIGUSR1, on); signal(SIGRTMIN + 1, on);
  sigprocmask(SIG_UNBLOCK, &m, NULL);
  signal(SIGUSR2, SIG_DFL); signal(SIGRTMIN + 4, SIG_DFL);

  // a dedicated sigwait thread while every thread blocks the signal
  sigset_t w; sigemptyset(&w); sigaddset(&w, SIGUSR2); sigprocmask(SIG_BLOCK, &w, NULL);
  pthread_t th; pthread_create(&th, NULL, waiter, &w);
  kill(getpid(), SIGUSR2);
  pthread_join(th, NULL);
  sigprocmask(SIG_UNBLOCK, &w, NULL);

  // abort/segv with RLIMIT_CORE 0: no core bit
  struct rlimit rl = {0, RLIM_INFINITY}; setrlimit(RLIMIT_CORE, &rl);
  c = fork(); if (c == 0) abort();
  waitpid(c, &st, 0); report("abort", st);
  c = fork(); if (c == 0) { signal(SIGABRT, on); abort(); }
  waitpid(c, &st, 0); report("abort with handler", st);
  c = fork(); if (c == 0) { sigset_t b; sigfillset(&b); sigprocmask(SIG_BLOCK, &b, NULL); abort(); }
  waitpid(c, &st, 0); report("abort blocked", st);
  c = fork(); if (c == 0) { raise(SIGQUIT); _exit(0); }
  waitpid(c, &st, 0); report("quit", st);

  // a process group: kill(-pgid), stop and continue of the group
  pid_t kids[3]; int p[2]; pipe(p);
  for (int i = 0; i < 3; i++) {
    kids[i] = fork();
    if (kids[i] == 0) { setpgid(0, i ? kids[0] : 0); signal(SIGUSR1, i == 0 ? SIG_IGN : SIG_DFL); close(p[0]); write(p[1], "x", 1); for (;;) pause(); }
    setpgid(kids[i], kids[0]);
  }
  char b; for (int i = 0; i < 3; i++) read(p[0], &b, 1);
  kill(-kids[0], SIGSTOP);
  for (int i = 0; i < 3; i++) { waitpid(kids[i], &st, WUNTRACED); report("group stop", st); }
  kill(-kids[0], SIGCONT);
  for (int i = 0; i < 3; i++) { waitpid(kids[i], &st, WCONTINUED); report("group cont", st); }
  printf("kill(-pgid, USR1): %d\n", kill(-kids[0], SIGUSR1));
  for (int i = 1; i < 3; i++) { waitpid(kids[i], &st, 0); report("group usr1", st); }
  printf("killpg 0: %d\n", killpg(kids[0], 0));
  kill(kids[0], SIGKILL); waitpid(kids[0], &st, 0); report("leader", st);
  int r = killpg(kids[0], 0); printf("killpg gone: %d %s\n", r, strerrorname_np(errno));
  r = kill(getpid(), 65); printf("kill bad sig: %d %s\n", r, strerrorname_np(errno));
  r = kill(-2147483647 - 1, 0); printf("kill -INT_MIN: %d %s\n", r, strerrorname_np(errno));
  return 0;
}
