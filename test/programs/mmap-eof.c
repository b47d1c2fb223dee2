// Pages of a file mapping past the end of the file: SIGBUS (BUS_ADRERR, si_addr the byte) for reads,
// writes and in private and shared mappings alike, zeros in the tail of the page holding EOF, the page
// readable once the file has grown (write or ftruncate), PROT_NONE still SIGSEGV first, mprotect and
// fork keeping the rule, and memfd and /dev/shm files the same.
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

static sigjmp_buf env;
static volatile int got_sig, got_code;
static volatile void *got_addr;
static char *base;

static void on_fault(int sig, siginfo_t *si, void *uc) {
  got_sig = sig; got_code = si->si_code; got_addr = si->si_addr;
  siglongjmp(env, 1);
}

// touch one byte (read, or write when `write`): what happened, the offset si_addr names within the mapping
static void touch(const char *what, volatile char *p, int write) {
  got_sig = 0;
  if (sigsetjmp(env, 1) == 0) {
    int v = write ? (*p = 'w') : *p;
    printf("%s: ok %d\n", what, v);
  } else {
    printf("%s: %s code %d at +%ld\n", what, strsignal(got_sig), got_code, (long)((char *)got_addr - base));
  }
}

static void run(const char *kind, int fd, int flags) {
  long pg = sysconf(_SC_PAGESIZE);
  printf("-- %s\n", kind);
  if (ftruncate(fd, 100) < 0) { show("ftruncate", -1); return; }
  base = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, flags, fd, 0);
  if (base == MAP_FAILED) { show("mmap", -1); return; }
  touch("byte 99", base + 99, 0);
  touch("byte 100 (past EOF, same page)", base + 100, 0);
  touch("last byte of page 0", base + pg - 1, 1);
  touch("page 1 read", base + pg + 5, 0);
  touch("page 1 write", base + pg + 7, 1);
  touch("page 3 read", base + 3 * pg, 0);
  show("ftruncate to 1.5 pages", ftruncate(fd, pg + pg / 2));
  touch("page 1 after growth", base + pg + 5, 0);
  touch("page 2 after growth", base + 2 * pg, 0);
  show("mprotect all read-only", mprotect(base, 4 * pg, PROT_READ));
  touch("page 2 read-only", base + 2 * pg + 1, 0);
  touch("page 1 write read-only", base + pg, 1);
  show("mprotect none", mprotect(base, 4 * pg, PROT_NONE));
  touch("page 3 under PROT_NONE", base + 3 * pg, 0);
  show("mprotect read-write", mprotect(base, 4 * pg, PROT_READ | PROT_WRITE));
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) { touch("child page 2", base + 2 * pg + 9, 0); touch("child page 1", base + pg, 0); fflush(stdout); _exit(0); }
  waitpid(c, NULL, 0);
  char buf[8] = "grown!";
  show("pwrite at 2.5 pages", pwrite(fd, buf, 6, 2 * pg + pg / 2));
  touch("page 2 after pwrite", base + 2 * pg + pg / 2, 0);
  munmap(base, 4 * pg);
  // a mapping starting past EOF
  base = mmap(NULL, pg, PROT_READ, flags, fd, 8 * pg);
  if (base == MAP_FAILED) show("mmap past EOF", -1); else { touch("mapping wholly past EOF", base + 10, 0); munmap(base, pg); }
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGBUS, &sa, NULL);
  sigaction(SIGSEGV, &sa, NULL);
  setvbuf(stdout, NULL, _IOLBF, 0);
  char path[] = "mmap-eof-XXXXXX"; // in the working directory: the program's own root under pbash
  int fd = mkstemp(path);
  unlink(path);
  run("private file", fd, MAP_PRIVATE);
  run("shared file", fd, MAP_SHARED);
  close(fd);
  fd = memfd_create("eof", 0);
  run("shared memfd", fd, MAP_SHARED);
  run("private memfd", fd, MAP_PRIVATE);
  close(fd);
  fd = open("/dev/shm/mmap-eof-test", O_RDWR | O_CREAT | O_TRUNC, 0600);
  unlink("/dev/shm/mmap-eof-test");
  run("shared /dev/shm file", fd, MAP_SHARED);
  return 0;
}
