#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/falloc.h>
static void show(int fd, const char *what, int r) {
  struct stat st; fstat(fd, &st);
  char buf[64]; memset(buf, '.', sizeof buf);
  ssize_t n = pread(fd, buf, sizeof buf, 0);
  printf("%-28s r=%d errno=%s size=%lld head=", what, r, r ? strerror(errno) : "-", (long long)st.st_size);
  for (int i = 0; i < n && i < 24; i++) putchar(buf[i] ? buf[i] : '0');
  putchar('\n');
}
int main(void) {
  int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
  char big[3 * 4096]; for (int i = 0; i < (int)sizeof big; i++) big[i] = 'a' + (i / 4096);
  write(fd, big, sizeof big);
  show(fd, "start", 0);
  show(fd, "punch no keep", fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 4));
  show(fd, "punch 2..6", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 2, 4));
  show(fd, "zero 8..10 past", fallocate(fd, FALLOC_FL_ZERO_RANGE, 8, 2));
  show(fd, "zero keep past end", fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 12000, 9000));
  show(fd, "zero grow past end", fallocate(fd, FALLOC_FL_ZERO_RANGE, 12000, 1000));
  show(fd, "keep size past end", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 100000));
  show(fd, "collapse unaligned", fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 1, 4096));
  show(fd, "collapse block 0", fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, 4096));
  show(fd, "collapse to end", fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 4096, 8192));
  show(fd, "insert block 0", fallocate(fd, FALLOC_FL_INSERT_RANGE, 0, 4096));
  show(fd, "insert at end", fallocate(fd, FALLOC_FL_INSERT_RANGE, 16384, 4096));
  show(fd, "insert+keep", fallocate(fd, FALLOC_FL_INSERT_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096));
  show(fd, "punch+zero", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 0, 1));
  show(fd, "bad mode", fallocate(fd, 0x400, 0, 1));
  show(fd, "len 0", fallocate(fd, 0, 0, 0));
  show(fd, "mode 0 grow", fallocate(fd, 0, 20000, 100));
  int ro = open("f", O_RDONLY);
  show(ro, "read-only fd", fallocate(ro, 0, 0, 1));
  int d = open(".", O_RDONLY | O_DIRECTORY);
  printf("dir: %d %s\n", fallocate(d, 0, 0, 1), strerror(errno));
  int p[2]; pipe(p);
  printf("pipe: %d %s\n", fallocate(p[1], 0, 0, 1), strerror(errno));
  int m = memfd_create("m", 0);
  write(m, big, sizeof big);
  show(m, "memfd punch", fallocate(m, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4090, 10));
  show(m, "memfd collapse", fallocate(m, FALLOC_FL_COLLAPSE_RANGE, 0, 4096));
  show(m, "memfd zero", fallocate(m, FALLOC_FL_ZERO_RANGE, 0, 4096));
  show(m, "memfd keep past", fallocate(m, FALLOC_FL_KEEP_SIZE, 0, 65536));
  return 0;
}
