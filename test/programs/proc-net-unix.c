// AF_UNIX sockets in /proc/net/unix (unix_seq_show): each socket of this program found by its inode (fstat of
// the fd, as lsof and fuser match them) and its fields printed, never the kernel address; the header line.
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static unsigned long ino_of(int fd) {
  struct stat st;
  fstat(fd, &st);
  return st.st_ino;
}

/** The /proc/net/unix line of `fd`'s socket, fields printed by name; "absent" when none. */
static void entry(const char *what, int fd) {
  FILE *f = fopen("/proc/net/unix", "r");
  char line[512];
  unsigned long want = ino_of(fd);
  int found = 0;
  if (!f) { printf("%s: fopen %s\n", what, strerrorname_np(errno)); return; }
  if (!fgets(line, sizeof line, f)) line[0] = 0;
  while (fgets(line, sizeof line, f)) {
    char num[32], path[256] = "";
    unsigned refs, proto, flags, type, st;
    unsigned long ino;
    int n = sscanf(line, "%31s %x %x %x %x %x %lu %255[^\n]", num, &refs, &proto, &flags, &type, &st, &ino, path);
    if (n < 7 || ino != want) continue;
    found = 1;
    printf("%s: num=%zu colon=%d refs=%u proto=%u flags=%05x type=%u st=%u path=[%s]\n", what, strlen(num),
           num[strlen(num) - 1] == ':', refs, proto, flags, type, st, path);
  }
  if (!found) printf("%s: absent\n", what);
  fclose(f);
}

static socklen_t name(struct sockaddr_un *a, const char *path, int abstract) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  if (abstract) { strcpy(a->sun_path + 1, path); return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path); }
  strcpy(a->sun_path, path);
  return sizeof *a;
}

int main(void) {
  FILE *f = fopen("/proc/net/unix", "r");
  char head[256];
  if (f && fgets(head, sizeof head, f)) printf("header: %s", head);
  if (f) fclose(f);
  struct sockaddr_un a;
  const char *path = "proc-net-unix.sock"; // relative: the program runs in its own directory both ways
  unlink(path);

  int unbound = socket(AF_UNIX, SOCK_STREAM, 0);
  entry("unbound stream", unbound);
  int lis = socket(AF_UNIX, SOCK_STREAM, 0);
  socklen_t len = name(&a, path, 0);
  bind(lis, (struct sockaddr *)&a, len);
  entry("bound stream", lis);
  listen(lis, 5);
  entry("listening", lis);
  int cli = socket(AF_UNIX, SOCK_STREAM, 0);
  connect(cli, (struct sockaddr *)&a, len);
  entry("client before accept", cli);
  entry("listener with pending", lis);
  int srv = accept(lis, NULL, NULL);
  entry("client after accept", cli);
  entry("accepted", srv);
  entry("listener after accept", lis);
  close(srv);
  entry("client after peer close", cli);
  shutdown(cli, SHUT_RDWR);
  entry("client after shutdown", cli);
  close(cli);

  int sp[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
  entry("stream pair 0", sp[0]);
  close(sp[1]);
  entry("stream pair 0 after close 1", sp[0]);

  int dp[2];
  socketpair(AF_UNIX, SOCK_DGRAM, 0, dp);
  entry("dgram pair 0", dp[0]);
  int sq[2];
  socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sq);
  entry("seqpacket pair 0", sq[0]);

  int ab = socket(AF_UNIX, SOCK_DGRAM, 0);
  len = name(&a, "pbash-proc-net-unix-abstract", 1);
  bind(ab, (struct sockaddr *)&a, len);
  entry("abstract dgram", ab);
  int dc = socket(AF_UNIX, SOCK_DGRAM, 0);
  connect(dc, (struct sockaddr *)&a, len);
  entry("dgram connected", dc);
  entry("abstract dgram with a connected sender", ab);
  send(dc, "x", 1, 0);
  entry("abstract dgram with a datagram queued", ab);

  int ex = socket(AF_UNIX, SOCK_DGRAM, 0);
  len = name(&a, "with\x01odd name", 1);
  bind(ex, (struct sockaddr *)&a, len);
  entry("abstract odd name", ex);

  int au = socket(AF_UNIX, SOCK_DGRAM, 0);
  struct sockaddr_un got;
  socklen_t gl = sizeof got;
  bind(au, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path));
  getsockname(au, (struct sockaddr *)&got, &gl);
  FILE *g = fopen("/proc/net/unix", "r");
  char line[512];
  int autob = 0;
  while (g && fgets(line, sizeof line, g)) {
    unsigned long ino;
    char p[64] = "";
    if (sscanf(line, "%*s %*x %*x %*x %*x %*x %lu %63s", &ino, p) >= 1 && ino == ino_of(au))
      autob = strlen(p) == 6 && p[0] == '@' && memcmp(p + 1, got.sun_path + 1, 5) == 0;
  }
  if (g) fclose(g);
  printf("autobind name shown as @ + its 5 hex digits: %d\n", autob);

  int dup_fd = dup(unbound);
  entry("dup of unbound", dup_fd);
  close(unbound);
  close(dup_fd);
  entry("closed (fd reused or not)", lis);
  close(lis);
  unlink(path);
  return 0;
}
