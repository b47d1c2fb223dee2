// Socket calls with arbitrary arguments on non-blocking AF_INET/AF_INET6 sockets (a seeded generator, so every
// run is the same): addresses of every family and length, odd flags, options, closes in between. Addresses
// stay on this machine (127.0.0.0/8, ::1, the wildcards, v4-mapped loopback). Nothing is printed per call:
// the program must simply end, and pbash must not report an internal error (the caller checks stderr).
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static uint64_t seed = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n) { seed = seed * 6364136223846793005ull + 1442695040888963407ull; return (unsigned)(seed >> 33) % n; }

static int fresh(void) {
  static const int domains[] = {AF_INET, AF_INET6}, types[] = {SOCK_STREAM, SOCK_DGRAM};
  return socket(domains[rnd(2)], types[rnd(2)] | SOCK_NONBLOCK, 0);
}

/** Some sockaddr bytes: mostly well-formed loopback ones, sometimes wrong in family, length or content. */
static socklen_t address(unsigned char *buf) {
  memset(buf, 0, 128);
  for (int i = 0; i < 128 && rnd(4) == 0; i++) buf[i] = rnd(256);
  int fam = (int[]){AF_INET, AF_INET6, AF_UNSPEC, AF_UNIX, 77}[rnd(5)];
  buf[0] = fam; buf[1] = 0;
  uint16_t port = htons((uint16_t)(rnd(3) == 0 ? 0 : 30000 + rnd(30000)));
  memcpy(buf + 2, &port, 2);
  if (fam == AF_INET || (fam == AF_UNSPEC && rnd(2))) {
    unsigned char v4[][4] = {{127, 0, 0, 1}, {0, 0, 0, 0}, {127, 1, 2, 3}, {127, 255, 255, 255}};
    memcpy(buf + 4, v4[rnd(4)], 4);
  } else {
    unsigned char v6[16] = {0};
    int k = rnd(3);
    if (k == 0) v6[15] = 1;
    if (k == 1) { v6[10] = v6[11] = 0xff; v6[12] = 127; v6[15] = 1; }
    memcpy(buf + 8, v6, 16);
  }
  return (socklen_t)(rnd(4) == 0 ? rnd(140) : (fam == AF_INET ? 16 : 28));
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  int fds[6];
  for (int i = 0; i < 6; i++) fds[i] = fresh();
  unsigned char a[140], data[2048], out[2048];
  for (int iter = 0; iter < 4000; iter++) {
    int i = rnd(6), fd = fds[i];
    socklen_t len = address(a), olen = rnd(40);
    int v = (int)rnd(70000) - 100, flags = (int)(rnd(2) ? MSG_DONTWAIT : rnd(0x10000)) | MSG_DONTWAIT | MSG_NOSIGNAL;
    switch (rnd(16)) {
      case 0: bind(fd, (struct sockaddr *)a, len); break;
      case 1: connect(fd, (struct sockaddr *)a, len); break;
      case 2: listen(fd, v); break;
      case 3: { int c = accept4(fd, rnd(2) ? (struct sockaddr *)out : NULL, &olen, SOCK_NONBLOCK); if (c >= 0) close(c); break; }
      case 4: sendto(fd, data, rnd(sizeof data), flags, rnd(2) ? (struct sockaddr *)a : NULL, len); break;
      case 5: recvfrom(fd, out, rnd(sizeof out), flags, (struct sockaddr *)a, &olen); break;
      case 6: { int o = v; setsockopt(fd, (int[]){SOL_SOCKET, IPPROTO_TCP, IPPROTO_IPV6, IPPROTO_IP}[rnd(4)], rnd(70), &o, rnd(12)); break; }
      case 7: getsockopt(fd, (int[]){SOL_SOCKET, IPPROTO_TCP, IPPROTO_IPV6, IPPROTO_IP}[rnd(4)], rnd(70), out, &olen); break;
      case 8: shutdown(fd, rnd(4)); break;
      case 9: getsockname(fd, (struct sockaddr *)out, &olen); break;
      case 10: getpeername(fd, (struct sockaddr *)out, &olen); break;
      case 11: { struct iovec iov[2] = {{data, rnd(900)}, {data + 900, rnd(900)}}; struct msghdr m = {a, len, iov, 2, NULL, 0, 0}; sendmsg(fd, &m, flags); break; }
      case 12: { struct iovec iov = {out, rnd(sizeof out)}; struct msghdr m = {a, sizeof a, &iov, 1, NULL, 0, 0}; recvmsg(fd, &m, flags); break; }
      case 13: { int n; ioctl(fd, FIONREAD, &n); write(fd, data, rnd(64)); read(fd, out, rnd(64)); break; }
      case 14: close(fd); fds[i] = fresh(); break;
      default: { int c = fresh(); connect(c, (struct sockaddr *)a, len); close(c); break; }
    }
  }
  printf("done\n");
  return 0;
}
