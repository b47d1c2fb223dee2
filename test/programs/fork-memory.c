// fork copies memory exactly: parent and child writes stay apart (data, bss, stack, heap, mmap, a page
// never touched), the child has the protections set before the fork (a store to a read-only page is
// SIGSEGV, PROT_NONE kills), a fork from a multi-threaded process copies the other threads' memory, and
// vfork shares memory until the child's _exit.
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int data_var = 1;
static int bss_var;
static volatile int vfork_var;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int *thread_local_ptr;
static int phase;

static void *worker(void *arg) {
  (void)arg;
  int mine = 1234;
  pthread_mutex_lock(&mu);
  thread_local_ptr = &mine;
  phase = 1;
  pthread_cond_broadcast(&cv);
  while (phase != 2) pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  return NULL;
}

static void on_segv(int sig) { (void)sig; _exit(3); }

static void report(const char *who, pid_t p) {
  int st;
  waitpid(p, &st, 0);
  if (WIFEXITED(st)) printf("%s: exit %d\n", who, WEXITSTATUS(st));
  else printf("%s: signal %d\n", who, WTERMSIG(st));
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  int stack_var = 3;
  int *heap = malloc(64 * sizeof(int));
  heap[0] = 4;
  char *anon = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  anon[0] = 5;
  anon[2 * 4096] = 6; // page 1 is never touched
  bss_var = 2;

  // Writes on either side after the fork stay on that side.
  int go[2];
  pipe(go);
  pid_t p = fork();
  if (p == 0) {
    char c;
    read(go[0], &c, 1); // the parent has written its side by now
    printf("child sees: %d %d %d %d %d %d %d\n", data_var, bss_var, stack_var, heap[0], anon[0], anon[4096], anon[2 * 4096]);
    data_var = 10, bss_var = 20, stack_var = 30, heap[0] = 40, anon[0] = 50, anon[4096] = 55;
    printf("child wrote: %d %d %d %d %d %d\n", data_var, bss_var, stack_var, heap[0], anon[0], anon[4096]);
    _exit(0);
  }
  data_var = 100, bss_var = 200, stack_var = 300, heap[0] = 400, anon[2 * 4096] = 60;
  write(go[1], "x", 1);
  report("child", p);
  printf("parent has: %d %d %d %d %d %d %d\n", data_var, bss_var, stack_var, heap[0], anon[0], anon[4096], anon[2 * 4096]);

  // Protections set before the fork hold in the child.
  mprotect(anon + 2 * 4096, 4096, PROT_READ);
  mprotect(anon + 3 * 4096, 4096, PROT_NONE);
  if ((p = fork()) == 0) {
    signal(SIGSEGV, on_segv);
    printf("read-only page reads %d\n", anon[2 * 4096]);
    anon[2 * 4096] = 1;
    _exit(0);
  }
  report("store to read-only", p);
  if ((p = fork()) == 0) {
    printf("%d\n", anon[3 * 4096]);
    _exit(0);
  }
  report("read of PROT_NONE", p);
  mprotect(anon + 2 * 4096, 4096, PROT_READ | PROT_WRITE);
  if ((p = fork()) == 0) {
    anon[2 * 4096] = 61;
    _exit(anon[2 * 4096]);
  }
  report("writable again", p);

  // A fork from a multi-threaded process: the child has the other thread's memory (its stack too).
  pthread_t th;
  pthread_create(&th, NULL, worker, NULL);
  pthread_mutex_lock(&mu);
  while (phase != 1) pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  if ((p = fork()) == 0) {
    printf("child of a threaded process sees %d\n", *thread_local_ptr);
    *thread_local_ptr = 1;
    _exit(0);
  }
  report("threaded fork child", p);
  printf("the thread still has %d\n", *thread_local_ptr);
  pthread_mutex_lock(&mu);
  phase = 2;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  pthread_join(th, NULL);

  // vfork: the child's store is the parent's memory.
  if ((p = vfork()) == 0) {
    vfork_var = 77;
    _exit(0);
  }
  report("vfork child", p);
  printf("after vfork: %d\n", vfork_var);
  return 0;
}
