// Forks children that wait on a pipe until fork fails, then tries a thread, then reaps them all and forks
// again: the kernel's task limit must give EAGAIN and be free again once the tasks are gone.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void *nothing(void *arg) { return arg; }

int main(void) {
  int p[2];
  pipe(p);
  int n = 0, e = 0;
  for (;;) {
    pid_t c = fork();
    if (c < 0) { e = errno; break; }
    if (c == 0) {
      char b;
      close(p[1]);
      read(p[0], &b, 1);
      _exit(0);
    }
    if (++n == 1000) break;
  }
  printf("forked %d children, then %s\n", n, e ? strerrorname_np(e) : "no error");
  pthread_t th;
  int r = pthread_create(&th, NULL, nothing, NULL);
  printf("pthread_create at the limit: %s\n", r ? strerrorname_np(r) : "created");
  if (!r) pthread_join(th, NULL);
  close(p[1]);
  while (wait(NULL) > 0) {}
  pid_t c = fork();
  if (c == 0) _exit(0);
  printf("after reaping, fork: %s\n", c > 0 ? "ok" : strerrorname_np(errno));
  wait(NULL);
  return 0;
}
