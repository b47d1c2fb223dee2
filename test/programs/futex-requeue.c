// FUTEX_CMP_REQUEUE through the raw system call: four threads wait on futex A; one call wakes one of
// them and moves the rest onto futex B; a value mismatch fails with EAGAIN; FUTEX_WAKE on B wakes the
// moved ones. Also FUTEX_WAIT's EAGAIN on a changed value and ETIMEDOUT on a relative timeout.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WAITERS 4
static _Atomic uint32_t fa, fb;
static _Atomic int started, woken;

static long futex(_Atomic uint32_t *uaddr, int op, uint32_t val, long val2, _Atomic uint32_t *uaddr2, uint32_t val3) {
  return syscall(SYS_futex, uaddr, op, val, val2, uaddr2, val3);
}

static void *waiter(void *arg) {
  (void)arg;
  atomic_fetch_add(&started, 1);
  // one wait: the requeue's wake ends it on fa, a moved waiter is woken later through fb
  long r = futex(&fa, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0);
  if (r == 0) atomic_fetch_add(&woken, 1);
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  struct timespec ts = { 0, 20 * 1000 * 1000 };
  errno = 0;
  long r = futex(&fa, FUTEX_WAIT_PRIVATE, 1, 0, NULL, 0);
  printf("wait on a changed value: r=%ld errno=%s\n", r, strerror(errno));
  r = futex(&fa, FUTEX_WAIT_PRIVATE, 0, (long)&ts, NULL, 0);
  printf("wait with a 20 ms timeout: r=%ld errno=%s\n", r, strerror(errno));

  pthread_t th[WAITERS];
  for (int i = 0; i < WAITERS; i++) pthread_create(&th[i], NULL, waiter, NULL);
  while (atomic_load(&started) < WAITERS) usleep(1000);
  // all four are (about to be) parked on fa: requeue until every one of them was counted
  errno = 0;
  r = futex(&fa, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &fb, 7);
  printf("cmp_requeue with a wrong expected value: r=%ld errno=%s\n", r, strerror(errno));
  int moved = 0, woke = 0;
  for (int tries = 0; woke + moved < WAITERS && tries < 1000; tries++) {
    // wake at most 1 (only the first round), move up to INT_MAX
    r = futex(&fa, FUTEX_CMP_REQUEUE_PRIVATE, woke ? 0 : 1, 0x7fffffff, &fb, 0);
    if (r > 0) {
      int w = woke ? 0 : 1;
      if (r < w) w = (int)r;
      woke += w;
      moved += (int)r - w;
    }
    if (woke + moved < WAITERS) usleep(1000);
  }
  printf("cmp_requeue: woke %d, moved %d to the second futex\n", woke, moved);
  atomic_store(&fa, 1);
  long fromA = futex(&fa, FUTEX_WAKE_PRIVATE, 0x7fffffff, 0, NULL, 0);
  long fromB = futex(&fb, FUTEX_WAKE_PRIVATE, 0x7fffffff, 0, NULL, 0);
  printf("wake: %ld from the first futex, %ld from the second\n", fromA, fromB);
  for (int i = 0; i < WAITERS; i++) pthread_join(th[i], NULL);
  printf("%d waits returned 0\n", atomic_load(&woken));
  errno = 0;
  r = futex(&fa, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
  printf("wake with no waiters: r=%ld\n", r);
  return 0;
}
