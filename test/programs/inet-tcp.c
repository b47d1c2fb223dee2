// AF_INET TCP over loopback across fork: bind to port 0, getsockname, listen, accept with the peer's address,
// data both ways, shutdown(SHUT_WR) half-close (the peer reads EOF and still writes back), MSG_PEEK,
// MSG_WAITALL, FIONREAD, poll readiness at each step, errors of unconnected and listening sockets, and
// the socket's options. Port numbers are never printed (they differ run to run), only their relations.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

static int port_of(int fd, int peer) {
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  memset(&a, 0x55, sizeof a);
  int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len);
  if (r < 0) return -errno;
  return ntohs(a.sin_port);
}

static void print_name(const char *what, int fd, int peer) {
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  memset(&a, 0x55, sizeof a);
  int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len);
  if (r < 0) { show(what, -1); return; }
  printf("%s: len=%u family=%d addr=%s port_nonzero=%d\n", what, len, a.sin_family, inet_ntoa(a.sin_addr), a.sin_port != 0);
}

static void print_poll(const char *what, int fd) {
  struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP | POLLPRI, 0};
  int n = poll(&p, 1, 0);
  printf("%s: poll=%d revents=%#x\n", what, n, p.revents);
}

/** Poll until `want` shows (the peer's packets travel through the host's loopback). */
static void wait_for(int fd, short want) {
  struct pollfd p = {fd, want, 0};
  for (int i = 0; i < 500; i++) {
    if (poll(&p, 1, 10) > 0 && (p.revents & want)) return;
  }
  printf("timed out waiting for %#x\n", want);
}

static int intopt(int fd, int level, int opt) {
  int v = -1;
  socklen_t len = sizeof v;
  if (getsockopt(fd, level, opt, &v, &len) < 0) return -errno;
  return v;
}

static void fresh_socket(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  print_name("fresh name", s, 0);
  print_name("fresh peer", s, 1);
  print_poll("fresh", s);
  char b[4];
  show("fresh read", read(s, b, sizeof b));
  show("fresh recv", recv(s, b, sizeof b, MSG_DONTWAIT));
  show("fresh send (MSG_NOSIGNAL)", send(s, "x", 1, MSG_NOSIGNAL));
  show("fresh shutdown", shutdown(s, SHUT_RDWR));
  show("fresh accept", accept(s, NULL, NULL));
  printf("opts: type=%d domain=%d protocol=%d acceptconn=%d error=%d nodelay=%d keepalive=%d reuseaddr=%d\n",
         intopt(s, SOL_SOCKET, SO_TYPE), intopt(s, SOL_SOCKET, SO_DOMAIN), intopt(s, SOL_SOCKET, SO_PROTOCOL),
         intopt(s, SOL_SOCKET, SO_ACCEPTCONN), intopt(s, SOL_SOCKET, SO_ERROR), intopt(s, IPPROTO_TCP, TCP_NODELAY),
         intopt(s, SOL_SOCKET, SO_KEEPALIVE), intopt(s, SOL_SOCKET, SO_REUSEADDR));
  int one = 1, big = 65536;
  show("set nodelay", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one));
  show("set keepalive", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one));
  show("set reuseaddr", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
  show("set rcvbuf", setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof big));
  show("set short", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, 2));
  show("set v6only on inet", setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one));
  show("set type", setsockopt(s, SOL_SOCKET, SO_TYPE, &one, sizeof one));
  struct linger lg = {1, 0}, lg2;
  show("set linger", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
  socklen_t ll = sizeof lg2;
  getsockopt(s, SOL_SOCKET, SO_LINGER, &lg2, &ll);
  printf("linger: onoff=%d secs=%d len=%u\n", lg2.l_onoff, lg2.l_linger, ll);
  printf("opts now: nodelay=%d keepalive=%d reuseaddr=%d rcvbuf=%d\n", intopt(s, IPPROTO_TCP, TCP_NODELAY),
         intopt(s, SOL_SOCKET, SO_KEEPALIVE), intopt(s, SOL_SOCKET, SO_REUSEADDR), intopt(s, SOL_SOCKET, SO_RCVBUF));
  close(s);
}

static void bad_addresses(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  show("bind short", bind(s, (struct sockaddr *)&a, sizeof a - 1));
  show("bind len 0", bind(s, (struct sockaddr *)&a, 0));
  show("bind huge len", bind(s, (struct sockaddr *)&a, 4096));
  a.sin_family = AF_INET6;
  show("bind wrong family", bind(s, (struct sockaddr *)&a, sizeof a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = inet_addr("192.0.2.1"); // TEST-NET-1: on no interface
  show("bind foreign address", bind(s, (struct sockaddr *)&a, sizeof a));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  show("bind loopback", bind(s, (struct sockaddr *)&a, sizeof a));
  show("bind again", bind(s, (struct sockaddr *)&a, sizeof a));
  show("connect short", connect(s, (struct sockaddr *)&a, 8));
  show("socketpair inet", socketpair(AF_INET, SOCK_STREAM, 0, (int[2]){0, 0}));
  show("socket tcp proto udp", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
  show("socket seqpacket", socket(AF_INET, SOCK_SEQPACKET, 0));
  show("socket bad flags", socket(AF_INET, SOCK_STREAM | 0x100000, 0));
  close(s);
}

static void in_use(void) {
  int a = socket(AF_INET, SOCK_STREAM, 0), b = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(a, (struct sockaddr *)&sa, sizeof sa);
  listen(a, 1);
  sa.sin_port = htons(port_of(a, 0));
  show("second bind to a listening port", bind(b, (struct sockaddr *)&sa, sizeof sa));
  int one = 1;
  setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  show("with SO_REUSEADDR", bind(b, (struct sockaddr *)&sa, sizeof sa));
  close(a);
  close(b);
}

static void refused(void) {
  // a port that was just in use and is now closed: nothing listens there
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(l, (struct sockaddr *)&sa, sizeof sa);
  sa.sin_port = htons(port_of(l, 0));
  close(l);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  show("blocking connect to a closed port", connect(c, (struct sockaddr *)&sa, sizeof sa));
  print_poll("after refused", c);
  show("connect again", connect(c, (struct sockaddr *)&sa, sizeof sa));
  close(c);
  c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  show("non-blocking connect to a closed port", connect(c, (struct sockaddr *)&sa, sizeof sa));
  wait_for(c, POLLOUT);
  print_poll("refused, polled", c);
  printf("SO_ERROR: %s\n", strerrorname_np(intopt(c, SOL_SOCKET, SO_ERROR)));
  printf("SO_ERROR again: %d\n", intopt(c, SOL_SOCKET, SO_ERROR));
  close(c);
}

static void round_trip(void) {
  int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  show("bind port 0", bind(l, (struct sockaddr *)&sa, sizeof sa));
  print_name("bound name", l, 0);
  print_poll("bound, not listening", l);
  show("listen", listen(l, 5));
  printf("acceptconn=%d\n", intopt(l, SOL_SOCKET, SO_ACCEPTCONN));
  print_poll("listening, none waiting", l);
  int port = port_of(l, 0);
  sa.sin_port = htons(port);
  show("connect on listener", connect(l, (struct sockaddr *)&sa, sizeof sa));
  int out[2];
  pipe(out);
  pid_t kid = fork();
  if (kid == 0) { // its lines go through a pipe, printed after it ends, so the order is the same every run
    dup2(out[1], 1);
    close(out[0]);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&sa, sizeof sa) < 0) { show("child connect", -1); _exit(1); }
    printf("child: peer port is server's: %d, own port differs: %d\n", port_of(c, 1) == port, port_of(c, 0) != port);
    print_name("child name", c, 0);
    show("child connect again", connect(c, (struct sockaddr *)&sa, sizeof sa));
    show("child write", write(c, "hello, server", 13));
    shutdown(c, SHUT_WR);
    show("child write after SHUT_WR (MSG_NOSIGNAL)", send(c, "x", 1, MSG_NOSIGNAL));
    char buf[64] = {0};
    int n = 0, r;
    while ((r = read(c, buf + n, sizeof buf - 1 - n)) > 0) n += r;
    printf("child got %d bytes: '%s', then %d\n", n, buf, r);
    print_poll("child at EOF after SHUT_WR", c);
    close(c);
    _exit(0);
  }
  wait_for(l, POLLIN);
  print_poll("listening, one waiting", l);
  struct sockaddr_in peer;
  socklen_t plen = sizeof peer;
  int s = accept(l, (struct sockaddr *)&peer, &plen);
  printf("accepted: len=%u family=%d addr=%s\n", plen, peer.sin_family, inet_ntoa(peer.sin_addr));
  printf("accepted peer port is peer's name: %d\n", ntohs(peer.sin_port) == port_of(s, 1));
  print_name("accepted name", s, 0);
  wait_for(s, POLLRDHUP);
  print_poll("server after the client's SHUT_WR", s);
  int avail = -1;
  ioctl(s, FIONREAD, &avail);
  printf("FIONREAD: %d\n", avail);
  char buf[64] = {0};
  show("peek 5", recv(s, buf, 5, MSG_PEEK));
  printf("peeked '%s'\n", buf);
  memset(buf, 0, sizeof buf);
  show("waitall 13", recv(s, buf, 13, MSG_WAITALL));
  printf("got '%s'\n", buf);
  show("read at EOF", read(s, buf, sizeof buf));
  show("write back after the peer's SHUT_WR", write(s, "reply", 5));
  shutdown(s, SHUT_WR);
  wait_for(s, POLLHUP);
  print_poll("both shut", s);
  int st;
  waitpid(kid, &st, 0);
  close(out[1]);
  char lines[4096];
  int got = read(out[0], lines, sizeof lines);
  fwrite(lines, 1, got > 0 ? got : 0, stdout);
  close(out[0]);
  printf("child status %d\n", WEXITSTATUS(st));
  close(s);
  // a non-blocking listener with nothing waiting
  int fl = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  listen(fl, 1);
  print_name("autobound listener", fl, 0);
  show("non-blocking accept", accept(fl, NULL, NULL));
  close(fl);
  close(l);
}

/** Non-blocking connect: EINPROGRESS, then POLLOUT and SO_ERROR 0; the listener sees the connection. */
static void nonblocking_connect(void) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(l, (struct sockaddr *)&sa, sizeof sa);
  listen(l, 1);
  sa.sin_port = htons(port_of(l, 0));
  int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int r = connect(c, (struct sockaddr *)&sa, sizeof sa);
  printf("non-blocking connect: %s\n", r == 0 ? "0" : strerrorname_np(errno)); // loopback may finish at once
  wait_for(c, POLLOUT);
  printf("SO_ERROR: %d\n", intopt(c, SOL_SOCKET, SO_ERROR));
  r = connect(c, (struct sockaddr *)&sa, sizeof sa);
  printf("connect again: %s\n", r == 0 ? "0" : strerrorname_np(errno));
  show("and again", connect(c, (struct sockaddr *)&sa, sizeof sa));
  int s = accept(l, NULL, NULL);
  char b[8];
  show("non-blocking read, nothing sent", read(c, b, sizeof b));
  show("write", write(s, "abc", 3));
  wait_for(c, POLLIN);
  show("read", read(c, b, sizeof b));
  close(s);
  wait_for(c, POLLRDHUP);
  print_poll("peer closed", c);
  show("read at EOF", read(c, b, sizeof b));
  close(c);
  close(l);
}

/** The peer closed: a first write goes out, the reset it draws makes the next one EPIPE with SIGPIPE. */
static int sigpipes;
static void on_pipe(int sig) { (void)sig; sigpipes++; }
static void epipe(void) {
  signal(SIGPIPE, on_pipe);
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(l, (struct sockaddr *)&sa, sizeof sa);
  listen(l, 1);
  sa.sin_port = htons(port_of(l, 0));
  int c = socket(AF_INET, SOCK_STREAM, 0);
  connect(c, (struct sockaddr *)&sa, sizeof sa);
  int s = accept(l, NULL, NULL);
  close(s);
  wait_for(c, POLLRDHUP);
  show("first write after the peer closed", write(c, "x", 1));
  int r = 0, e = 0;
  for (int i = 0; i < 200 && r >= 0; i++) { r = write(c, "y", 1); e = errno; if (r >= 0) usleep(10000); }
  printf("then: %s, SIGPIPE seen: %d\n", r < 0 ? strerrorname_np(e) : "no error", sigpipes > 0);
  print_poll("after the reset", c);
  close(c);
  // unread data at close resets the connection: the peer reads ECONNRESET
  c = socket(AF_INET, SOCK_STREAM, 0);
  connect(c, (struct sockaddr *)&sa, sizeof sa);
  s = accept(l, NULL, NULL);
  write(c, "unread", 6);
  wait_for(s, POLLIN);
  close(s);
  wait_for(c, POLLERR);
  print_poll("reset by the peer", c);
  char b[8];
  show("read after reset", read(c, b, sizeof b));
  show("read again", read(c, b, sizeof b));
  show("getpeername after reset", port_of(c, 1) < 0 ? -1 : 0);
  close(c);
  close(l);
  signal(SIGPIPE, SIG_DFL);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  fresh_socket();
  bad_addresses();
  in_use();
  refused();
  round_trip();
  nonblocking_connect();
  epipe();
  return 0;
}
