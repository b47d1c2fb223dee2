// execveat(2): fexecve through AT_EMPTY_PATH (an O_RDONLY or O_PATH fd), a path relative to a directory fd
// (known to the new program as /dev/fd/N/path), AT_SYMLINK_NOFOLLOW, scripts named through an fd (ENOENT
// when that fd is close-on-exec), and the errors. The program is its own exec target and script
// interpreter: run with "child" it prints what it was started with (its own path shown as SELF).
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

static char self[4096];

static void print_sanitized(const char *label, const char *s) {
  size_t n = strlen(self);
  if (!strncmp(s, self, n)) printf("  %s: SELF%s\n", label, s + n);
  else printf("  %s: %s\n", label, s);
}

static int child(int argc, char **argv) {
  for (int i = 0; i < argc; i++) print_sanitized("argv", argv[i]);
  print_sanitized("AT_EXECFN", (const char *)getauxval(AT_EXECFN));
  char comm[32] = {0};
  int fd = open("/proc/self/comm", O_RDONLY);
  read(fd, comm, sizeof comm - 1);
  printf("  comm: %s", comm);
  return 0;
}

extern char **environ;
static char *child_argv[] = {"first", "child", NULL};

/** execveat in a fork; prints the error or lets the exec'd child print, then its status. */
static void attempt(const char *what, int dirfd, const char *path, int flags) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    syscall(SYS_execveat, dirfd, path, child_argv, environ, flags);
    printf("%s: -1 %s\n", what, strerrorname_np(errno));
    fflush(stdout);
    _exit(100);
  }
  int st;
  waitpid(pid, &st, 0);
  if (WEXITSTATUS(st) != 100) printf("%s: exec'd, status %d\n", what, WEXITSTATUS(st));
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  self[n] = 0;
  if (argc > 1 && !strcmp(argv[argc - 1], "child")) return child(argc, argv);
  char dir[4096];
  strcpy(dir, self);
  *strrchr(dir, '/') = 0;
  if (!dir[0]) strcpy(dir, "/");
  const char *name = strrchr(self, '/') + 1;
  chdir(dir);

  int fd = open(self, O_RDONLY | O_CLOEXEC);
  printf("AT_EMPTY_PATH on an O_RDONLY fd %d\n", fd);
  attempt("AT_EMPTY_PATH O_RDONLY", fd, "", AT_EMPTY_PATH);
  int pfd = open(self, O_PATH | O_CLOEXEC);
  printf("AT_EMPTY_PATH on an O_PATH fd %d\n", pfd);
  attempt("AT_EMPTY_PATH O_PATH", pfd, "", AT_EMPTY_PATH);
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  printf("relative to a directory fd %d\n", dfd);
  attempt("dirfd + name", dfd, name, 0);
  attempt("AT_FDCWD + name", AT_FDCWD, name, 0);
  attempt("dirfd + absolute path", dfd, self, 0);

  const char *link = "execveat-link";
  unlink(link);
  symlink(name, link);
  attempt("AT_SYMLINK_NOFOLLOW on a symlink", dfd, link, AT_SYMLINK_NOFOLLOW);
  attempt("a symlink followed", dfd, link, 0);
  unlink(link);
  attempt("empty path without AT_EMPTY_PATH", fd, "", 0);
  attempt("flags 1", dfd, name, 1);
  attempt("flags 1, empty path", fd, "", 1);
  attempt("AT_EMPTY_PATH on a directory", dfd, "", AT_EMPTY_PATH);
  attempt("a file fd as the directory", fd, "x", 0);
  attempt("a closed fd", 99, "x", 0);
  attempt("missing name", dfd, "no-such-program", 0);

  // a script whose interpreter is this program
  char text[4200];
  const char *script = "execveat-script";
  int s = open(script, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  write(s, text, snprintf(text, sizeof text, "#!%s arg\n", self));
  close(s);
  int sfd = open(script, O_RDONLY);
  printf("script through an fd %d\n", sfd);
  attempt("script, AT_EMPTY_PATH", sfd, "", AT_EMPTY_PATH);
  fcntl(sfd, F_SETFD, FD_CLOEXEC);
  attempt("script, AT_EMPTY_PATH, close-on-exec fd", sfd, "", AT_EMPTY_PATH);
  int dfd2 = open(dir, O_RDONLY | O_DIRECTORY);
  printf("script relative to a directory fd %d\n", dfd2);
  attempt("script, dirfd + name", dfd2, script, 0);
  attempt("script, close-on-exec dirfd + name", dfd, script, 0);
  unlink(script);
  return 0;
}
