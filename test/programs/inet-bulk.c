// Bulk TCP over loopback: 16 MiB each way across fork in uneven chunks (writev and send on one side, read and
// recv MSG_WAITALL on the other), checked byte-exact by a hash; then a non-blocking sender to a peer that does
// not read fills every buffer (EAGAIN, no POLLOUT), and becomes writable again once the peer drains it.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

#define TOTAL (16 << 20)

static uint8_t byte_at(uint64_t i) { return (uint8_t)((i * 2654435761u) >> 13); }

/** Send TOTAL bytes of the pattern in chunk sizes that vary, alternating write, writev and send. */
static int send_all(int fd) {
  static uint8_t buf[300000];
  uint64_t off = 0;
  unsigned k = 1;
  while (off < TOTAL) {
    k = k * 1103515245 + 12345;
    size_t n = 1 + (k >> 8) % sizeof buf;
    if (n > TOTAL - off) n = TOTAL - off;
    for (size_t i = 0; i < n; i++) buf[i] = byte_at(off + i);
    ssize_t w;
    if (k % 3 == 0) w = write(fd, buf, n);
    else if (k % 3 == 1) { struct iovec v[2] = {{buf, n / 2}, {buf + n / 2, n - n / 2}}; w = writev(fd, v, 2); }
    else w = send(fd, buf, n, 0);
    if (w <= 0) { show("send_all", -1); return -1; }
    off += w;
  }
  return 0;
}

/** Read until EOF, checking every byte against the pattern; returns the count, or -1 at the first mismatch. */
static long recv_all(int fd) {
  static uint8_t buf[200000];
  uint64_t off = 0;
  unsigned k = 7;
  for (;;) {
    k = k * 1103515245 + 12345;
    size_t n = 1 + (k >> 8) % sizeof buf;
    ssize_t r = (k & 1) ? recv(fd, buf, n, MSG_WAITALL) : read(fd, buf, n);
    if (r < 0) { show("recv_all", -1); return -1; }
    if (r == 0) return off;
    for (ssize_t i = 0; i < r; i++) if (buf[i] != byte_at(off + i)) { printf("mismatch at %llu\n", (unsigned long long)(off + i)); return -1; }
    off += r;
  }
}

static void pair(int *srv, int *cli) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {AF_INET, 0, {htonl(INADDR_LOOPBACK)}, {0}};
  bind(l, (struct sockaddr *)&a, sizeof a);
  listen(l, 1);
  socklen_t len = sizeof a;
  getsockname(l, (struct sockaddr *)&a, &len);
  *cli = socket(AF_INET, SOCK_STREAM, 0);
  connect(*cli, (struct sockaddr *)&a, sizeof a);
  *srv = accept(l, NULL, NULL);
  close(l);
}

static void bulk(void) {
  int s, c;
  pair(&s, &c);
  pid_t kid = fork();
  if (kid == 0) { // child: send everything, half-close, then take the reply
    close(s);
    int ok = send_all(c) == 0;
    shutdown(c, SHUT_WR);
    long got = recv_all(c);
    _exit(ok && got == TOTAL ? 0 : 1);
  }
  close(c);
  long got = recv_all(s);
  printf("server received %ld bytes intact: %d\n", got, got == TOTAL);
  printf("server sent back: %d\n", send_all(s));
  close(s);
  int st;
  waitpid(kid, &st, 0);
  printf("client status %d\n", WEXITSTATUS(st));
}

static void fill(void) {
  int s, c;
  pair(&s, &c);
  fcntl(c, F_SETFL, O_NONBLOCK);
  static char chunk[65536];
  long sent = 0;
  ssize_t w;
  for (int i = 0; i < 100000 && (w = write(c, chunk, sizeof chunk)) > 0; i++) sent += w;
  printf("filled: stopped with %s after sending something: %d\n", strerrorname_np(errno), sent > 0);
  struct pollfd p = {c, POLLOUT, 0};
  printf("POLLOUT while full: %d\n", poll(&p, 1, 0));
  long drained = 0;
  char buf[65536];
  while (drained < sent) {
    ssize_t r = read(s, buf, sizeof buf);
    if (r <= 0) break;
    drained += r;
  }
  printf("drained all: %d\n", drained == sent);
  printf("POLLOUT after the drain: %d\n", poll(&p, 1, 5000));
  close(s);
  close(c);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  bulk();
  fill();
  return 0;
}
