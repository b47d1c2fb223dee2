// TCP and UDP sockets in /proc/net/tcp, tcp6, udp, udp6 (tcp4_seq_show, tcp6_seq_show, udp4_format_sock,
// udp6_seq_show): each socket of this program found by its inode, its addresses checked against
// getsockname/getpeername in Linux's hex form, its state, queues, uid and timers printed; the header lines
// and the padded row width. Unbound and merely bound TCP sockets are not listed.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned long ino_of(int fd) {
  struct stat st;
  fstat(fd, &st);
  return st.st_ino;
}

/** An address as the listing prints it: each 32-bit word of the address in host order, then the port. */
static void hexaddr(const struct sockaddr_storage *a, char *out) {
  if (a->ss_family == AF_INET) {
    const struct sockaddr_in *s = (const void *)a;
    sprintf(out, "%08X:%04X", s->sin_addr.s_addr, ntohs(s->sin_port));
  } else {
    const struct sockaddr_in6 *s = (const void *)a;
    const unsigned *w = (const unsigned *)&s->sin6_addr;
    sprintf(out, "%08X%08X%08X%08X:%04X", w[0], w[1], w[2], w[3], ntohs(s->sin6_port));
  }
}

static void header(const char *file) {
  char path[64], line[512];
  snprintf(path, sizeof path, "/proc/net/%s", file);
  FILE *f = fopen(path, "r");
  if (!f) { printf("%s: %s\n", file, strerrorname_np(errno)); return; }
  if (fgets(line, sizeof line, f)) printf("%s header (%zu): %s", file, strlen(line), line);
  fclose(f);
}

static void entry(const char *what, const char *file, int fd) {
  char path[64], line[512];
  snprintf(path, sizeof path, "/proc/net/%s", file);
  FILE *f = fopen(path, "r");
  if (!f) { printf("%s: %s\n", what, strerrorname_np(errno)); return; }
  struct sockaddr_storage me, peer;
  socklen_t l = sizeof me;
  char want_local[64] = "?", want_remote[64] = "?";
  if (getsockname(fd, (struct sockaddr *)&me, &l) == 0) hexaddr(&me, want_local);
  l = sizeof peer;
  if (getpeername(fd, (struct sockaddr *)&peer, &l) == 0) hexaddr(&peer, want_remote);
  int found = 0;
  fgets(line, sizeof line, f);
  while (fgets(line, sizeof line, f)) {
    char local[64], remote[64];
    unsigned st, tx, rx, tr, retr, uid;
    unsigned long when, ino;
    int sl, timeout;
    if (sscanf(line, "%d: %63s %63s %X %X:%X %X:%lX %X %u %d %lu", &sl, local, remote, &st, &tx, &rx, &tr, &when, &retr, &uid,
               &timeout, &ino) != 12 || ino != ino_of(fd)) continue;
    found = 1;
    int remote_any = strspn(remote, "0:") == strlen(remote);
    printf("%s: local=%s remote=%s st=%02X tx=%u rx=%u tr=%u when=%lu retr=%u uid=%u timeout=%d width=%zu\n", what,
           strcmp(local, want_local) == 0 ? "getsockname" : local,
           strcmp(remote, want_remote) == 0 ? "getpeername" : remote_any ? "any" : remote, st, tx, rx, tr, when, retr, uid, timeout,
           strchr(file, '6') ? 0 : strlen(line)); // IPv4 rows are padded to a fixed width
  }
  if (!found) printf("%s: absent\n", what);
  fclose(f);
}

/** The row of a connection still in `lis`'s accept queue: local is the listener's address, remote the client's. */
static void pending_entry(const char *file, int lis, int client) {
  char path[64], line[512], want_local[64], want_remote[64];
  struct sockaddr_storage a;
  socklen_t l = sizeof a;
  getsockname(lis, (struct sockaddr *)&a, &l);
  hexaddr(&a, want_local);
  l = sizeof a;
  getsockname(client, (struct sockaddr *)&a, &l);
  hexaddr(&a, want_remote);
  snprintf(path, sizeof path, "/proc/net/%s", file);
  FILE *f = fopen(path, "r");
  int found = 0;
  fgets(line, sizeof line, f);
  while (fgets(line, sizeof line, f)) {
    char local[64], remote[64];
    unsigned st, uid;
    unsigned long ino;
    if (sscanf(line, "%*d: %63s %63s %X %*X:%*X %*X:%*X %*X %u %*d %lu", local, remote, &st, &uid, &ino) != 5) continue;
    if (strcmp(local, want_local) || strcmp(remote, want_remote)) continue;
    found++;
    printf("tcp connection waiting for accept: st=%02X uid=%u inode=%lu\n", st, uid, ino);
  }
  if (!found) printf("tcp connection waiting for accept: absent\n");
  fclose(f);
}

static void wait_for(int fd, short ev) {
  struct pollfd p = { fd, ev, 0 };
  poll(&p, 1, 5000);
}

static void tcp(int family, const char *file) {
  struct sockaddr_storage a = { 0 };
  socklen_t len;
  if (family == AF_INET) {
    struct sockaddr_in *s = (void *)&a;
    s->sin_family = AF_INET;
    s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof *s;
  } else {
    struct sockaddr_in6 *s = (void *)&a;
    s->sin6_family = AF_INET6;
    s->sin6_addr = in6addr_loopback;
    len = sizeof *s;
  }
  int un = socket(family, SOCK_STREAM, 0);
  entry("tcp unbound", file, un);
  int lis = socket(family, SOCK_STREAM, 0);
  bind(lis, (struct sockaddr *)&a, len);
  listen(lis, 4);
  entry("tcp listening", file, lis);
  getsockname(lis, (struct sockaddr *)&a, &len);
  int c = socket(family, SOCK_STREAM, 0);
  connect(c, (struct sockaddr *)&a, len);
  wait_for(lis, POLLIN);
  entry("tcp listening with one to accept", file, lis);
  pending_entry(file, lis, c);
  int s = accept(lis, NULL, NULL);
  entry("tcp client", file, c);
  entry("tcp accepted", file, s);
  write(c, "hello", 5);
  wait_for(s, POLLIN);
  entry("tcp accepted with 5 bytes unread", file, s);
  char buf[8];
  read(s, buf, sizeof buf);
  shutdown(c, SHUT_WR);
  wait_for(s, POLLRDHUP);
  entry("tcp accepted after the client's FIN", file, s);
  close(s);
  close(c);
  close(lis);
  close(un);
}

static void udp(int family, const char *file) {
  struct sockaddr_storage a = { 0 };
  socklen_t len;
  if (family == AF_INET) {
    struct sockaddr_in *s = (void *)&a;
    s->sin_family = AF_INET;
    s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof *s;
  } else {
    struct sockaddr_in6 *s = (void *)&a;
    s->sin6_family = AF_INET6;
    s->sin6_addr = in6addr_loopback;
    len = sizeof *s;
  }
  int un = socket(family, SOCK_DGRAM, 0);
  entry("udp unbound", file, un);
  int b = socket(family, SOCK_DGRAM, 0);
  bind(b, (struct sockaddr *)&a, len);
  entry("udp bound", file, b);
  getsockname(b, (struct sockaddr *)&a, &len);
  int c = socket(family, SOCK_DGRAM, 0);
  connect(c, (struct sockaddr *)&a, len);
  entry("udp connected", file, c);
  close(c);
  close(b);
  close(un);
}

int main(void) {
  const char *files[] = { "tcp", "tcp6", "udp", "udp6", "raw", "raw6" };
  for (int i = 0; i < 6; i++) header(files[i]);
  tcp(AF_INET, "tcp");
  tcp(AF_INET6, "tcp6");
  udp(AF_INET, "udp");
  udp(AF_INET6, "udp6");
  return 0;
}
