// memfd_create: write, read back, size, mmap, seals.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
  int fd = memfd_create("demo", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  printf("write: %zd\n", write(fd, "hello memfd", 11));
  struct stat st;
  fstat(fd, &st);
  printf("size=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));
  char buf[32] = {0};
  printf("pread: %zd '%s'\n", pread(fd, buf, sizeof buf, 6), buf);
  char *m = mmap(NULL, 11, PROT_READ, MAP_PRIVATE, fd, 0);
  printf("mmap: '%.5s'\n", m);
  printf("add seals: %d\n", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK));
  printf("get seals: %#x\n", fcntl(fd, F_GET_SEALS));
  ssize_t w = pwrite(fd, "x", 1, 100);
  printf("grow: %zd %s\n", w, strerror(errno));
  int r = ftruncate(fd, 2);
  printf("shrink: %d %s\n", r, strerror(errno));
  int nos = memfd_create("plain", 0);
  r = fcntl(nos, F_ADD_SEALS, F_SEAL_WRITE);
  printf("unsealable: %d %s\n", r, strerror(errno));
  return 0;
}
