// Faults caught and survived: a write to a read-only mapping (SIGSEGV, SEGV_ACCERR, si_addr the faulting
// byte, for several access shapes), PROT_NONE and unmapped pages, siglongjmp out of the handler (with and without the saved mask),
// and a stack overflow caught on a sigaltstack. Printed line by line, compared with native Linux.
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static sigjmp_buf jump;
static volatile sig_atomic_t got_sig, got_code, on_alt;
static void *volatile got_addr;
static char *altstack;
static size_t altsize;

static void on_fault(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  char here;
  got_sig = sig, got_code = si->si_code, got_addr = si->si_addr;
  on_alt = altstack && &here >= altstack && &here < altstack + altsize;
  siglongjmp(jump, 1);
}

static void handle(int sig, int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | flags;
  sigaction(sig, &sa, NULL);
}

static const char *code_name(int code) {
  return code == SEGV_MAPERR ? "SEGV_MAPERR" : code == SEGV_ACCERR ? "SEGV_ACCERR" : "other";
}

static int segv_blocked(void) {
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  return sigismember(&cur, SIGSEGV);
}

static void report(const char *what, char *page, long pagesz) {
  char *a = got_addr;
  printf("%s: sig=%d code=%s addr in page=%d offset=%ld\n", what, got_sig, code_name(got_code),
         a >= page && a < page + pagesz, (long)(a - page));
}

static volatile long depth;
static long recurse(long n) {
  volatile char frame[4096];
  frame[0] = (char)n;
  frame[sizeof frame - 1] = (char)n;
  depth = n;
  return recurse(n + 1) + frame[0] + frame[sizeof frame - 1];
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  long pagesz = sysconf(_SC_PAGESIZE);
  handle(SIGSEGV, 0);

  // a read-only mapping: reading works, writing faults with SEGV_ACCERR at the written address
  char *ro = mmap(NULL, 2 * pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  strcpy(ro, "before");
  mprotect(ro, pagesz, PROT_READ);
  if (!sigsetjmp(jump, 1)) { ((volatile char *)ro)[123] = 'x'; puts("no fault!"); }
  report("write to PROT_READ", ro, pagesz);
  printf("content kept: %s, SIGSEGV blocked after siglongjmp(savemask=1): %d\n", ro, segv_blocked());

  // recovery: make it writable and retry the same write
  mprotect(ro, pagesz, PROT_READ | PROT_WRITE);
  ((volatile char *)ro)[123] = 'x';
  printf("after mprotect RW the write lands: %c\n", ro[123]);

  // the second page stays writable; PROT_NONE faults reads too
  mprotect(ro + pagesz, pagesz, PROT_NONE);
  if (!sigsetjmp(jump, 1)) { volatile char c = ro[pagesz + 7]; (void)c; puts("no fault!"); }
  report("read of PROT_NONE", ro + pagesz, pagesz);

  // an unmapped page: SEGV_MAPERR
  munmap(ro + pagesz, pagesz);
  if (!sigsetjmp(jump, 1)) { ((volatile char *)ro)[pagesz + 64] = 1; puts("no fault!"); }
  report("write to unmapped", ro + pagesz, pagesz);

  // the faulting byte in other access shapes: a load straddling into the unmapped page, a string copy, a
  // 16-byte SSE store, a read-modify-write, a write through a pointer into read-only data, and execution
  // of an unmapped or a non-executable address
  if (!sigsetjmp(jump, 1)) { volatile uint64_t v = *(volatile uint64_t *)(ro + pagesz - 4); (void)v; puts("no fault!"); }
  report("8-byte load across the page end", ro + pagesz, pagesz);
  mprotect(ro, pagesz, PROT_READ);
  static char src[256];
  if (!sigsetjmp(jump, 1)) { memcpy(ro + 200, src, sizeof src); __asm__ volatile("" ::: "memory"); puts("no fault!"); }
  report("memcpy into PROT_READ", ro, pagesz);
  if (!sigsetjmp(jump, 1)) { __asm__ volatile("movups %%xmm0, (%0)" :: "r"(ro + 1000) : "memory"); puts("no fault!"); }
  report("movups into PROT_READ", ro, pagesz);
  if (!sigsetjmp(jump, 1)) { __asm__ volatile("incl (%0)" :: "r"(ro + 2048 + 5) : "memory"); puts("no fault!"); }
  report("incl on PROT_READ", ro, pagesz);
  static const char rodata[8192] = "constant";
  char *rop = (char *)((uintptr_t)(rodata + 4096) & ~(uintptr_t)(pagesz - 1));
  if (!sigsetjmp(jump, 1)) { ((volatile char *)rop)[77] = 'x'; puts("no fault!"); }
  report("write into .rodata", rop, pagesz);
  if (!sigsetjmp(jump, 1)) { ((void (*)(void))(ro + pagesz + 48))(); puts("no fault!"); }
  report("call into unmapped", ro + pagesz, pagesz);
  if (!sigsetjmp(jump, 1)) { ((void (*)(void))(ro + 300))(); puts("no fault!"); }
  report("call into PROT_READ", ro, pagesz);
  mprotect(ro, pagesz, PROT_READ | PROT_WRITE);

  // sigsetjmp(..., 0): the handler's mask (SIGSEGV blocked) survives the jump; unblock by hand
  if (!sigsetjmp(jump, 0)) { ((volatile char *)ro)[pagesz + 64] = 1; }
  printf("SIGSEGV blocked after siglongjmp(savemask=0): %d\n", segv_blocked());
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGSEGV);
  sigprocmask(SIG_UNBLOCK, &s, NULL);

  // SA_RESETHAND: the second fault takes the default action (checked in a child)
  handle(SIGSEGV, SA_RESETHAND | SA_NODEFER);
  if (!sigsetjmp(jump, 1)) { ((volatile char *)ro)[pagesz + 64] = 1; }
  struct sigaction now;
  sigaction(SIGSEGV, NULL, &now);
  printf("SA_RESETHAND: handler reset to default: %d\n", now.sa_handler == SIG_DFL);

  // stack overflow: the handler can only run on the alternate stack
  altsize = 64 * 1024;
  altstack = malloc(altsize);
  stack_t ss = { .ss_sp = altstack, .ss_size = altsize, .ss_flags = 0 };
  sigaltstack(&ss, NULL);
  struct rlimit rl = { 1 << 20, 1 << 20 };
  setrlimit(RLIMIT_STACK, &rl);
  handle(SIGSEGV, SA_ONSTACK);
  got_sig = 0;
  if (!sigsetjmp(jump, 1)) { recurse(0); puts("no overflow!"); }
  printf("stack overflow: sig=%d on altstack=%d deeper than 128 KiB=%d shallower than 8 MiB=%d\n", got_sig, on_alt,
         depth * 4096 > 128 * 1024, depth * 4096 < 8 * 1024 * 1024);
  stack_t cur;
  sigaltstack(NULL, &cur);
  printf("altstack after the jump: disabled=%d onstack=%d size=%zu\n", !!(cur.ss_flags & SS_DISABLE), !!(cur.ss_flags & SS_ONSTACK), cur.ss_size);
  return 0;
}
