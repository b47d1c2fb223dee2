// /proc/PID/cmdline and environ read the process's memory when read(2) runs (fs/proc/base.c get_mm_cmdline,
// environ_read): argv rewritten in place shows, a last argument whose NUL was overwritten (setproctitle)
// continues into the environment up to the next NUL, an fd opened before execve shows the new image's
// argv (cmdline) or nothing (environ: the old mm is gone), and a zombie's cmdline is empty.
// The program re-executes itself with fixed argv and environment so native and pbash runs see the same.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

/** Print what one read of `len` bytes at `pos` gives, NULs as '|'. */
static void show_read(const char *what, int fd, off_t pos, size_t len) {
  char buf[8192];
  ssize_t n = pread(fd, buf, len < sizeof buf ? len : sizeof buf, pos);
  if (n < 0) { show(what, n); return; }
  printf("%s: %zd [", what, n);
  for (ssize_t i = 0; i < n; i++) putchar(buf[i] ? buf[i] : '|');
  printf("]\n");
}

static void show_file(const char *what, const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) { show(what, fd); return; }
  show_read(what, fd, 0, 8192);
  close(fd);
}

static char *const ENV[] = { "A=1", "BB=22", "CCC=333", NULL };

/** Second image: argv as given by main, fds 3 and 4 opened by the first image before the exec. */
static int after_exec(int argc, char **argv) {
  show_read("cmdline fd from before exec", 3, 0, 8192);
  show_read("environ fd from before exec", 4, 0, 8192);
  show_file("cmdline", "/proc/self/cmdline");
  show_file("environ", "/proc/self/environ");

  int fd = open("/proc/self/cmdline", O_RDONLY);
  show_read("at 3, 5 bytes", fd, 3, 5);
  show_read("past the end", fd, 4096, 10);
  char *end = argv[argc - 1] + strlen(argv[argc - 1]);

  memcpy(argv[1], "XY", 2); // in place, same length
  show_read("argv[1] rewritten", fd, 0, 8192);

  argv[0][2] = '\0'; // shorter argv[0]: the region still ends in NUL, so all of it shows
  show_read("argv[0] cut", fd, 0, 8192);

  // setproctitle: one string over the whole region, its last NUL overwritten: up to the next NUL ("A=1" included)
  memcpy(argv[0], "0123456789abcdefghijklmnopq", end + 1 - argv[0]);
  show_read("last NUL overwritten", fd, 0, 8192);
  show_read("  from 20", fd, 20, 8192);
  show_read("  3 bytes at 25", fd, 25, 3);
  *end = '\0';
  show_read("NUL back", fd, 0, 8192);

  char *env0 = environ[0];
  env0[0] = 'Z';
  show_file("environ rewritten", "/proc/self/environ");
  close(fd);

  pid_t pid = fork();
  if (pid == 0) _exit(0);
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
  siginfo_t si;
  waitid(P_PID, pid, &si, WEXITED | WNOWAIT); // a zombie now
  show_file("zombie cmdline", path);
  waitpid(pid, NULL, 0);
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "second") == 0) return after_exec(argc, argv);
  // fds 3 and 4 survive the exec
  int c = open("/proc/self/cmdline", O_RDONLY), e = open("/proc/self/environ", O_RDONLY);
  if (c != 3 || e != 4) { printf("fds %d %d\n", c, e); return 1; }
  char *const args[] = { "p-cmdline", "second", "b c", "", "last", NULL };
  execve("/proc/self/exe", args, ENV);
  perror("execve");
  return 1;
}
