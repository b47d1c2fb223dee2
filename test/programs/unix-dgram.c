// AF_UNIX names and datagrams: the abstract namespace, autobind, sockaddr_un lengths as Linux returns them,
// datagram sockets with sendto/recvfrom addresses, connect as default peer, a vanished peer, queue limits.
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

#define DIR "unix-dgram.d" // relative: the names Linux returns are the paths as given
#define OFF offsetof(struct sockaddr_un, sun_path)

/** An address for `name` of `n` bytes (abstract when name[0] is 0); returns the length to pass. */
static socklen_t addr(struct sockaddr_un *a, const char *name, size_t n) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  memcpy(a->sun_path, name, n);
  return OFF + n;
}

/** Print an address as Linux returned it: length, then the path or the abstract bytes made visible. */
static void print_addr(const char *what, struct sockaddr_un *a, socklen_t len) {
  printf("%s: len=%u", what, len);
  if (len > OFF) {
    printf(" %s '", a->sun_path[0] ? "path" : "abstract");
    for (socklen_t i = a->sun_path[0] ? 0 : 1; i < len - OFF && (a->sun_path[0] == 0 || a->sun_path[i]); i++)
      putchar(isprint((unsigned char)a->sun_path[i]) ? a->sun_path[i] : '.');
    putchar('\'');
  }
  putchar('\n');
}

static void name_of(const char *what, int fd) {
  struct sockaddr_un a;
  socklen_t len = sizeof a;
  if (getsockname(fd, (struct sockaddr *)&a, &len) < 0) { show(what, -1); return; }
  print_addr(what, &a, len);
}

static void abstract_names(void) {
  struct sockaddr_un a;
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  socklen_t n = addr(&a, "\0pbash-abstract", 15);
  show("bind abstract", bind(s, (struct sockaddr *)&a, n));
  name_of("abstract name", s);
  show("listen abstract", listen(s, 4));
  int t = socket(AF_UNIX, SOCK_STREAM, 0);
  show("bind same abstract", bind(t, (struct sockaddr *)&a, n));
  show("bind longer name (trailing NUL counts)", bind(t, (struct sockaddr *)&a, n + 1));
  name_of("longer name", t);
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  show("connect shorter name", connect(c, (struct sockaddr *)&a, n - 1));
  show("connect abstract", connect(c, (struct sockaddr *)&a, n));
  struct sockaddr_un p;
  socklen_t plen = sizeof p;
  getpeername(c, (struct sockaddr *)&p, &plen);
  print_addr("peer of abstract client", &p, plen);
  int acc = accept(s, NULL, NULL);
  name_of("accepted from abstract", acc);
  struct stat st;
  show("abstract leaves no file", stat("/pbash-abstract", &st));
  close(s);
  show("connect after close", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, n));
  int r = socket(AF_UNIX, SOCK_STREAM, 0);
  show("rebind after close", bind(r, (struct sockaddr *)&a, n));
  close(r);
  close(t); close(c); close(acc);

  int u = socket(AF_UNIX, SOCK_DGRAM, 0);
  name_of("unbound name", u);
  show("autobind", bind(u, (struct sockaddr *)&a, OFF));
  socklen_t len = sizeof a;
  getsockname(u, (struct sockaddr *)&a, &len);
  int hex = 1;
  for (int i = 1; i < 6; i++) hex &= isxdigit((unsigned char)a.sun_path[i]) && !isupper((unsigned char)a.sun_path[i]);
  printf("autobind name: len=%u first=%d five_hex=%d\n", len, a.sun_path[0], hex);
  show("autobind again", bind(u, (struct sockaddr *)&a, OFF));
  struct sockaddr_un b;
  show("bind after autobind", bind(u, (struct sockaddr *)&b, addr(&b, "\0other", 6)));
  close(u);
}

static void lengths(void) {
  struct sockaddr_un a;
  int s = socket(AF_UNIX, SOCK_DGRAM, 0);
  unlink(DIR "/len.sock");
  show("bind without NUL in addrlen", bind(s, (struct sockaddr *)&a, addr(&a, DIR "/len.sock", strlen(DIR "/len.sock"))));
  name_of("name", s);
  char small[6];
  socklen_t len = sizeof small;
  memset(small, 0, sizeof small);
  getsockname(s, (struct sockaddr *)small, &len);
  printf("truncated getsockname: len=%u bytes='%.4s'\n", len, small + 2);
  len = 0;
  show("getsockname len 0", getsockname(s, (struct sockaddr *)&a, &len));
  printf("  reported len=%u\n", len);
  len = -1;
  show("getsockname negative len", getsockname(s, (struct sockaddr *)&a, &len));
  int t = socket(AF_UNIX, SOCK_DGRAM, 0);
  unlink(DIR "/garbage.sock");
  socklen_t n = addr(&a, DIR "/garbage.sock", strlen(DIR "/garbage.sock"));
  memcpy(a.sun_path + strlen(DIR "/garbage.sock") + 1, "junk", 4);
  show("bind with bytes after the NUL", bind(t, (struct sockaddr *)&a, n + 5));
  name_of("name", t);
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  len = sizeof a;
  show("getpeername of socketpair", getpeername(sv[0], (struct sockaddr *)&a, &len));
  printf("  len=%u\n", len);
  close(s); close(t); close(sv[0]); close(sv[1]);
}

static void datagrams(void) {
  struct sockaddr_un a, from;
  socklen_t flen;
  char buf[64];
  int srv = socket(AF_UNIX, SOCK_DGRAM, 0);
  unlink(DIR "/srv.sock");
  socklen_t sn = addr(&a, DIR "/srv.sock", strlen(DIR "/srv.sock") + 1);
  show("bind dgram", bind(srv, (struct sockaddr *)&a, sn));
  struct sockaddr_un srvaddr = a;

  int anon = socket(AF_UNIX, SOCK_DGRAM, 0);
  show("send unconnected no address", send(anon, "x", 1, 0));
  show("sendto from unbound", sendto(anon, "hello", 5, 0, (struct sockaddr *)&srvaddr, sn));
  name_of("unbound sender after sendto", anon);
  flen = sizeof from;
  memset(&from, 0x55, sizeof from);
  ssize_t n = recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
  printf("recvfrom unbound: %zd '%.*s' addrlen=%u\n", n, (int)n, buf, flen);

  int named = socket(AF_UNIX, SOCK_DGRAM, 0);
  struct sockaddr_un na;
  socklen_t nn = addr(&na, "\0pbash-client", 13);
  bind(named, (struct sockaddr *)&na, nn);
  sendto(named, "from named", 10, 0, (struct sockaddr *)&srvaddr, sn);
  flen = sizeof from;
  n = recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
  printf("recvfrom named: %zd '%.*s' ", n, (int)n, buf);
  print_addr("from", &from, flen);
  show("reply by address", sendto(srv, "reply", 5, 0, (struct sockaddr *)&from, flen));
  flen = sizeof from;
  n = recvfrom(named, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
  printf("client got %zd '%.*s' ", n, (int)n, buf);
  print_addr("from", &from, flen);

  struct msghdr m = {0};
  struct iovec iov = { buf, sizeof buf };
  m.msg_name = &from;
  m.msg_namelen = sizeof from;
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  sendto(anon, "via recvmsg", 11, 0, (struct sockaddr *)&srvaddr, sn);
  n = recvmsg(srv, &m, 0);
  printf("recvmsg unbound sender: %zd namelen=%u\n", n, m.msg_namelen);
  sendto(named, "msg named", 9, 0, (struct sockaddr *)&srvaddr, sn);
  m.msg_namelen = sizeof from;
  n = recvmsg(srv, &m, 0);
  printf("recvmsg named sender: %zd ", n);
  print_addr("name", &from, m.msg_namelen);

  show("connect dgram", connect(named, (struct sockaddr *)&srvaddr, sn));
  show("send connected", send(named, "connected", 9, 0));
  struct sockaddr_un p;
  socklen_t plen = sizeof p;
  getpeername(named, (struct sockaddr *)&p, &plen);
  print_addr("dgram peer", &p, plen);
  n = recv(srv, buf, sizeof buf, 0);
  printf("server got %zd '%.*s'\n", n, (int)n, buf);
  show("sendto other while connected", sendto(named, "x", 1, 0, (struct sockaddr *)&na, nn));
  n = recv(named, buf, sizeof buf, MSG_DONTWAIT);
  printf("self-sent: %zd\n", n);
  show("server connects elsewhere", connect(srv, (struct sockaddr *)&na, nn));
  show("third party to connected server", sendto(anon, "x", 1, 0, (struct sockaddr *)&srvaddr, sn));
  struct sockaddr unspec = { .sa_family = AF_UNSPEC };
  show("disconnect (AF_UNSPEC)", connect(srv, &unspec, sizeof unspec));
  plen = sizeof p;
  show("peer after disconnect", getpeername(srv, (struct sockaddr *)&p, &plen));

  show("dgram to stream path", sendto(anon, "x", 1, 0, (struct sockaddr *)&a, addr(&a, DIR "/stream.sock", strlen(DIR "/stream.sock") + 1)));
  show("dgram to missing path", sendto(anon, "x", 1, 0, (struct sockaddr *)&a, addr(&a, DIR "/missing", strlen(DIR "/missing") + 1)));
  show("dgram to missing abstract", sendto(anon, "x", 1, 0, (struct sockaddr *)&a, addr(&a, "\0nobody", 7)));

  // a receiver queues max_dgram_qlen (+1) datagrams from senders it is not connected to
  int q = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  int sent = 0;
  while (sendto(q, "q", 1, 0, (struct sockaddr *)&srvaddr, sn) == 1 && sent < 100) sent++;
  printf("queued before EAGAIN: %d (%s)\n", sent, strerror(errno));
  struct pollfd pf = { srv, POLLIN, 0 };
  poll(&pf, 1, 0);
  printf("receiver readable: %#x\n", pf.revents);
  int got = 0;
  while (recv(srv, buf, sizeof buf, MSG_DONTWAIT) > 0) got++;
  printf("drained %d\n", got);
  show("recv empty nonblocking", recv(srv, buf, sizeof buf, MSG_DONTWAIT));

  // the peer goes away: ECONNREFUSED once, then not connected
  show("connect to server", connect(named, (struct sockaddr *)&srvaddr, sn));
  close(srv);
  show("send to closed peer", send(named, "x", 1, 0));
  show("send again", send(named, "x", 1, 0));
  show("sendto closed path", sendto(anon, "x", 1, 0, (struct sockaddr *)&srvaddr, sn));

  int sv[2];
  socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  send(sv[0], "abcdef", 6, 0);
  show("recv truncated", recv(sv[1], buf, 3, 0));
  send(sv[0], "abcdef", 6, 0);
  show("recv MSG_TRUNC", recv(sv[1], buf, 3, MSG_TRUNC));
  send(sv[0], "", 0, 0);
  show("empty datagram", recv(sv[1], buf, sizeof buf, 0));
  close(sv[1]);
  show("socketpair dgram send after peer close", send(sv[0], "x", 1, 0));
  show("and again", send(sv[0], "x", 1, 0));
  pf.fd = sv[0];
  pf.events = POLLIN | POLLOUT;
  poll(&pf, 1, 0);
  printf("poll after peer close: %#x\n", pf.revents);
  close(sv[0]);
  close(anon); close(named); close(q);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  umask(022);
  mkdir(DIR, 0755);
  int st = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a;
  unlink(DIR "/stream.sock");
  bind(st, (struct sockaddr *)&a, addr(&a, DIR "/stream.sock", strlen(DIR "/stream.sock") + 1));
  listen(st, 1);
  abstract_names();
  lengths();
  datagrams();
  return 0;
}
