// POSIX shared memory (shm_open on /dev/shm) between two processes that map it separately: stores seen
// by the other mapping and by read(), write() seen by the mappings, shm_unlink keeping the mappings.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

static int to_child[2], to_parent[2];
static void send(int fd) { char c = 'x'; if (write(fd, &c, 1) != 1) _exit(90); }
static void recv(int fd) { char c; if (read(fd, &c, 1) != 1) _exit(91); }

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  char name[64];
  snprintf(name, sizeof name, "/pbash-shm-posix-%d", getpid());
  pipe(to_child);
  pipe(to_parent);
  int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
  show("shm_open create", fd >= 0 ? 0 : -1);
  show("ftruncate", ftruncate(fd, 3 * 4096));
  char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  strcpy(p, "from the parent");
  pid_t c = fork();
  if (c == 0) {
    // The child maps the object again by name, at a place of its own.
    int cfd = shm_open(name, O_RDWR, 0);
    char *q = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 4096);
    close(cfd);
    recv(to_child[0]);
    printf("child: page 1 holds \"%s\"\n", q);
    strcpy(q + 100, "stored by the child");
    send(to_parent[1]);
    recv(to_child[0]);
    printf("child: the parent's write(): \"%s\"\n", q + 4096);
    _exit(0);
  }
  strcpy(p + 4096, "page one");
  send(to_child[1]);
  recv(to_parent[0]);
  char buf[64] = {0};
  pread(fd, buf, 20, 4096 + 100);
  printf("parent: mapping \"%s\", read() \"%s\"\n", p + 4096 + 100, buf);
  pwrite(fd, "written with pwrite", 20, 2 * 4096);
  send(to_child[1]);
  int st;
  waitpid(c, &st, 0);
  printf("child exit %d\n", WEXITSTATUS(st));
  struct stat sb;
  fstat(fd, &sb);
  printf("size %lld mode %o\n", (long long)sb.st_size, sb.st_mode & 07777);
  show("shm_unlink", shm_unlink(name));
  show("shm_open after unlink", shm_open(name, O_RDWR, 0));
  close(fd);
  printf("mapping after unlink and close: \"%s\" \"%s\"\n", p, p + 2 * 4096);
  show("munmap", munmap(p, 3 * 4096));
  return 0;
}
