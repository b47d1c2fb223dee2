// madvise(2)'s fork flags: MADV_DONTFORK ranges are absent in the child (SIGSEGV, SEGV_MAPERR), MADV_DOFORK
// undoes it, MADV_WIPEONFORK ranges read zero in the child (private anonymous only), MADV_KEEPONFORK undoes
// it; the VMA splits and smaps' VmFlags (dc, wf, dd) show them.
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

static sigjmp_buf env;
static volatile int got_code;
static void on_segv(int sig, siginfo_t *si, void *uc) { got_code = si->si_code; siglongjmp(env, 1); }

static void peek(const char *what, volatile char *p) {
  if (sigsetjmp(env, 1) == 0) printf("%s: %d\n", what, *p);
  else printf("%s: SIGSEGV code %d\n", what, got_code);
}

// the VMAs covering [p, p+len) and their madvise VmFlags, from /proc/self/smaps
static void flags_of(const char *what, char *p, size_t len) {
  FILE *f = fopen("/proc/self/smaps", "r");
  char line[512];
  int inside = 0, n = 0;
  printf("%s:", what);
  while (fgets(line, sizeof line, f)) {
    unsigned long s, e;
    if (sscanf(line, "%lx-%lx ", &s, &e) == 2) { inside = s < (unsigned long)p + len && e > (unsigned long)p; if (inside) n++; continue; }
    if (inside && strncmp(line, "VmFlags:", 8) == 0) {
      printf(" [%s%s%s]", strstr(line, " dc") ? "dc" : "", strstr(line, " wf") ? "wf" : "", strstr(line, " dd") ? "dd" : "");
    }
  }
  fclose(f);
  printf(" (%d vmas)\n", n);
}

static void in_child(char *p, long pg) {
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    for (int i = 0; i < 4; i++) { char w[32]; snprintf(w, sizeof w, "  child page %d", i); peek(w, p + i * pg + 1); }
    fflush(stdout);
    _exit(0);
  }
  waitpid(c, NULL, 0);
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGSEGV, &sa, NULL);
  long pg = sysconf(_SC_PAGESIZE);
  char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  for (int i = 0; i < 4; i++) p[i * pg + 1] = 10 + i;
  show("dontfork page 1", madvise(p + pg, pg, MADV_DONTFORK));
  show("wipeonfork page 2", madvise(p + 2 * pg, pg, MADV_WIPEONFORK));
  show("dontdump page 3", madvise(p + 3 * pg, pg, MADV_DONTDUMP));
  flags_of("flags", p, 4 * pg);
  in_child(p, pg);
  peek("parent page 2", p + 2 * pg + 1);
  show("dofork page 1", madvise(p + pg, pg, MADV_DOFORK));
  show("keeponfork page 2", madvise(p + 2 * pg, pg, MADV_KEEPONFORK));
  show("dodump page 3", madvise(p + 3 * pg, pg, MADV_DODUMP));
  flags_of("flags", p, 4 * pg);
  in_child(p, pg);
  show("dontfork all", madvise(p, 4 * pg, MADV_DONTFORK));
  show("wipeonfork all", madvise(p, 4 * pg, MADV_WIPEONFORK));
  flags_of("flags", p, 4 * pg);
  in_child(p, pg);
  munmap(p + pg, pg);
  show("dofork over a hole", madvise(p, 4 * pg, MADV_DOFORK));
  flags_of("flags after", p, 4 * pg);

  char *s = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  show("wipeonfork shared", madvise(s, pg, MADV_WIPEONFORK));
  show("dontfork shared", madvise(s, pg, MADV_DONTFORK));
  s[0] = 5;
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) { peek("  child shared", s); fflush(stdout); _exit(0); }
  waitpid(c, NULL, 0);
  int fd = open("/proc/self/exe", O_RDONLY);
  char *f = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0);
  show("wipeonfork file", madvise(f, pg, MADV_WIPEONFORK));
  show("keeponfork file", madvise(f, pg, MADV_KEEPONFORK));
  show("dontfork unaligned", madvise(f + 1, pg, MADV_DONTFORK));
  return 0;
}
