// MAP_SHARED anonymous memory (and MAP_SHARED of /dev/zero) across fork: a counter both processes
// increment (in turns and racing with atomics), stores seen at once on the other side, munmap and mprotect
// staying per process, mremap keeping the sharing (moved, grown, and old_size 0 duplicates), and
// MAP_PRIVATE staying private as the control.
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

static int to_child[2], to_parent[2];
static void send(int fd) { char c = 'x'; if (write(fd, &c, 1) != 1) _exit(90); }
static void recv(int fd) { char c; if (read(fd, &c, 1) != 1) _exit(91); }

static void report_child(pid_t p) {
  int st;
  waitpid(p, &st, 0);
  if (WIFEXITED(st)) printf("child: exit %d\n", WEXITSTATUS(st));
  else printf("child: signal %d\n", WTERMSIG(st));
}

static void on_segv(int sig) { (void)sig; _exit(7); }

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  pipe(to_child);
  pipe(to_parent);
  volatile int *shared = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  volatile int *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int zfd = open("/dev/zero", O_RDWR);
  volatile int *zero = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, zfd, 0);
  close(zfd);
  if (shared == MAP_FAILED || priv == MAP_FAILED || zero == MAP_FAILED) { perror("mmap"); return 1; }
  shared[0] = 0;
  shared[1024] = 100; // second page, touched before the fork
  priv[0] = 1;
  volatile int *big = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

  pid_t p = fork();
  if (p == 0) {
    // Turns: each side adds one and hands over; the other sees the store at once.
    for (int i = 0; i < 5; i++) {
      recv(to_child[0]);
      shared[0]++;
      send(to_parent[1]);
    }
    recv(to_child[0]);
    printf("child: page1=%d page2=%d priv=%d zero=%d big=%d\n", shared[1024], shared[2048], priv[0], zero[0], big[12345]);
    priv[0] = 2; // stays in the child
    for (int i = 0; i < 100000; i++) __atomic_fetch_add(&shared[1], 1, __ATOMIC_SEQ_CST);
    zero[1] = 42;
    big[(1 << 18) - 1] = 77;
    // The parent has unmapped the third page; it is still here, and still shared with... nobody but us.
    send(to_parent[1]);
    recv(to_child[0]);
    printf("child: after parent munmap, page3=%d\n", shared[2048]);
    // Read-only here: a store faults in the child only.
    mprotect((void *)shared, 4096, PROT_READ);
    send(to_parent[1]);
    recv(to_child[0]);
    printf("child: parent's store after my mprotect: %d\n", shared[2]);
    signal(SIGSEGV, on_segv);
    shared[3] = 1; // SIGSEGV -> exit 7
    _exit(0);
  }
  for (int i = 0; i < 5; i++) {
    shared[0]++;
    send(to_child[1]);
    recv(to_parent[0]);
  }
  printf("parent: counter after turns %d\n", shared[0]);
  shared[2048] = 300; // third page, first touched after the fork
  zero[0] = 5;
  big[12345] = 9;
  send(to_child[1]);
  for (int i = 0; i < 100000; i++) __atomic_fetch_add(&shared[1], 1, __ATOMIC_SEQ_CST);
  recv(to_parent[0]);
  printf("parent: atomics %d zero[1]=%d big=%d priv=%d\n", shared[1], zero[1], big[(1 << 18) - 1], priv[0]);
  show("munmap third page", munmap((void *)(shared + 2048), 4096));
  send(to_child[1]);
  recv(to_parent[0]);
  shared[2] = 55; // the child made its view read-only; ours is still writable
  send(to_child[1]);
  report_child(p);

  // mremap: a moved shared mapping still shares with a second child; old_size 0 maps it twice.
  volatile int *moved = mremap((void *)big, 1 << 20, 2 << 20, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)0x200000000);
  printf("parent: moved %s, keeps %d\n", moved == (void *)0x200000000 ? "to the fixed address" : "elsewhere", moved[12345]);
  volatile int *twice = mremap((void *)moved, 0, 1 << 20, MREMAP_MAYMOVE);
  show("mremap old_size 0 of private memory", (long)mremap((void *)priv, 0, 4096, MREMAP_MAYMOVE));
  twice[5] = 6;
  printf("parent: duplicate mapping shows the store: %d\n", moved[5]);
  p = fork();
  if (p == 0) {
    moved[6] = 66;
    _exit(0);
  }
  report_child(p);
  printf("parent: the child's store through the moved mapping: %d %d\n", moved[6], twice[6]);
  return 0;
}
