// Robust mutexes (set_robust_list): a thread that ends holding one leaves it owner-dead: the next locker,
// or one already waiting, gets EOWNERDEAD and may make it consistent; unlocked without that, it is
// ENOTRECOVERABLE for good. get_robust_list reports the calling thread's list.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "report.h"

static pthread_mutex_t m1, m2, m3;
static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static int ready;

static void init_robust(pthread_mutex_t *m) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_init(m, &a);
  pthread_mutexattr_destroy(&a);
}

static void *take_and_exit(void *m) {
  pthread_mutex_lock(m);
  return NULL;  // ends holding it
}

static void *take_signal_exit(void *m) {
  pthread_mutex_lock(m);
  pthread_mutex_lock(&ready_lock);
  ready = 1;
  pthread_cond_signal(&ready_cond);
  pthread_mutex_unlock(&ready_lock);
  usleep(100000);  // the main thread is (most likely) waiting in the lock by now; either way it sees owner-dead
  return NULL;
}

static const char *err(int e) { return e ? strerrorname_np(e) : "0"; }

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  pthread_t th;
  init_robust(&m1);
  pthread_create(&th, NULL, take_and_exit, &m1);
  pthread_join(th, NULL);
  printf("lock after the owner ended: %s\n", err(pthread_mutex_lock(&m1)));
  printf("consistent: %s\n", err(pthread_mutex_consistent(&m1)));
  printf("unlock: %s\n", err(pthread_mutex_unlock(&m1)));
  printf("lock again: %s\n", err(pthread_mutex_lock(&m1)));
  printf("unlock: %s\n", err(pthread_mutex_unlock(&m1)));

  init_robust(&m2);
  pthread_create(&th, NULL, take_signal_exit, &m2);
  pthread_mutex_lock(&ready_lock);
  while (!ready) pthread_cond_wait(&ready_cond, &ready_lock);
  pthread_mutex_unlock(&ready_lock);
  printf("a waiter when the owner ends: %s\n", err(pthread_mutex_lock(&m2)));
  pthread_join(th, NULL);
  pthread_mutex_consistent(&m2);
  pthread_mutex_unlock(&m2);

  init_robust(&m3);
  pthread_create(&th, NULL, take_and_exit, &m3);
  pthread_join(th, NULL);
  printf("owner-dead again: %s\n", err(pthread_mutex_lock(&m3)));
  printf("unlock without consistent: %s\n", err(pthread_mutex_unlock(&m3)));
  printf("then lock: %s\n", err(pthread_mutex_lock(&m3)));
  printf("trylock: %s\n", err(pthread_mutex_trylock(&m3)));

  void *head = NULL;
  size_t len = 0;
  show("get_robust_list(0)", syscall(SYS_get_robust_list, 0, &head, &len));
  printf("head set: %d, len %zu\n", head != NULL, len);
  show("get_robust_list(no such tid)", syscall(SYS_get_robust_list, 999999, &head, &len));
  return 0;
}
