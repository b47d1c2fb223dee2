// Signal semantics, printed line by line so a native run and a pbash run can be compared.
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t hits, last_code, last_from_self, nested;
static sigjmp_buf jump;

static void on_info(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  hits++;
  last_code = si->si_code;
  last_from_self = si->si_pid == getpid();
  if (sig == SIGUSR2) raise(SIGUSR1); // nested delivery inside a handler
  if (sig == SIGUSR1 && hits > 1) nested = 1;
}

static void on_fault(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  printf("fault sig=%d code=%d addr=%p\n", sig, si->si_code, si->si_addr);
  siglongjmp(jump, 1);
}

static void on_alarm(int sig) { (void)sig; hits++; }

static char altstack[65536];
static void on_alt(int sig) {
  char here;
  (void)sig;
  printf("altstack used: %d\n", &here >= altstack && &here < altstack + sizeof altstack);
}

static void set(int sig, void (*fn)(int, siginfo_t *, void *), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = fn;
  sa.sa_flags = SA_SIGINFO | flags;
  sigaction(sig, &sa, NULL);
}

static void read_interrupted(int restart) {
  int p[2];
  pipe(p);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = restart ? SA_RESTART : 0;
  sigaction(SIGALRM, &sa, NULL);
  pid_t child = fork();
  if (child == 0) { close(p[0]); usleep(300000); write(p[1], "x", 1); _exit(0); }
  close(p[1]);
  struct itimerval it = {{0, 0}, {0, 50000}};
  setitimer(ITIMER_REAL, &it, NULL);
  char c;
  ssize_t n = read(p[0], &c, 1);
  printf("read with%s SA_RESTART: n=%zd errno=%s\n", restart ? "" : "out", n, n < 0 ? strerror(errno) : "-");
  waitpid(child, NULL, 0);
  close(p[0]);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  set(SIGUSR1, on_info, 0);
  set(SIGUSR2, on_info, 0);
  kill(getpid(), SIGUSR1);
  printf("kill self: hits=%d code=%d from_self=%d\n", hits, last_code, last_from_self);
  hits = 0;
  raise(SIGUSR2);
  printf("nested: hits=%d nested=%d\n", hits, nested);

  sigset_t block, pend, old;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &block, &old);
  hits = 0;
  kill(getpid(), SIGUSR1);
  sigpending(&pend);
  printf("blocked: hits=%d pending=%d\n", hits, sigismember(&pend, SIGUSR1));
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("unblocked: hits=%d\n", hits);

  read_interrupted(1);
  read_interrupted(0);

  set(SIGSEGV, on_fault, 0);
  set(SIGFPE, on_fault, 0);
  if (!sigsetjmp(jump, 1)) { volatile int *bad = (int *)0; *bad = 1; }
  printf("recovered from SIGSEGV\n");
  if (!sigsetjmp(jump, 1)) { volatile int z = 0; volatile int q = 10 / z; (void)q; }
  printf("recovered from SIGFPE\n");

  stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
  sigaltstack(&ss, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alt;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGWINCH, &sa, NULL);
  raise(SIGWINCH);

  // sigsuspend until the child's SIGCHLD arrives
  sigemptyset(&block);
  sigaddset(&block, SIGCHLD);
  sigprocmask(SIG_BLOCK, &block, &old);
  set(SIGCHLD, on_info, 0);
  hits = 0;
  pid_t c = fork();
  if (c == 0) _exit(3);
  sigset_t wait_mask;
  sigemptyset(&wait_mask);
  int r = sigsuspend(&wait_mask);
  printf("sigsuspend: r=%d errno=%s hits=%d code=%d\n", r, strerror(errno), hits, last_code);
  int st;
  waitpid(c, &st, 0);
  printf("child exited %d\n", WEXITSTATUS(st));
  sigprocmask(SIG_SETMASK, &old, NULL);

  // a child killed by SIGTERM, one stopped and continued
  c = fork();
  if (c == 0) { for (;;) pause(); }
  kill(c, SIGSTOP);
  waitpid(c, &st, WUNTRACED);
  printf("stopped: %d sig=%d\n", WIFSTOPPED(st), WSTOPSIG(st));
  kill(c, SIGCONT);
  waitpid(c, &st, WCONTINUED);
  printf("continued: %d\n", WIFCONTINUED(st));
  kill(c, SIGTERM);
  waitpid(c, &st, 0);
  printf("signaled: %d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));

  // ignored signals stay ignored across exec, caught ones reset: sh reports both
  signal(SIGUSR2, SIG_IGN);
  c = fork();
  if (c == 0) {
    execl("/bin/sh", "sh", "-c", "kill -USR2 $$; echo survived USR2; kill -USR1 $$; echo not reached", (char *)0);
    _exit(127);
  }
  waitpid(c, &st, 0);
  printf("exec child: signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));
  return 0;
}
