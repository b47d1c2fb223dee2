// A buffer grown one page at a time by mremap(MREMAP_MAYMOVE) 1200 times, a page mapped right after it each
// time so it cannot grow in place and moves every time (as realloc of a large block may): Linux never runs
// out, and the moved buffer keeps its bytes. Every 64th page is written, so few pages travel with each move.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "report.h"

#define PAGE 4096
#define STEPS 1200

int main(void) {
  size_t len = PAGE;
  char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  p[0] = 1;
  int moved = 0;
  for (int i = 1; i < STEPS; i++) {
    void *n = mmap(p + len, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (n == MAP_FAILED && errno != EEXIST) { // EEXIST: something is there already, as good a neighbour
      printf("neighbour %d: %s\n", i, strerrorname_np(errno));
      return 1;
    }
    char *q = mremap(p, len, len + PAGE, MREMAP_MAYMOVE);
    if (q == MAP_FAILED) {
      printf("mremap %d: %s\n", i, strerrorname_np(errno));
      return 1;
    }
    moved += q != p;
    p = q;
    len += PAGE;
    if (i % 64 == 0) p[len - PAGE] = (char)(i / 64 + 1);
  }
  int bad = 0;
  for (int i = 0; i < STEPS; i += 64) bad += p[(size_t)i * PAGE] != (char)(i / 64 + 1);
  printf("%d pages, moved: %s, bytes kept: %s\n", STEPS, moved == STEPS - 1 ? "every time" : "not always", bad ? "no" : "yes");
  show("munmap", munmap(p, len));
  return 0;
}
