// posix_spawn (CLONE_VFORK: the parent resumes once the child has exec'd) of the program in argv[1..],
// then job-control and termination signals to it, each seen through waitpid as Linux reports them.
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>

extern char **environ;

static void report(const char *what, int st) {
  if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("%s: killed by %d\n", what, WTERMSIG(st));
  else if (WIFSTOPPED(st)) printf("%s: stopped by %d\n", what, WSTOPSIG(st));
  else if (WIFCONTINUED(st)) printf("%s: continued\n", what);
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  pid_t pid;
  int st;
  if (posix_spawn(&pid, argv[1], NULL, NULL, argv + 1, environ) != 0) { perror("posix_spawn"); return 1; }
  printf("spawned\n");
  fflush(stdout);
  kill(pid, SIGSTOP);
  if (waitpid(pid, &st, WUNTRACED) == pid) report("SIGSTOP", st);
  kill(pid, SIGCONT);
  if (waitpid(pid, &st, WCONTINUED) == pid) report("SIGCONT", st);
  kill(pid, SIGTERM);
  if (waitpid(pid, &st, 0) == pid) report("SIGTERM", st);
  if (posix_spawn(&pid, argv[1], NULL, NULL, argv + 1, environ) != 0) return 1;
  kill(pid, SIGKILL);
  if (waitpid(pid, &st, 0) == pid) report("SIGKILL", st);
  return 0;
}
