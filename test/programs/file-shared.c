// A regular file mapped MAP_SHARED by several processes: stores are seen by the other mappings at once,
// reach read() of a fresh open in another process after msync(MS_SYNC), and after munmap without msync;
// write() is seen by the mappings; write-back never changes the file's size.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

static char path[64];

static void read_in_child(const char *what, off_t at, size_t n) {
  pid_t c = fork();
  if (c == 0) {
    char buf[64] = {0};
    int fd = open(path, O_RDONLY);
    pread(fd, buf, n, at);
    printf("%s: another process reads \"%s\"\n", what, buf);
    _exit(0);
  }
  waitpid(c, NULL, 0);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  snprintf(path, sizeof path, "/tmp/pbash-file-shared-%d", getpid());
  int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
  char block[10000];
  memset(block, 'a', sizeof block);
  write(fd, block, sizeof block);
  char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  pid_t c = fork();
  if (c == 0) {
    int cfd = open(path, O_RDWR);
    char *q = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 4096);
    close(cfd);
    memcpy(q + 5000 - 4096, "CHILD", 5);
    show("child msync", msync(q, 8192, MS_SYNC));
    _exit(0);
  }
  waitpid(c, NULL, 0);
  printf("parent's mapping: \"%.5s\"\n", p + 5000);
  read_in_child("after msync", 5000, 5);
  pwrite(fd, "WRITE", 5, 6000);
  printf("mapping after pwrite: \"%.5s\"\n", p + 6000);
  memcpy(p + 7000, "MUNMAP", 6);
  memcpy(p + 9995, "END", 3); // the last bytes inside the file; the page beyond its end stays unwritten
  show("munmap", munmap(p, 3 * 4096));
  read_in_child("after munmap", 7000, 6);
  struct stat sb;
  fstat(fd, &sb);
  char tail[6] = {0};
  pread(fd, tail, 5, 9995);
  printf("size %lld, tail \"%s\"\n", (long long)sb.st_size, tail);
  // A read-only shared mapping of a read-only open sees what another process stores.
  int ro = open(path, O_RDONLY);
  char *r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, 0);
  c = fork();
  if (c == 0) {
    char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy(w, "SEEN", 4);
    _exit(0);
  }
  waitpid(c, NULL, 0);
  printf("read-only mapping: \"%.4s\"\n", r);
  munmap(r, 4096);
  close(ro);
  close(fd);
  fd = open(path, O_RDONLY);
  char head[5] = {0};
  pread(fd, head, 4, 0);
  printf("after every mapping is gone: \"%s\"\n", head);
  unlink(path);
  return 0;
}
