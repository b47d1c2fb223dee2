// Eight threads: a mutex-guarded counter, a condition-variable queue, barrier phases, __thread and
// pthread_key_t storage with destructors. Everything printed is independent of scheduling order.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define N 8
#define ROUNDS 5000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t nonempty = PTHREAD_COND_INITIALIZER, nonfull = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t barrier;
static pthread_key_t key;
static long counter, destructed, serial_count, consumed;
static int queue[4], qhead, qlen;
static long phase_sum[3];
static __thread long tls_acc;

static void put(int v) {
  pthread_mutex_lock(&lock);
  while (qlen == 4) pthread_cond_wait(&nonfull, &lock);
  queue[(qhead + qlen++) % 4] = v;
  pthread_cond_signal(&nonempty);
  pthread_mutex_unlock(&lock);
}

static int take(void) {
  pthread_mutex_lock(&lock);
  while (qlen == 0) pthread_cond_wait(&nonempty, &lock);
  int v = queue[qhead];
  qhead = (qhead + 1) % 4, qlen--;
  pthread_cond_signal(&nonfull);
  pthread_mutex_unlock(&lock);
  return v;
}

static void destroy(void *p) {
  pthread_mutex_lock(&lock);
  destructed += (long)p;
  pthread_mutex_unlock(&lock);
}

static void *worker(void *arg) {
  long id = (long)arg;
  pthread_setspecific(key, (void *)(id + 100));
  for (int i = 0; i < ROUNDS; i++) {
    pthread_mutex_lock(&lock);
    counter++;
    pthread_mutex_unlock(&lock);
    tls_acc += id;
  }
  // three barrier phases: every thread's contribution to phase p is visible to all in phase p+1
  for (int p = 0; p < 3; p++) {
    pthread_mutex_lock(&lock);
    phase_sum[p] += id + p;
    pthread_mutex_unlock(&lock);
    int r = pthread_barrier_wait(&barrier);
    if (r == PTHREAD_BARRIER_SERIAL_THREAD) { pthread_mutex_lock(&lock); serial_count++; pthread_mutex_unlock(&lock); }
    else if (r != 0) return (void *)-1L;
    if (p > 0 && phase_sum[p - 1] != N * (N - 1) / 2 + N * (p - 1)) return (void *)-2L;
  }
  // producers (even ids) and consumers (odd ids) through a 4-slot queue
  long got = 0;
  if (id % 2 == 0) for (int v = 1; v <= 100; v++) put(v);
  else for (int v = 1; v <= 100; v++) got += take();
  pthread_mutex_lock(&lock);
  consumed += got;
  pthread_mutex_unlock(&lock);
  if ((long)pthread_getspecific(key) != id + 100) return (void *)-3L;
  return (void *)(tls_acc / ROUNDS);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  pthread_t th[N];
  pthread_key_create(&key, destroy);
  pthread_barrier_init(&barrier, NULL, N);
  for (long i = 0; i < N; i++) pthread_create(&th[i], NULL, worker, (void *)i);
  for (int i = 0; i < N; i++) {
    void *ret;
    pthread_join(th[i], &ret);
    printf("thread %d returned its __thread sum / ROUNDS: %ld\n", i, (long)ret);
  }
  printf("counter=%ld (expected %d)\n", counter, N * ROUNDS);
  printf("phase sums: %ld %ld %ld, serial threads: %ld\n", phase_sum[0], phase_sum[1], phase_sum[2], serial_count);
  printf("consumed through the queue: %ld (expected %d)\n", consumed, N / 2 * 5050);
  printf("key destructors ran with sum %ld\n", destructed);
  printf("main tls untouched: %ld\n", tls_acc);
  pthread_barrier_destroy(&barrier);
  return 0;
}
