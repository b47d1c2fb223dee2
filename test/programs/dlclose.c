/* dlopen/dlclose of shared libraries with dependencies, as PAM does for its modules: dlclose unmaps code
 * pages whose translations must be dropped even when no TLB entry for them is cached any more. */
#include <dlfcn.h>
#include <stdio.h>
#include <sys/mman.h>

int main(int argc, char **argv) {
  for (int round = 0; round < 2; round++) {
    for (int i = 1; i < argc; i++) {
      void *h = dlopen(argv[i], RTLD_NOW);
      if (!h) { printf("dlopen %s: failed\n", argv[i]); continue; }
      /* an mprotect elsewhere flushes the TLB, as the loader's own relro protection does */
      void *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      mprotect(p, 4096, PROT_READ);
      munmap(p, 4096);
      printf("round %d: dlclose %s -> %d\n", round, argv[i], dlclose(h));
    }
  }
  return 0;
}
