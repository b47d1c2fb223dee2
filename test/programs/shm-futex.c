// Process-shared synchronization in MAP_SHARED memory across fork: a PTHREAD_PROCESS_SHARED mutex guarding
// a counter both processes bump, a process-shared condition variable the parent sleeps on until the child
// signals, sem_t ping-pong, and a semaphore posted through a second mapping of the same pages (another
// address: the futex must be keyed by the memory, not the address).
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int ready, counter, waits;
  sem_t ping, pong, alias;
  int trace[16], n;
};

static void report_child(pid_t p) {
  int st;
  waitpid(p, &st, 0);
  if (WIFEXITED(st)) printf("child: exit %d\n", WEXITSTATUS(st));
  else printf("child: signal %d\n", WTERMSIG(st));
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (s == MAP_FAILED) { perror("mmap"); return 1; }
  pthread_mutexattr_t ma;
  pthread_mutexattr_init(&ma);
  printf("mutexattr pshared: %d\n", pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED));
  pthread_mutex_init(&s->mu, &ma);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  printf("condattr pshared: %d\n", pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED));
  pthread_cond_init(&s->cv, &ca);
  printf("sem_init: %d %d %d\n", sem_init(&s->ping, 1, 0), sem_init(&s->pong, 1, 0), sem_init(&s->alias, 1, 0));
  // The same page a second time, elsewhere: the child posts through it, the parent waits on the original.
  struct shared *alias = mremap(s, 0, 4096, MREMAP_MAYMOVE);
  printf("second mapping: %s\n", alias != MAP_FAILED && alias != s ? "elsewhere" : "failed");

  pid_t p = fork();
  if (p == 0) {
    for (int i = 0; i < 20000; i++) {
      pthread_mutex_lock(&s->mu);
      s->counter++;
      pthread_mutex_unlock(&s->mu);
    }
    for (int i = 0; i < 5; i++) {
      sem_wait(&s->ping);
      s->trace[s->n++] = 'c';
      sem_post(&s->pong);
    }
    usleep(100000); // the parent is asleep in pthread_cond_wait by now (and would stay there without a wake)
    pthread_mutex_lock(&s->mu);
    s->ready = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    usleep(100000);
    sem_post(&alias->alias);
    _exit(0);
  }
  for (int i = 0; i < 20000; i++) {
    pthread_mutex_lock(&s->mu);
    s->counter++;
    pthread_mutex_unlock(&s->mu);
  }
  for (int i = 0; i < 5; i++) {
    s->trace[s->n++] = 'p';
    sem_post(&s->ping);
    sem_wait(&s->pong);
  }
  pthread_mutex_lock(&s->mu);
  while (!s->ready) { s->waits++; pthread_cond_wait(&s->cv, &s->mu); }
  pthread_mutex_unlock(&s->mu);
  printf("condvar: ready=%d after %s\n", s->ready, s->waits ? "waiting" : "no wait");
  printf("sem_wait through the other mapping: %d\n", sem_wait(&s->alias));
  report_child(p);
  printf("counter: %d\n", s->counter);
  printf("trace: ");
  for (int i = 0; i < s->n; i++) putchar(s->trace[i]);
  putchar('\n');
  return 0;
}
