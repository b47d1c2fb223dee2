// PR_SET_CHILD_SUBREAPER and PR_SET_PDEATHSIG: orphans come to the subreaper, which reaps them; a child
// with a parent-death signal gets it when its parent exits.
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int is = -1;
  prctl(PR_GET_CHILD_SUBREAPER, &is);
  printf("subreaper: %d\n", is);
  pid_t me = getpid();
  int p[2];
  pipe(p);
  pid_t a = fork();
  if (a == 0) {
    pid_t b = fork();
    if (b == 0) {
      close(p[1]);
      char c;
      read(p[0], &c, 1); // wait until our parent is gone
      _exit(getppid() == me ? 7 : 8);
    }
    _exit(0);
  }
  close(p[0]);
  int st;
  waitpid(a, &st, 0);
  close(p[1]); // B may go on: its parent A is dead
  pid_t w = wait(&st);
  printf("reaped an orphan: %d status %d\n", w > 0 && w != a, WEXITSTATUS(st));

  pipe(p);
  pid_t c = fork();
  if (c == 0) {
    if (fork() == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      write(p[1], "r", 1);
      for (;;) pause();
    }
    char r;
    read(p[0], &r, 1);
    _exit(0);
  }
  waitpid(c, &st, 0);
  w = wait(&st);
  printf("orphan with PDEATHSIG: signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));
  return 0;
}
