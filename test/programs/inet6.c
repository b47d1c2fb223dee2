// AF_INET6 over loopback: TCP on ::1 across fork, a dual-stack listener on :: that an IPv4 client reaches
// (its peer shows as ::ffff:127.0.0.1), IPV6_V6ONLY refusing that, UDP on ::1, and address length checks.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

static struct sockaddr_in6 addr6(const char *text, int port) {
  struct sockaddr_in6 a = {0};
  a.sin6_family = AF_INET6;
  inet_pton(AF_INET6, text, &a.sin6_addr);
  a.sin6_port = htons(port);
  return a;
}

static int port_of(int fd) {
  struct sockaddr_storage a;
  socklen_t len = sizeof a;
  if (getsockname(fd, (struct sockaddr *)&a, &len) < 0) return -1;
  return a.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&a)->sin6_port) : ntohs(((struct sockaddr_in *)&a)->sin_port);
}

static void print_name(const char *what, int fd, int peer) {
  struct sockaddr_in6 a;
  socklen_t len = sizeof a;
  memset(&a, 0x55, sizeof a);
  int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len);
  if (r < 0) { show(what, -1); return; }
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof text);
  printf("%s: len=%u family=%d addr=%s port_nonzero=%d flowinfo=%u scope=%u\n", what, len, a.sin6_family, text,
         a.sin6_port != 0, a.sin6_flowinfo, a.sin6_scope_id);
}

static int intopt(int fd, int level, int opt) {
  int v = -1;
  socklen_t len = sizeof v;
  if (getsockopt(fd, level, opt, &v, &len) < 0) return -errno;
  return v;
}

static void tcp6(void) {
  int l = socket(AF_INET6, SOCK_STREAM, 0);
  printf("domain=%d v6only=%d\n", intopt(l, SOL_SOCKET, SO_DOMAIN), intopt(l, IPPROTO_IPV6, IPV6_V6ONLY));
  struct sockaddr_in6 a = addr6("::1", 0);
  show("bind len 23", bind(l, (struct sockaddr *)&a, 23));
  struct sockaddr_in v4 = {AF_INET, 0, {htonl(INADDR_LOOPBACK)}, {0}};
  show("bind an AF_INET address", bind(l, (struct sockaddr *)&v4, sizeof a));
  show("bind ::1 (len 24)", bind(l, (struct sockaddr *)&a, 24));
  print_name("bound", l, 0);
  int one = 1;
  show("V6ONLY after bind", setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one));
  listen(l, 4);
  a.sin6_port = htons(port_of(l));
  pid_t kid = fork();
  if (kid == 0) {
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) _exit(1);
    write(c, "over ::1", 8);
    char b[8];
    _exit(read(c, b, sizeof b) == 2 ? 0 : 2);
  }
  struct sockaddr_in6 peer;
  socklen_t plen = sizeof peer;
  int s = accept(l, (struct sockaddr *)&peer, &plen);
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &peer.sin6_addr, text, sizeof text);
  printf("accepted from %s len=%u\n", text, plen);
  print_name("accepted name", s, 0);
  char buf[16] = {0};
  int n = 0, r;
  while (n < 8 && (r = read(s, buf + n, 8 - n)) > 0) n += r;
  printf("read '%s'\n", buf);
  write(s, "ok", 2);
  int st;
  waitpid(kid, &st, 0);
  printf("client status %d\n", WEXITSTATUS(st));
  close(s);
  close(l);
}

/** A listener on :: takes IPv4 clients unless IPV6_V6ONLY. */
static void dual_stack(int v6only) {
  int l = socket(AF_INET6, SOCK_STREAM, 0);
  show("set V6ONLY", setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only));
  printf("v6only=%d\n", intopt(l, IPPROTO_IPV6, IPV6_V6ONLY));
  struct sockaddr_in6 any = addr6("::", 0);
  show("bind ::", bind(l, (struct sockaddr *)&any, sizeof any));
  listen(l, 1);
  print_name("listening on", l, 0);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in v4 = {AF_INET, htons(port_of(l)), {htonl(INADDR_LOOPBACK)}, {0}};
  int r = connect(c, (struct sockaddr *)&v4, sizeof v4);
  show("IPv4 client connect", r);
  if (r == 0) {
    struct sockaddr_in6 peer;
    socklen_t plen = sizeof peer;
    int s = accept(l, (struct sockaddr *)&peer, &plen);
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &peer.sin6_addr, text, sizeof text);
    printf("accepted from %s len=%u\n", text, plen);
    print_name("accepted name", s, 0);
    close(s);
  }
  close(c);
  // an AF_INET6 client reaching an IPv4 listener through a v4-mapped address
  int l4 = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in lo = {AF_INET, 0, {htonl(INADDR_LOOPBACK)}, {0}};
  bind(l4, (struct sockaddr *)&lo, sizeof lo);
  listen(l4, 1);
  int c6 = socket(AF_INET6, SOCK_STREAM, 0);
  setsockopt(c6, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
  struct sockaddr_in6 mapped = addr6("::ffff:127.0.0.1", port_of(l4));
  show("v4-mapped connect", connect(c6, (struct sockaddr *)&mapped, sizeof mapped));
  print_name("v4-mapped client name", c6, 0);
  close(c6);
  close(l4);
  close(l);
}

static void udp6(void) {
  int a = socket(AF_INET6, SOCK_DGRAM, 0), b = socket(AF_INET6, SOCK_DGRAM, 0);
  struct sockaddr_in6 lo = addr6("::1", 0);
  bind(a, (struct sockaddr *)&lo, sizeof lo);
  lo.sin6_port = htons(port_of(a));
  show("sendto ::1", sendto(b, "six", 3, 0, (struct sockaddr *)&lo, sizeof lo));
  struct pollfd p = {a, POLLIN, 0};
  poll(&p, 1, 5000);
  char buf[8] = {0};
  struct sockaddr_in6 from;
  socklen_t flen = sizeof from;
  show("recvfrom", recvfrom(a, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &from.sin6_addr, text, sizeof text);
  printf("got '%s' from %s len=%u sender port matches: %d\n", buf, text, flen, ntohs(from.sin6_port) == port_of(b));
  close(a);
  close(b);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  tcp6();
  dual_stack(0);
  dual_stack(1);
  udp6();
  return 0;
}
