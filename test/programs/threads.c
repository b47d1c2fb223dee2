// pthreads: mutexes, condition variables, join, thread-local storage, per-thread signals, a thread exit.
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;
static __thread int tls_value;
static volatile sig_atomic_t usr1_tid;

static void *worker(void *arg) {
  long id = (long)arg;
  tls_value = (int)id * 10;
  for (int i = 0; i < 20000; i++) {
    pthread_mutex_lock(&lock);
    counter++;
    pthread_mutex_unlock(&lock);
  }
  pthread_mutex_lock(&lock);
  while (!ready) pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
  return (void *)(long)(tls_value + 1);
}

static void on_usr1(int sig) { (void)sig; usr1_tid = (sig_atomic_t)syscall(SYS_gettid); }

static void *sleeper(void *arg) {
  (void)arg;
  sigset_t s;
  sigemptyset(&s);
  sigsuspend(&s); // woken by pthread_kill
  return (void *)(long)(usr1_tid == syscall(SYS_gettid));
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  pthread_t th[4];
  for (long i = 0; i < 4; i++) pthread_create(&th[i], NULL, worker, (void *)i);
  usleep(20000);
  pthread_mutex_lock(&lock);
  ready = 1;
  pthread_cond_broadcast(&cond);
  pthread_mutex_unlock(&lock);
  for (int i = 0; i < 4; i++) {
    void *ret;
    pthread_join(th[i], &ret);
    printf("thread %d returned %ld\n", i, (long)ret);
  }
  printf("counter=%ld\n", counter);

  signal(SIGUSR1, on_usr1);
  pthread_t s;
  pthread_create(&s, NULL, sleeper, NULL);
  usleep(20000);
  pthread_kill(s, SIGUSR1);
  void *ret;
  pthread_join(s, &ret);
  printf("signal went to the right thread: %ld\n", (long)ret);
  printf("getpid==gettid in main: %d\n", getpid() == syscall(SYS_gettid));
  return 0;
}
