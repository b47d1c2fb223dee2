// AF_INET UDP over loopback: an echo across fork with recvfrom's sender addresses, connected UDP (send without
// an address, getpeername, AF_UNSPEC to disconnect), MSG_PEEK, MSG_TRUNC and truncation, FIONREAD,
// recvmsg's msg_name, poll readiness, EDESTADDRREQ, EMSGSIZE, rebind and address errors, SO_* values.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

static struct sockaddr_in loopback(int port) {
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return a;
}

static int port_of(int fd) {
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  if (getsockname(fd, (struct sockaddr *)&a, &len) < 0) return -1;
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
  struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP, 0};
  int n = poll(&p, 1, 0);
  printf("%s: poll=%d revents=%#x\n", what, n, p.revents);
}

static void wait_in(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  if (poll(&p, 1, 5000) != 1) printf("timed out waiting for POLLIN\n");
}

static int intopt(int fd, int level, int opt) {
  int v = -1;
  socklen_t len = sizeof v;
  if (getsockopt(fd, level, opt, &v, &len) < 0) return -errno;
  return v;
}

static void basics(void) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  print_name("fresh name", s, 0);
  print_name("fresh peer", s, 1);
  print_poll("fresh", s);
  printf("opts: type=%d domain=%d protocol=%d acceptconn=%d broadcast=%d\n", intopt(s, SOL_SOCKET, SO_TYPE),
         intopt(s, SOL_SOCKET, SO_DOMAIN), intopt(s, SOL_SOCKET, SO_PROTOCOL), intopt(s, SOL_SOCKET, SO_ACCEPTCONN),
         intopt(s, SOL_SOCKET, SO_BROADCAST));
  show("send without a destination", send(s, "x", 1, 0));
  show("listen", listen(s, 1));
  show("accept", accept(s, NULL, NULL));
  show("shutdown unconnected", shutdown(s, SHUT_RD));
  print_poll("after SHUT_RD", s);
  char b[4];
  show("recv after SHUT_RD", recv(s, b, sizeof b, MSG_DONTWAIT));
  show("blocking recv after SHUT_RD", recv(s, b, sizeof b, 0));
  close(s);
  s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_UDP);
  show("non-blocking recv", recv(s, b, sizeof b, 0));
  struct sockaddr_in a = loopback(0);
  show("bind", bind(s, (struct sockaddr *)&a, sizeof a));
  print_name("bound", s, 0);
  show("bind again", bind(s, (struct sockaddr *)&a, sizeof a));
  a.sin_port = htons(port_of(s));
  int t = socket(AF_INET, SOCK_DGRAM, 0);
  show("bind to a port in use", bind(t, (struct sockaddr *)&a, sizeof a));
  static char big[70000];
  show("sendto 70000 bytes", sendto(t, big, sizeof big, 0, (struct sockaddr *)&a, sizeof a));
  show("sendto short address", sendto(t, "x", 1, 0, (struct sockaddr *)&a, 8));
  show("sendto port 0", sendto(t, "x", 1, 0, (struct sockaddr *)&(struct sockaddr_in){AF_INET, 0, {htonl(INADDR_LOOPBACK)}, {0}}, sizeof a));
  close(t);
  close(s);
}

/** An echo server in a child; the parent sends from an unbound socket (bound by its first sendto). */
static void echo(void) {
  int srv = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = loopback(0);
  bind(srv, (struct sockaddr *)&a, sizeof a);
  int port = port_of(srv);
  pid_t kid = fork();
  if (kid == 0) {
    for (int i = 0; i < 3; i++) {
      char buf[256];
      struct sockaddr_in from;
      socklen_t flen = sizeof from;
      int n = recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
      if (n < 0) _exit(1);
      sendto(srv, buf, n, 0, (struct sockaddr *)&from, flen);
    }
    _exit(0);
  }
  int c = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in to = loopback(port);
  show("sendto from an unbound socket", sendto(c, "first datagram", 14, 0, (struct sockaddr *)&to, sizeof to));
  print_name("bound by sendto", c, 0);
  wait_in(c);
  int avail = -1;
  ioctl(c, FIONREAD, &avail);
  printf("FIONREAD: %d\n", avail);
  char buf[64] = {0};
  struct sockaddr_in from;
  socklen_t flen = sizeof from;
  show("peek", recvfrom(c, buf, 5, MSG_PEEK, (struct sockaddr *)&from, &flen));
  printf("peeked '%s' from %s, server port: %d, len=%u\n", buf, inet_ntoa(from.sin_addr), ntohs(from.sin_port) == port, flen);
  memset(buf, 0, sizeof buf);
  show("truncated, MSG_TRUNC", recv(c, buf, 5, MSG_TRUNC));
  printf("kept '%s'\n", buf);
  show("nothing left (MSG_DONTWAIT)", recv(c, buf, sizeof buf, MSG_DONTWAIT));
  // connected: send without an address, recvmsg with msg_name, the peer's name
  show("connect", connect(c, (struct sockaddr *)&to, sizeof to));
  print_name("connected name", c, 0);
  print_name("connected peer", c, 1);
  show("send", send(c, "second", 6, 0));
  show("sendto the peer's address", sendto(c, "third", 5, 0, (struct sockaddr *)&to, sizeof to));
  for (int i = 0; i < 2; i++) {
    wait_in(c);
    memset(buf, 0, sizeof buf);
    struct iovec iov[2] = {{buf, 3}, {buf + 3, 20}};
    struct msghdr m = {0};
    m.msg_name = &from;
    m.msg_namelen = sizeof from;
    m.msg_iov = iov;
    m.msg_iovlen = 2;
    int n = recvmsg(c, &m, 0);
    printf("recvmsg %d '%s' namelen=%u from server: %d flags=%#x\n", n, buf, m.msg_namelen, ntohs(from.sin_port) == port, m.msg_flags);
  }
  struct sockaddr unspec = {AF_UNSPEC};
  show("disconnect", connect(c, &unspec, sizeof unspec));
  print_name("disconnected peer", c, 1);
  show("send after disconnect", send(c, "x", 1, 0));
  int st;
  waitpid(kid, &st, 0);
  printf("server status %d\n", WEXITSTATUS(st));
  close(c);
  close(srv);
}

/** A datagram to a port where nothing listens, on a connected socket: the ICMP error shows on the next call. */
static void refused(void) {
  int gone = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = loopback(0);
  bind(gone, (struct sockaddr *)&a, sizeof a);
  a.sin_port = htons(port_of(gone));
  close(gone);
  int c = socket(AF_INET, SOCK_DGRAM, 0);
  connect(c, (struct sockaddr *)&a, sizeof a);
  show("send to a closed port", send(c, "x", 1, 0));
  struct pollfd p = {c, POLLIN, 0};
  poll(&p, 1, 2000);
  printf("revents %#x\n", p.revents);
  char b[4];
  show("recv", recv(c, b, sizeof b, MSG_DONTWAIT));
  close(c);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  basics();
  echo();
  refused();
  return 0;
}
