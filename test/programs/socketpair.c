// AF_UNIX socketpair: stream bytes, record boundaries, SCM_RIGHTS, SO_PEERCRED, shutdown, EPIPE.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fd-passing.h"

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  write(sv[0], "hello ", 6);
  write(sv[0], "world", 5);
  char buf[64] = {0};
  printf("stream read: %zd '%s'\n", read(sv[1], buf, sizeof buf), buf);

  struct ucred cr;
  socklen_t len = sizeof cr;
  getsockopt(sv[1], SOL_SOCKET, SO_PEERCRED, &cr, &len);
  printf("peercred: pid_ok=%d uid=%d len=%u\n", cr.pid == getpid(), cr.uid, len);

  int p[2];
  pipe(p);
  pid_t c = fork();
  if (c == 0) {
    close(sv[1]);
    _exit(send_fd(sv[0], p[1]) == 1 ? 0 : 1); // the child hands the pipe's write end over
  }
  int wfd = recv_fd(sv[1]);
  int st;
  waitpid(c, &st, 0);
  printf("sender exit %d\n", WEXITSTATUS(st));
  close(p[1]);
  write(wfd, "via passed fd", 13);
  close(wfd);
  memset(buf, 0, sizeof buf);
  printf("pipe read: %zd '%s'\n", read(p[0], buf, sizeof buf), buf);

  int d[2];
  socketpair(AF_UNIX, SOCK_SEQPACKET, 0, d);
  send(d[0], "one", 3, 0);
  send(d[0], "two!", 4, 0);
  memset(buf, 0, sizeof buf);
  ssize_t a = recv(d[1], buf, sizeof buf, 0);
  printf("records: %zd '%s'", a, buf);
  memset(buf, 0, sizeof buf);
  printf(" %zd '%s'\n", recv(d[1], buf, 2, 0), buf);

  shutdown(sv[0], SHUT_WR);
  printf("after shutdown: read=%zd\n", read(sv[1], buf, sizeof buf));
  close(sv[1]);
  errno = 0;
  ssize_t n = send(sv[0], "x", 1, MSG_NOSIGNAL);
  printf("send after peer closed: %zd %s\n", n, strerror(errno));
  signal(SIGPIPE, SIG_IGN);
  n = write(d[0], "x", 1);
  close(d[1]);
  errno = 0;
  n = write(d[0], "y", 1);
  printf("write to closed seqpacket peer: %zd %s\n", n, strerror(errno));
  return 0;
}
