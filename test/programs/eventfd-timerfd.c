// eventfd (counter, EFD_SEMAPHORE, EFD_NONBLOCK, EINVAL cases) and timerfd (relative/absolute, intervals,
// gettime, expiration counts, EAGAIN, poll readiness) semantics.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define SHOWR(label, call) do { errno = 0; long r_ = (call); printf("%s: r=%ld %s\n", label, r_, r_ < 0 ? strerror(errno) : "-"); } while (0)

static uint64_t v;
static uint64_t rd(int fd) { v = 0; return read(fd, &v, 8) == 8 ? v : (uint64_t)-1; }
static int readable(int fd) { struct pollfd p = {fd, POLLIN | POLLOUT, 0}; poll(&p, 1, 0); return p.revents; }

int main(void) {
  int e = eventfd(3, EFD_NONBLOCK);
  struct stat st;
  fstat(e, &st);
  printf("eventfd mode %o\n", st.st_mode);
  printf("revents %#x\n", readable(e));
  printf("read %llu\n", (unsigned long long)rd(e));
  printf("revents %#x\n", readable(e));
  SHOWR("read empty", read(e, &v, 8));
  SHOWR("read short", read(e, &v, 4));
  v = UINT64_MAX;
  SHOWR("write max", write(e, &v, 8));
  v = UINT64_MAX - 1;
  SHOWR("write max-1", write(e, &v, 8));
  printf("revents full %#x\n", readable(e));
  v = 1;
  SHOWR("write overflow", write(e, &v, 8));
  close(e);
  SHOWR("bad flags", eventfd(0, 0x10));

  int s = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
  printf("sem %llu %llu\n", (unsigned long long)rd(s), (unsigned long long)rd(s));
  SHOWR("sem empty", read(s, &v, 8));

  // timerfd
  SHOWR("bad clock", timerfd_create(99, 0));
  SHOWR("bad flags", timerfd_create(CLOCK_MONOTONIC, 1));
  int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  printf("cloexec %d\n", (fcntl(t, F_GETFD) & FD_CLOEXEC) != 0);
  SHOWR("unarmed read", read(t, &v, 8));
  struct itimerspec its = {{0, 0}, {0, 20000000}}, old, cur;
  timerfd_settime(t, 0, &its, &old);
  printf("old %ld.%09ld\n", (long)old.it_value.tv_sec, old.it_value.tv_nsec);
  timerfd_gettime(t, &cur);
  printf("armed left ok %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 20000000);
  printf("before revents %#x\n", readable(t));
  struct pollfd pf = {t, POLLIN, 0};
  int pr = poll(&pf, 1, 1000);
  printf("poll %d revents %#x\n", pr, pf.revents);
  printf("expirations %llu\n", (unsigned long long)rd(t));
  timerfd_gettime(t, &cur);
  printf("after %ld.%09ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);

  // interval timer: ~10 expirations in 105 ms at 10 ms
  its.it_interval.tv_nsec = 10000000;
  its.it_value.tv_nsec = 10000000;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  timerfd_settime(t, 0, &its, 0);
  usleep(105000);
  uint64_t n = rd(t);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  // a loaded machine oversleeps: the count must match the time that really passed (10 ms each)
  long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  printf("interval count plausible %d\n", n >= 8 && (long)n <= ms / 10 + 1);
  timerfd_gettime(t, &cur);
  printf("interval %ld.%09ld\n", (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);

  // absolute time in the past: one expiration at once
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  its.it_interval.tv_nsec = 0;
  its.it_value = now;
  its.it_value.tv_sec -= 1;
  timerfd_settime(t, TFD_TIMER_ABSTIME, &its, 0);
  printf("abs past %llu\n", (unsigned long long)rd(t));
  // disarm
  its.it_value.tv_sec = 0; its.it_value.tv_nsec = 0;
  timerfd_settime(t, 0, &its, 0);
  SHOWR("disarmed read", read(t, &v, 8));
  SHOWR("settime bad nsec", ({ its.it_value.tv_nsec = 1000000000; timerfd_settime(t, 0, &its, 0); }));
  SHOWR("settime not timerfd", timerfd_settime(s, 0, &its, 0));
  SHOWR("settime bad flags", timerfd_settime(t, 8, &its, 0));

  // blocking read wakes at expiry
  int b = timerfd_create(CLOCK_REALTIME, 0);
  its.it_value.tv_sec = 0; its.it_value.tv_nsec = 15000000;
  timerfd_settime(b, 0, &its, 0);
  printf("blocking read %llu\n", (unsigned long long)rd(b));
  return 0;
}
