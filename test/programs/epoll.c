// epoll semantics: ctl errors, level/edge/oneshot, ready-list order, nested epoll, close drops items,
// eventfd and timerfd as epoll sources, epoll_pwait across a forked writer.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOWR(label, call) do { errno = 0; int r_ = (call); printf("%s: r=%d %s\n", label, r_, r_ < 0 ? strerror(errno) : "-"); } while (0)

static void waitshow(const char *what, int ep, int max, int timeout) {
  struct epoll_event ev[8];
  int n = epoll_wait(ep, ev, max, timeout);
  printf("%s: n=%d", what, n);
  if (n < 0) printf(" %s", strerror(errno));
  for (int i = 0; i < n; i++) printf(" [%llu:%#x]", (unsigned long long)ev[i].data.u64, ev[i].events);
  printf("\n");
}

static int add(int ep, int fd, uint32_t events, uint64_t data) {
  struct epoll_event e = {.events = events, .data.u64 = data};
  return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

int main(void) {
  printf("sizeof epoll_event %zu\n", sizeof(struct epoll_event));
  int ep = epoll_create1(EPOLL_CLOEXEC);
  printf("cloexec %d\n", (fcntl(ep, F_GETFD) & FD_CLOEXEC) != 0);
  SHOWR("create1 bad flags", epoll_create1(1));
  SHOWR("create size 0", epoll_create(0));
  int p[2], q[2];
  pipe(p); pipe(q);
  int f = open("poll-file", O_RDWR | O_CREAT, 0600);
  SHOWR("add regular file", add(ep, f, EPOLLIN, 1));
  SHOWR("add self", add(ep, ep, EPOLLIN, 1));
  SHOWR("add to non-epoll", add(p[0], q[0], EPOLLIN, 1));
  SHOWR("add bad fd", add(ep, 99, EPOLLIN, 1));
  SHOWR("add", add(ep, p[0], EPOLLIN, 10));
  SHOWR("add again", add(ep, p[0], EPOLLIN, 10));
  SHOWR("del missing", epoll_ctl(ep, EPOLL_CTL_DEL, q[0], 0));
  struct epoll_event e = {.events = EPOLLIN, .data.u64 = 5};
  SHOWR("mod missing", epoll_ctl(ep, EPOLL_CTL_MOD, q[0], &e));
  SHOWR("bad op", epoll_ctl(ep, 9, q[0], &e));
  SHOWR("exclusive+oneshot", add(ep, q[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 1));
  SHOWR("wait maxevents 0", epoll_wait(ep, &e, 0, 0));
  SHOWR("wait bad buffer", syscall(SYS_epoll_wait, ep, 8L, 1L, 0L));
  SHOWR("wait on non-epoll", epoll_wait(p[0], &e, 1, 0));

  waitshow("empty", ep, 8, 0);
  SHOWR("add writer", add(ep, q[1], EPOLLOUT, 21));
  write(p[1], "abcd", 4);
  waitshow("level", ep, 8, 0);
  waitshow("level again", ep, 8, 0);
  waitshow("max 1", ep, 1, 0);
  waitshow("max 1 rotates", ep, 1, 0);

  // edge-triggered: one report per wake-up
  e.events = EPOLLIN | EPOLLET; e.data.u64 = 11;
  SHOWR("mod to ET", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e));
  SHOWR("del writer", epoll_ctl(ep, EPOLL_CTL_DEL, q[1], 0));
  waitshow("et after mod", ep, 8, 0);
  waitshow("et nothing new", ep, 8, 0);
  write(p[1], "e", 1);
  waitshow("et new write", ep, 8, 0);
  char b[16];
  read(p[0], b, sizeof b);
  waitshow("et drained", ep, 8, 0);

  // oneshot: disabled after one report, MOD re-arms
  e.events = EPOLLIN | EPOLLONESHOT; e.data.u64 = 12;
  epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e);
  write(p[1], "o", 1);
  waitshow("oneshot", ep, 8, 0);
  waitshow("oneshot disabled", ep, 8, 0);
  epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e);
  waitshow("oneshot rearmed", ep, 8, 0);
  read(p[0], b, sizeof b);

  // hang-up and error are always reported
  int h[2];
  pipe(h);
  add(ep, h[0], 0, 30);
  close(h[1]);
  waitshow("hup without asking", ep, 8, 0);
  epoll_ctl(ep, EPOLL_CTL_DEL, h[0], 0);

  // nested: an epoll fd is readable when its items are ready; loops are refused
  int outer = epoll_create1(0);
  SHOWR("nest", add(outer, ep, EPOLLIN, 40));
  SHOWR("loop", add(ep, outer, EPOLLIN, 41));
  waitshow("outer idle", outer, 8, 0);
  int ev = eventfd(0, EFD_NONBLOCK);
  add(ep, ev, EPOLLIN, 50);
  uint64_t one = 1;
  write(ev, &one, 8);
  waitshow("outer sees inner", outer, 8, 0);
  waitshow("inner", ep, 8, 0);
  uint64_t v;
  read(ev, &v, 8);
  waitshow("outer idle again", outer, 8, 0);

  // closing the last reference drops the item; a dup keeps it
  int d = dup(ev);
  close(ev);
  write(d, &one, 8);
  waitshow("dup keeps item", ep, 8, 0);
  close(d);
  waitshow("closed file gone", ep, 8, 0);

  // blocking wait woken by another process
  pid_t c = fork();
  if (c == 0) { usleep(30000); write(q[1], "z", 1); _exit(0); }
  add(ep, q[0], EPOLLIN, 60);
  waitshow("child wrote", ep, 8, 5000);
  waitpid(c, 0, 0);
  read(q[0], b, sizeof b);
  waitshow("timeout", ep, 8, 30);
  return 0;
}
