/* threads-hash [THREADS] [MIB_PER_THREAD]: CPU-bound threads, each hashing its own 1 MiB buffer
 * (FNV-1a, 64-bit) MIB_PER_THREAD times; prints the combined hash so every side's output can be compared.
 * Compiled by bench/run.mjs with gcc -static. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BUF (1 << 20)
static long rounds;

static void *work(void *arg) {
  uint64_t seed = (uint64_t)(uintptr_t)arg + 1;
  unsigned char *buf = malloc(BUF);
  for (int i = 0; i < BUF; i++) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; buf[i] = (unsigned char)seed; }
  uint64_t h = 1469598103934665603ULL;
  for (long r = 0; r < rounds; r++)
    for (int i = 0; i < BUF; i++) { h ^= buf[i]; h *= 1099511628211ULL; }
  free(buf);
  return (void *)(uintptr_t)h;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 8;
  rounds = argc > 2 ? atol(argv[2]) : 16;
  if (n < 1 || n > 64) return 2;
  pthread_t th[64];
  for (int i = 0; i < n; i++) pthread_create(&th[i], NULL, work, (void *)(uintptr_t)i);
  uint64_t all = 0;
  for (int i = 0; i < n; i++) { void *h; pthread_join(th[i], &h); all ^= (uint64_t)(uintptr_t)h * (uint64_t)(i + 1); }
  printf("%d threads x %ld MiB: %016llx\n", n, rounds, (unsigned long long)all);
  return 0;
}
