// memfd MAP_SHARED: two mappings of one memfd (different offsets) are one memory, read()/write() see the
// mapped bytes both ways, a forked child's store is seen by read() in the parent, and a shrink + regrow
// reads zeros through the mapping.
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  int fd = memfd_create("shared", MFD_CLOEXEC);
  pwrite(fd, "before mmap", 11, 0);
  show("ftruncate", ftruncate(fd, 3 * 4096));
  char *all = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  char *mid = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
  printf("mapped: \"%s\"\n", all);
  strcpy(mid + 10, "through the second mapping");
  printf("first mapping: \"%s\"\n", all + 4096 + 10);
  char buf[64] = {0};
  pread(fd, buf, 26, 4096 + 10);
  printf("read(): \"%s\"\n", buf);
  pwrite(fd, "pwrite", 7, 2 * 4096 + 5);
  printf("mapping after pwrite: \"%s\"\n", all + 2 * 4096 + 5);
  pid_t c = fork();
  if (c == 0) {
    strcpy(all + 2 * 4096 + 100, "the child's store");
    _exit(0);
  }
  waitpid(c, NULL, 0);
  memset(buf, 0, sizeof buf);
  pread(fd, buf, 17, 2 * 4096 + 100);
  printf("parent read(): \"%s\"\n", buf);
  show("shrink to one page", ftruncate(fd, 4096));
  show("grow back", ftruncate(fd, 3 * 4096));
  printf("after shrink and regrow: %d %d, page 0 kept \"%s\"\n", all[2 * 4096 + 100], mid[10], all);
  close(fd);
  strcpy(all, "after close");
  printf("second mapping still one memory: %d\n", mid[-4096 + 4096] == all[4096]);
  return 0;
}
