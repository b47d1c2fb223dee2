// NUMA policies and protection keys on a one-node machine without PKU: set_mempolicy/get_mempolicy of the
// thread, mbind's per-range policy (and its VMA splits seen in /proc/self/maps), the node-mask ABI's
// off-by-one, migrate_pages/move_pages, pkey_alloc/pkey_mprotect/pkey_free.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3
#define MPOL_LOCAL 4
#define MPOL_PREFERRED_MANY 5
#define MPOL_F_STATIC_NODES (1 << 15)
#define MPOL_F_RELATIVE_NODES (1 << 14)
#define MPOL_F_NUMA_BALANCING (1 << 13)
#define MPOL_F_NODE 1
#define MPOL_F_ADDR 2
#define MPOL_F_MEMS_ALLOWED 4
#define MPOL_MF_STRICT 1
#define MPOL_MF_MOVE 2

static long setpol(int mode, unsigned long mask, unsigned long maxnode) {
  return syscall(SYS_set_mempolicy, mode, mask || maxnode ? &mask : NULL, maxnode);
}

static void getpol(const char *what, unsigned long maxnode, void *addr, int flags) {
  int mode = -7;
  unsigned long mask[3] = {0xaaaa, 0xbbbb, 0xcccc};
  long r = syscall(SYS_get_mempolicy, &mode, mask, maxnode, addr, flags);
  if (r < 0) show(what, r);
  else printf("%s: mode %d mask %lx %lx %lx\n", what, mode, mask[0], mask[1], mask[2]);
}

static void set_and_get(const char *what, int mode, unsigned long mask, unsigned long maxnode) {
  long r = setpol(mode, mask, maxnode);
  show(what, r);
  if (r == 0) getpol("  now", 129, NULL, 0);
}

// the VMAs of [p, p+len) as /proc/self/maps lists them: how many lines cover the range
static int vmas_in(char *p, size_t len) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[512];
  int n = 0;
  while (fgets(line, sizeof line, f)) {
    unsigned long s, e;
    if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s < (unsigned long)p + len && e > (unsigned long)p) n++;
  }
  fclose(f);
  return n;
}

static long mbind(void *addr, unsigned long len, int mode, unsigned long mask, unsigned long maxnode, unsigned flags) {
  return syscall(SYS_mbind, addr, len, mode, &mask, maxnode, flags);
}

int main(void) {
  long page = sysconf(_SC_PAGESIZE);
  getpol("initial", 64, NULL, 0);
  getpol("maxnode 0 with a mask", 0, NULL, 0);
  getpol("maxnode 1", 1, NULL, 0);
  getpol("maxnode 65", 65, NULL, 0);
  getpol("maxnode 66", 66, NULL, 0);
  getpol("maxnode 129", 129, NULL, 0);
  getpol("mems allowed", 64, NULL, MPOL_F_MEMS_ALLOWED);
  getpol("mems allowed + node", 64, NULL, MPOL_F_MEMS_ALLOWED | MPOL_F_NODE);
  getpol("bad flag", 64, NULL, 8);
  getpol("addr without F_ADDR", 64, (void *)4096, 0);
  getpol("F_NODE without interleave", 64, NULL, MPOL_F_NODE);
  show("get_mempolicy all NULL", syscall(SYS_get_mempolicy, NULL, NULL, 0, NULL, 0));

  set_and_get("bind node 0", MPOL_BIND, 1, 64);
  set_and_get("bind nodes 0-3", MPOL_BIND, 0xf, 64);
  set_and_get("bind node 1 only", MPOL_BIND, 2, 64);
  set_and_get("bind empty", MPOL_BIND, 0, 64);
  set_and_get("bind maxnode 1 (no bits)", MPOL_BIND, 1, 1);
  set_and_get("bind maxnode 2", MPOL_BIND, 1, 2);
  set_and_get("interleave 0-1", MPOL_INTERLEAVE, 3, 64);
  getpol("F_NODE under interleave", 64, NULL, MPOL_F_NODE);
  set_and_get("preferred 0", MPOL_PREFERRED, 1, 64);
  set_and_get("preferred empty", MPOL_PREFERRED, 0, 64);
  set_and_get("preferred empty static", MPOL_PREFERRED | MPOL_F_STATIC_NODES, 0, 64);
  set_and_get("preferred many 0", MPOL_PREFERRED_MANY, 1, 64);
  set_and_get("local", MPOL_LOCAL, 0, 64);
  set_and_get("local with a node", MPOL_LOCAL, 1, 64);
  set_and_get("bind static 0,2", MPOL_BIND | MPOL_F_STATIC_NODES, 5, 64);
  set_and_get("bind static 2 only", MPOL_BIND | MPOL_F_STATIC_NODES, 4, 64);
  set_and_get("bind relative 2", MPOL_BIND | MPOL_F_RELATIVE_NODES, 4, 64);
  set_and_get("static + relative", MPOL_BIND | MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES, 1, 64);
  set_and_get("bind numa balancing", MPOL_BIND | MPOL_F_NUMA_BALANCING, 1, 64);
  set_and_get("interleave numa balancing", MPOL_INTERLEAVE | MPOL_F_NUMA_BALANCING, 1, 64);
  set_and_get("mode 99", 99, 1, 64);
  set_and_get("mode -1", -1, 1, 64);
  set_and_get("default with a node", MPOL_DEFAULT, 1, 64);
  unsigned long big[20] = {1};
  big[17] = 1; // node 1088: beyond MAX_NUMNODES
  show("bind node past MAX_NUMNODES", syscall(SYS_set_mempolicy, MPOL_BIND, big, 20 * 64));
  big[17] = 0;
  show("bind long mask, high words clear", syscall(SYS_set_mempolicy, MPOL_BIND, big, 20 * 64));
  show("maxnode over a page of bits", syscall(SYS_set_mempolicy, MPOL_BIND, big, 4096 * 8 + 2));
  show("mask pointer bad", syscall(SYS_set_mempolicy, MPOL_BIND, (void *)8, 64));

  // the thread policy is inherited by a child
  set_and_get("interleave before fork", MPOL_INTERLEAVE, 1, 64);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) { getpol("child", 64, NULL, 0); fflush(stdout); _exit(0); }
  waitpid(c, NULL, 0);
  set_and_get("default", MPOL_DEFAULT, 0, 0);

  char *p = mmap(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("vmas at start: %d\n", vmas_in(p, 8 * page));
  show("mbind middle bind", mbind(p + 2 * page, 2 * page, MPOL_BIND, 1, 64, 0));
  printf("vmas: %d\n", vmas_in(p, 8 * page));
  getpol("range policy inside", 64, p + 2 * page, MPOL_F_ADDR);
  getpol("range policy outside", 64, p, MPOL_F_ADDR);
  getpol("node of a page", 64, p + 3 * page, MPOL_F_ADDR | MPOL_F_NODE);
  show("mbind same policy next to it", mbind(p + 4 * page, page, MPOL_BIND, 1, 64, MPOL_MF_STRICT));
  printf("vmas: %d\n", vmas_in(p, 8 * page));
  show("mbind interleave tail", mbind(p + 6 * page, 2 * page, MPOL_INTERLEAVE, 1, 64, MPOL_MF_MOVE));
  printf("vmas: %d\n", vmas_in(p, 8 * page));
  show("home node 0 on all", syscall(450, p, 8 * page, 0, 0));
  printf("vmas: %d\n", vmas_in(p, 8 * page));
  show("home node 1", syscall(450, p, 8 * page, 1, 0));
  show("home node flags", syscall(450, p, 8 * page, 0, 1));
  show("mbind maxnode 0 with a mask", mbind(p, 8 * page, MPOL_DEFAULT, 0, 0, 0));
  show("mbind default everywhere", mbind(p, 8 * page, MPOL_DEFAULT, 0, 64, MPOL_MF_STRICT));
  printf("vmas: %d\n", vmas_in(p, 8 * page));
  show("home node over default", syscall(450, p, 8 * page, 0, 0));
  show("mbind unaligned", mbind(p + 1, page, MPOL_BIND, 1, 64, 0));
  show("mbind len 0", mbind(p, 0, MPOL_BIND, 0, 64, 0));
  show("mbind bad flags", mbind(p, page, MPOL_BIND, 1, 64, 8));
  show("mbind empty nodes", mbind(p, page, MPOL_BIND, 0, 64, 0));
  munmap(p + 3 * page, page);
  show("mbind over a hole", mbind(p, 8 * page, MPOL_BIND, 1, 64, 0));
  getpol("policy at the hole", 64, p + 3 * page, MPOL_F_ADDR);
  getpol("policy before the hole (unchanged)", 64, p, MPOL_F_ADDR);
  show("mbind unmapped", mbind((void *)0x10000, page, MPOL_BIND, 1, 64, 0));

  // policies survive fork for the ranges too
  show("mbind preferred", mbind(p, page, MPOL_PREFERRED, 1, 64, 0));
  fflush(stdout);
  c = fork();
  if (c == 0) { getpol("child range", 64, p, MPOL_F_ADDR); fflush(stdout); _exit(0); }
  waitpid(c, NULL, 0);

  unsigned long all = 1, none = 0, n2 = 2;
  show("migrate_pages self 0->0", syscall(SYS_migrate_pages, 0, 64, &all, &all));
  show("migrate_pages to nothing", syscall(SYS_migrate_pages, 0, 64, &all, &none));
  show("migrate_pages to node 1", syscall(SYS_migrate_pages, 0, 64, &all, &n2));
  show("migrate_pages no such pid", syscall(SYS_migrate_pages, 999999, 64, &all, &all));

  p[0] = 1; // touched; page 1 never touched; page 3 unmapped
  void *pages[4] = {p, p + page, p + 3 * page, p + 5 * page};
  int status[4] = {9, 9, 9, 9}, nodes[4] = {0, 0, 0, 0};
  show("move_pages query", syscall(SYS_move_pages, 0, 4, pages, NULL, status, 0));
  printf("  status %d %d %d\n", status[0], status[1], status[2]);
  show("move_pages to 0", syscall(SYS_move_pages, 0, 3, pages, nodes, status, MPOL_MF_MOVE));
  printf("  status %d %d %d\n", status[0], status[1], status[2]);
  nodes[1] = 1;
  show("move_pages to node 1", syscall(SYS_move_pages, 0, 2, pages, nodes, status, MPOL_MF_MOVE));
  nodes[1] = -1;
  show("move_pages to node -1", syscall(SYS_move_pages, 0, 2, pages, nodes, status, MPOL_MF_MOVE));
  show("move_pages bad flags", syscall(SYS_move_pages, 0, 1, pages, NULL, status, 1));

  // protection keys: none on this CPU
  show("pkey_alloc", syscall(SYS_pkey_alloc, 0, 0));
  show("pkey_alloc flags", syscall(SYS_pkey_alloc, 1, 0));
  show("pkey_mprotect -1", syscall(SYS_pkey_mprotect, p, page, PROT_READ, -1));
  show("pkey_mprotect 0", syscall(SYS_pkey_mprotect, p, page, PROT_READ, 0));
  show("pkey_mprotect 1 len 0", syscall(SYS_pkey_mprotect, p, 0, PROT_READ, 1));
  show("pkey_mprotect 1 unaligned", syscall(SYS_pkey_mprotect, p + 1, page, PROT_READ, 1));
  show("pkey_free 0", syscall(SYS_pkey_free, 0));
  show("mprotect len 0 bad prot", syscall(SYS_mprotect, p, 0, 0x100));
  show("mprotect bad prot", syscall(SYS_mprotect, p, page, 0x100));
  return 0;
}
