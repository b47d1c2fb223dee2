// Waiting on inet sockets: epoll (EPOLLOUT when a non-blocking connect completes, EPOLLIN for a pending
// connection, EPOLLRDHUP at the peer's FIN, edge-triggered wake-ups), select, SO_RCVTIMEO (EAGAIN after about
// the timeout, compared to the measured time), a signal interrupting a blocking accept (EINTR without
// SA_RESTART, restarted with it), and bad pointers and lengths (EFAULT, EINVAL).
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "report.h"

static int listener(struct sockaddr_in *a) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  *a = (struct sockaddr_in){AF_INET, 0, {htonl(INADDR_LOOPBACK)}, {0}};
  bind(l, (struct sockaddr *)a, sizeof *a);
  listen(l, 4);
  socklen_t len = sizeof *a;
  getsockname(l, (struct sockaddr *)a, &len);
  return l;
}

/** epoll_wait until `want` files are ready (the two ends of a loopback connection learn of it at different times). */
static void print_events_n(const char *what, int ep, int ms, int want) {
  struct epoll_event ev[4];
  int n = epoll_wait(ep, ev, 4, ms);
  for (int i = 0; i < 500 && n >= 0 && n < want; i++) { usleep(10000); n = epoll_wait(ep, ev, 4, ms); }
  printf("%s: %d", what, n);
  for (int i = 0; i < n; i++) printf(" [fd-tag %d: %#x]", (int)ev[i].data.u32, ev[i].events);
  printf("\n");
}

static void print_events(const char *what, int ep, int ms) { print_events_n(what, ep, ms, 0); }

static void with_epoll(void) {
  struct sockaddr_in a;
  int l = listener(&a);
  int ep = epoll_create1(0);
  epoll_ctl(ep, EPOLL_CTL_ADD, l, &(struct epoll_event){EPOLLIN, {.u32 = 1}});
  int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("connect: %s\n", r == 0 ? "0" : strerrorname_np(errno));
  epoll_ctl(ep, EPOLL_CTL_ADD, c, &(struct epoll_event){EPOLLOUT | EPOLLIN | EPOLLRDHUP, {.u32 = 2}});
  print_events_n("listener ready, client writable", ep, 5000, 2);
  epoll_ctl(ep, EPOLL_CTL_DEL, l, NULL);
  int s = accept(l, NULL, NULL);
  epoll_ctl(ep, EPOLL_CTL_MOD, c, &(struct epoll_event){EPOLLIN | EPOLLRDHUP | EPOLLET, {.u32 = 2}});
  print_events("nothing to read", ep, 0);
  write(s, "one", 3);
  print_events("data", ep, 5000);
  print_events("edge consumed", ep, 0);
  write(s, "two", 3);
  print_events("new data, new edge", ep, 5000);
  shutdown(s, SHUT_WR);
  print_events("peer's FIN", ep, 5000);
  char b[16];
  int n = 0, k;
  while ((k = read(c, b + n, sizeof b - n)) > 0) n += k;
  printf("read %d bytes, then %d\n", n, k);
  close(ep);
  close(s);
  close(c);
  close(l);
}

static void with_select(void) {
  struct sockaddr_in a;
  int l = listener(&a);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  connect(c, (struct sockaddr *)&a, sizeof a);
  fd_set rd, wr;
  FD_ZERO(&rd); FD_ZERO(&wr);
  FD_SET(l, &rd); FD_SET(c, &rd); FD_SET(c, &wr);
  struct timeval tv = {5, 0};
  int n = select((l > c ? l : c) + 1, &rd, &wr, NULL, &tv);
  printf("select: %d listener readable %d client readable %d writable %d\n", n, FD_ISSET(l, &rd), FD_ISSET(c, &rd), FD_ISSET(c, &wr));
  close(c);
  close(l);
}

static void on_alarm(int sig) { (void)sig; }

static void timeouts_and_signals(void) {
  struct sockaddr_in a;
  int l = listener(&a);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  connect(c, (struct sockaddr *)&a, sizeof a);
  int s = accept(l, NULL, NULL);
  struct timeval tv = {0, 200000};
  show("SO_RCVTIMEO", setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
  struct timeval got;
  socklen_t len = sizeof got;
  getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &got, &len);
  printf("reads back %ld.%06ld\n", (long)got.tv_sec, (long)got.tv_usec);
  char b[4];
  double t0 = clock_secs(CLOCK_MONOTONIC);
  show("read with a timeout", read(c, b, sizeof b));
  double dt = clock_secs(CLOCK_MONOTONIC) - t0;
  printf("waited at least the timeout: %d\n", dt >= 0.19);
  // a signal ends a blocking accept: EINTR without SA_RESTART
  struct sigaction sa = {0};
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, 0}, {0, 100000}};
  setitimer(ITIMER_REAL, &it, NULL);
  show("accept interrupted", accept(l, NULL, NULL));
  setitimer(ITIMER_REAL, &it, NULL);
  show("recv interrupted", recv(s, b, sizeof b, 0));
  close(s);
  close(c);
  close(l);
}

static void bad_arguments(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  show("bind from a bad pointer", bind(s, (struct sockaddr *)8, 16));
  show("getsockname into a bad pointer", getsockname(s, (struct sockaddr *)8, &(socklen_t){16}));
  show("getsockname, bad length pointer", getsockname(s, NULL, (socklen_t *)8));
  socklen_t neg = -1;
  struct sockaddr_in a;
  show("getsockname, negative length", getsockname(s, (struct sockaddr *)&a, &neg));
  show("connect AF_UNSPEC", connect(s, &(struct sockaddr){AF_UNSPEC}, sizeof(struct sockaddr)));
  show("setsockopt bad pointer", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (void *)8, 4));
  show("getsockopt bad length pointer", getsockopt(s, SOL_SOCKET, SO_TYPE, &neg, (socklen_t *)8));
  show("shutdown bad how", shutdown(s, 7));
  int six = socket(AF_INET6, SOCK_DGRAM, 0);
  struct sockaddr_in v4 = {AF_INET, htons(9), {htonl(INADDR_LOOPBACK)}, {0}};
  show("AF_INET6 sendto an AF_INET address", sendto(six, "x", 1, 0, (struct sockaddr *)&v4, sizeof v4));
  show("AF_INET6 sendto, 16 bytes", sendto(six, "x", 1, 0, (struct sockaddr *)&v4, 16));
  close(six);
  close(s);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  with_epoll();
  with_select();
  timeouts_and_signals();
  bad_arguments();
  return 0;
}
