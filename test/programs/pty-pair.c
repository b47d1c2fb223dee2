// Pseudo-terminal behaviour a program can see, printed deterministically so a native run and a pbash run
// can be compared: posix_openpt/grantpt/unlockpt/ptsname, isatty, canonical echo, a forked child taking
// the slave as its controlling terminal, EIO on the master after the last slave close, hangup.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "wait-blocked.h"

static void show(const char *what, const char *buf, ssize_t n) {
  printf("%s: %zd \"", what, n);
  for (ssize_t i = 0; i < n; i++) {
    unsigned char c = buf[i];
    if (c == '\r') printf("\\r"); else if (c == '\n') printf("\\n"); else if (c < 32 || c == 127) printf("^%c", c ^ 0100); else putchar(c);
  }
  printf("\"\n");
}

static int openpair(int *slave) {
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  if (m < 0 || grantpt(m) || unlockpt(m)) { perror("openpt"); exit(1); }
  *slave = open(ptsname(m), O_RDWR | O_NOCTTY);
  if (*slave < 0) { perror("open slave"); exit(1); }
  return m;
}

/** Read the master until EIO (the slave side is all closed), collecting everything. */
static void drain_until_eio(int m) {
  char buf[4096]; ssize_t total = 0, n;
  while ((n = read(m, buf + total, sizeof buf - total)) > 0) total += n;
  show("master got", buf, total);
  printf("then: %s\n", n < 0 && errno == EIO ? "EIO" : "other");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int s, m = openpair(&s);
  const char *name = ptsname(m);
  struct stat st;
  stat(name, &st);
  printf("ptsname prefix ok: %d, chr: %d, owner is me: %d\n", strncmp(name, "/dev/pts/", 9) == 0,
         S_ISCHR(st.st_mode), st.st_uid == getuid());
  printf("isatty master %d slave %d stdin-devnull %d\n", isatty(m), isatty(s), isatty(open("/dev/null", O_RDONLY)));
  struct termios t;
  tcgetattr(s, &t);
  printf("iflag %o oflag %o lflag %o cc intr %d eof %d min %d time %d\n", t.c_iflag, t.c_oflag, t.c_lflag,
         t.c_cc[VINTR], t.c_cc[VEOF], t.c_cc[VMIN], t.c_cc[VTIME]);

  char buf[256]; ssize_t n;
  write(m, "helo\177lo\n", 8);
  n = read(s, buf, sizeof buf); show("slave read", buf, n);
  n = read(m, buf, sizeof buf); show("echo", buf, n);
  write(s, "out\n", 4);
  n = read(m, buf, sizeof buf); show("output", buf, n);
  int avail = -1; write(m, "a\nb", 3); usleep(10000); ioctl(s, FIONREAD, &avail); printf("FIONREAD %d\n", avail);
  tcflush(s, TCIFLUSH); read(m, buf, sizeof buf);

  struct winsize ws = { .ws_row = 33, .ws_col = 77 };
  ioctl(m, TIOCSWINSZ, &ws);
  memset(&ws, 0, sizeof ws);
  ioctl(s, TIOCGWINSZ, &ws);
  printf("winsize %d %d\n", ws.ws_row, ws.ws_col);

  // a child in a new session takes the slave as its controlling terminal
  pid_t pid = fork();
  if (pid == 0) {
    close(m);
    setsid();
    if (ioctl(s, TIOCSCTTY, 0)) { perror("TIOCSCTTY"); _exit(2); }
    dup2(s, 0); dup2(s, 1); dup2(s, 2); close(s);
    int tty = open("/dev/tty", O_RDWR);
    dprintf(1, "child: fg %d sid %d devtty %d\n", tcgetpgrp(0) == getpid(), tcgetsid(0) == getpid(), tty >= 0);
    close(0); close(1); close(2); close(tty); // explicit: the last slave close is what the master sees
    _exit(0);
  }
  close(s);
  drain_until_eio(m);
  int status;
  waitpid(pid, &status, 0);
  printf("child status %d\n", WEXITSTATUS(status));
  close(m);

  // hangup: the master goes away under a session using the slave (SIGHUP ignored, no handler needed)
  m = openpair(&s);
  int pipefd[2]; pipe(pipefd);
  pid = fork();
  if (pid == 0) {
    close(m); close(pipefd[0]);
    signal(SIGHUP, SIG_IGN);
    setsid();
    ioctl(s, TIOCSCTTY, 0);
    write(pipefd[1], "r", 1);
    ssize_t r = read(s, buf, sizeof buf);
    int re = errno;
    ssize_t r2 = read(s, buf, sizeof buf);
    ssize_t w = write(s, "x", 1);
    int e = errno;
    int tty = open("/dev/tty", O_RDWR);
    dprintf(pipefd[1], "blocked read %zd %s, read again %zd, write %zd %s, devtty %s\n", r, re == EIO ? "EIO" : "other",
            r2, w, e == EIO ? "EIO" : "other", tty < 0 && errno == ENXIO ? "ENXIO" : "open");
    _exit(0);
  }
  close(s); close(pipefd[1]);
  read(pipefd[0], buf, 1);
  wait_blocked(pid);
  close(m);
  n = read(pipefd[0], buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  printf("after hangup: %s", buf);
  waitpid(pid, &status, 0);
  printf("child status %d\n", WEXITSTATUS(status));
  return 0;
}
