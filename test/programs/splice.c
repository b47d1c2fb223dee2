// splice(2) between pipes and files (offsets in both directions, file positions), pipes and sockets, pipe to
// pipe; tee(2) duplicating without consuming; vmsplice(2) both ways; SPLICE_F_NONBLOCK, EOF, EPIPE and the
// EINVAL/ESPIPE/EBADF cases; a 200000-byte file -> pipe -> file round trip and a splice that waits for a writer.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOW(label, call) do { errno = 0; long r_ = (call); printf("%s: %ld %s\n", label, r_, r_ < 0 ? strerror(errno) : "ok"); fflush(stdout); } while (0)

static void drain(const char *label, int fd) {
  char b[256];
  ssize_t n = read(fd, b, sizeof b);
  printf("%s: [%.*s]\n", label, (int)(n < 0 ? 0 : n), b);
}
static int queued(int fd) { int n = -1; ioctl(fd, FIONREAD, &n); return n; }

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  int src = open("sp.src", O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(src, "hello splice world\n", 19);
  lseek(src, 0, SEEK_SET);
  int p[2], q[2];
  pipe(p);
  pipe(q);

  loff_t off = 6;
  SHOW("file@6 -> pipe", splice(src, &off, p[1], NULL, 6, 0));
  printf("off %lld pos %lld\n", (long long)off, (long long)lseek(src, 0, SEEK_CUR));
  SHOW("file@pos -> pipe", splice(src, NULL, p[1], NULL, 5, SPLICE_F_MOVE | SPLICE_F_MORE));
  printf("pos %lld queued %d\n", (long long)lseek(src, 0, SEEK_CUR), queued(p[0]));
  SHOW("tee p -> q", tee(p[0], q[1], 100, 0));
  printf("queued p %d q %d\n", queued(p[0]), queued(q[0]));
  drain("q", q[0]);
  SHOW("tee 3 bytes", tee(p[0], q[1], 3, 0));
  drain("q", q[0]);

  int dst = open("sp.dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(dst, "0123456789abcdefghij", 20);
  loff_t oo = 3;
  SHOW("pipe -> file@3", splice(p[0], NULL, dst, &oo, 4, 0));
  printf("off %lld pos %lld\n", (long long)oo, (long long)lseek(dst, 0, SEEK_CUR));
  lseek(dst, 1, SEEK_SET);
  SHOW("pipe -> file@pos", splice(p[0], NULL, dst, NULL, 100, 0));
  printf("pos %lld\n", (long long)lseek(dst, 0, SEEK_CUR));
  char b[64] = {0};
  pread(dst, b, 20, 0);
  printf("dst [%s]\n", b);
  SHOW("empty pipe NONBLOCK", splice(p[0], NULL, dst, NULL, 100, SPLICE_F_NONBLOCK));
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  SHOW("empty O_NONBLOCK pipe", splice(p[0], NULL, dst, NULL, 100, 0));
  fcntl(p[0], F_SETFL, 0);

  // pipe -> pipe
  write(p[1], "moved", 5);
  SHOW("pipe -> pipe", splice(p[0], NULL, q[1], NULL, 100, 0));
  printf("queued p %d q %d\n", queued(p[0]), queued(q[0]));
  drain("q", q[0]);

  // errors
  SHOW("len 0 on bad fds", splice(-1, NULL, -1, NULL, 0, 0));
  SHOW("bad flags", splice(src, NULL, p[1], NULL, 1, 0x10));
  SHOW("file -> file", splice(src, NULL, dst, NULL, 1, 0));
  SHOW("offset on pipe", splice(p[0], &off, dst, NULL, 1, 0));
  SHOW("from write end", splice(p[1], NULL, dst, NULL, 1, 0));
  SHOW("same pipe", splice(p[0], NULL, p[1], NULL, 1, 0));
  SHOW("tee file", tee(src, q[1], 1, 0));
  SHOW("tee same pipe", tee(p[0], p[1], 1, 0));
  SHOW("bad fd", splice(99, NULL, p[1], NULL, 1, 0));
  int app = open("sp.dst", O_WRONLY | O_APPEND);
  write(p[1], "x", 1);
  SHOW("to O_APPEND", splice(p[0], NULL, app, NULL, 1, 0));
  close(app);
  drain("left", p[0]);
  int d = open(".", O_RDONLY | O_DIRECTORY);
  SHOW("from directory", splice(d, NULL, p[1], NULL, 1, 0));
  close(d);
  off = -1;
  SHOW("negative offset", splice(src, &off, p[1], NULL, 1, 0));

  // file at EOF, pipe with no writer, pipe with no reader
  off = 19;
  SHOW("file at EOF", splice(src, &off, p[1], NULL, 10, 0));
  int r[2];
  pipe(r);
  close(r[1]);
  SHOW("no writer", splice(r[0], NULL, dst, NULL, 10, 0));
  SHOW("tee no writer", tee(r[0], q[1], 10, 0));
  close(r[0]);
  pipe(r);
  close(r[0]);
  off = 0;
  SHOW("no reader", splice(src, &off, r[1], NULL, 10, 0));
  close(r[1]);

  // sockets
  int s[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, s);
  write(s[1], "sock", 4);
  SHOW("socket -> pipe", splice(s[0], NULL, p[1], NULL, 100, 0));
  SHOW("pipe -> socket", splice(p[0], NULL, s[0], NULL, 100, 0));
  drain("socket", s[1]);
  SHOW("socket with offset", splice(s[0], &off, p[1], NULL, 1, 0));

  // vmsplice
  struct iovec iov[2] = {{"abc", 3}, {"defg", 4}};
  SHOW("vmsplice in", vmsplice(p[1], iov, 2, 0));
  drain("vm", p[0]);
  write(p[1], "123456", 6);
  char x[3], y[3];
  struct iovec out[2] = {{x, 3}, {y, 3}};
  SHOW("vmsplice out", vmsplice(p[0], out, 2, 0));
  printf("[%.3s][%.3s]\n", x, y);
  SHOW("vmsplice file", vmsplice(src, iov, 2, 0));
  SHOW("vmsplice no segs", vmsplice(p[1], iov, 0, 0));
  fcntl(p[1], F_SETFL, O_NONBLOCK);
  char *big = calloc(1, 1 << 16);
  long filled = write(p[1], big, 1 << 16);
  printf("filled %ld\n", filled);
  SHOW("vmsplice full NONBLOCK", vmsplice(p[1], iov, 2, SPLICE_F_NONBLOCK));
  SHOW("tee into full", tee(q[0], p[1], 1, SPLICE_F_NONBLOCK));
  close(p[0]);
  close(p[1]);
  pipe(p);

  // round trip: 200000 bytes file -> pipe -> file
  char *pat = malloc(200000), *back = malloc(200000);
  for (int i = 0; i < 200000; i++) pat[i] = (char)(i * 7 + i / 251);
  int big1 = open("sp.big", O_RDWR | O_CREAT | O_TRUNC, 0644), big2 = open("sp.big2", O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(big1, pat, 200000);
  lseek(big1, 0, SEEK_SET);
  long total = 0;
  for (;;) {
    ssize_t n = splice(big1, NULL, p[1], NULL, 1 << 16, 0);
    if (n <= 0) break;
    while (n > 0) { ssize_t m = splice(p[0], NULL, big2, NULL, n, 0); if (m <= 0) return 1; n -= m; total += m; }
  }
  pread(big2, back, 200000, 0);
  printf("round trip %ld equal %d\n", total, memcmp(pat, back, 200000) == 0);

  // a splice that waits for a writer
  pid_t pid = fork();
  if (pid == 0) { usleep(100000); write(p[1], "late", 4); _exit(0); }
  close(p[1]);
  lseek(dst, 0, SEEK_SET);
  SHOW("waited", splice(p[0], NULL, dst, NULL, 100, 0));
  waitpid(pid, NULL, 0);
  SHOW("then EOF", splice(p[0], NULL, dst, NULL, 100, 0));
  memset(b, 0, sizeof b);
  pread(dst, b, 20, 0);
  printf("dst [%s]\n", b);
  unlink("sp.src"); unlink("sp.dst"); unlink("sp.big"); unlink("sp.big2");
  return 0;
}
