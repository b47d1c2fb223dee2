// Linux native AIO through the raw syscalls (io_setup, io_submit, io_getevents, io_pgetevents, io_cancel,
// io_destroy): the ring mapped in the caller (its header as libaio reads it), reads, writes, vectored I/O,
// fsync, eventfd notification, the argument checks, a blocking pipe read, and contexts not inherited by fork.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "report.h"

struct ring { unsigned id, nr, head, tail, magic, compat, incompat, header_length; struct io_event events[]; };

static long setup(unsigned n, aio_context_t *ctx) { return syscall(SYS_io_setup, n, ctx); }
static long submit(aio_context_t ctx, long n, struct iocb **v) { return syscall(SYS_io_submit, ctx, n, v); }
static long getevents(aio_context_t ctx, long min, long max, struct io_event *ev, struct timespec *ts) {
  return syscall(SYS_io_getevents, ctx, min, max, ev, ts);
}

static struct iocb cb(int op, int fd, void *buf, size_t n, long long off, uint64_t data) {
  struct iocb c;
  memset(&c, 0, sizeof c);
  c.aio_lio_opcode = op; c.aio_fildes = fd; c.aio_buf = (uintptr_t)buf; c.aio_nbytes = n; c.aio_offset = off; c.aio_data = data;
  return c;
}

static void reap(const char *what, aio_context_t ctx, long min, struct iocb *base) {
  struct io_event ev[8];
  struct timespec ts = {5, 0}; // returns once `min` events are in
  long r = getevents(ctx, min, 8, ev, &ts);
  show(what, r);
  // in submission order: Linux completes fsync requests from a work queue, after later reads
  for (long i = 1; i < r; i++)
    for (long j = i; j > 0 && ev[j].data < ev[j - 1].data; j--) { struct io_event x = ev[j]; ev[j] = ev[j - 1]; ev[j - 1] = x; }
  for (long i = 0; i < r; i++)
    printf("  data %llu obj %ld res %lld res2 %lld\n", (unsigned long long)ev[i].data, (long)((struct iocb *)(uintptr_t)ev[i].obj - base), (long long)ev[i].res, (long long)ev[i].res2);
}

static void maps_line(aio_context_t ctx) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[512];
  while (fgets(line, sizeof line, f)) {
    unsigned long s, e;
    if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s == ctx) printf("ring mapping: %lu pages, %s", (e - s) / 4096, strchr(line, '/') ? strchr(line, '/') : "anon\n");
  }
  fclose(f);
}

int main(void) {
  aio_context_t ctx = 0, bad = 1;
  show("io_setup 0 events", setup(0, &ctx));
  show("io_setup ctx not zeroed", setup(8, &bad));
  show("io_setup bad pointer", setup(8, (aio_context_t *)8));
  show("io_setup too many", setup(1 << 30, &ctx));
  show("io_setup 8", setup(8, &ctx));
  FILE *nrf = fopen("/proc/sys/fs/aio-nr", "r");
  long aio_nr = -1;
  if (nrf) { fscanf(nrf, "%ld", &aio_nr); fclose(nrf); }
  printf("aio-nr counts at least 8: %d\n", aio_nr >= 8);
  struct ring *rg = (struct ring *)ctx;
  printf("ring: id %x nr %u head %u tail %u magic %x compat %u incompat %u header %u\n", rg->id, rg->nr, rg->head, rg->tail, rg->magic, rg->compat, rg->incompat, rg->header_length);
  maps_line(ctx);

  char path[] = "aio-XXXXXX";
  int fd = mkstemp(path);
  unlink(path);
  char wbuf[64] = "hello, asynchronous world", rbuf[64] = {0}, a[8] = {0}, b[8] = {0};
  struct iocb c[8];
  struct iocb *v[8];
  for (int i = 0; i < 8; i++) v[i] = &c[i];
  c[0] = cb(IOCB_CMD_PWRITE, fd, wbuf, 25, 0, 100);
  c[1] = cb(IOCB_CMD_PREAD, fd, rbuf, 64, 7, 101);
  show("submit write+read", submit(ctx, 2, v));
  printf("ring head %u tail %u\n", rg->head, rg->tail);
  reap("getevents", ctx, 2, c);
  printf("read back: %s\n", rbuf);
  printf("ring head %u tail %u\n", rg->head, rg->tail);
  struct iovec iov[2] = {{a, 5}, {b, 7}};
  c[0] = cb(IOCB_CMD_PREADV, fd, iov, 2, 0, 200);
  c[1] = cb(IOCB_CMD_FSYNC, fd, NULL, 0, 0, 201);
  c[2] = cb(IOCB_CMD_FDSYNC, fd, NULL, 0, 0, 202);
  c[3] = cb(IOCB_CMD_PREAD, fd, rbuf, 10, 1000, 203);
  show("submit preadv+fsync+fdsync+read past EOF", submit(ctx, 4, v));
  reap("getevents", ctx, 4, c);
  printf("preadv: %.5s|%.7s\n", a, b);
  // errors: per iocb, the first one's error is the call's
  c[0] = cb(IOCB_CMD_PREAD, 999, rbuf, 10, 0, 300);
  show("bad fd first", submit(ctx, 1, v));
  c[0] = cb(IOCB_CMD_PREAD, fd, rbuf, 10, 0, 301);
  c[1] = cb(IOCB_CMD_PREAD, 999, rbuf, 10, 0, 302);
  show("bad fd second", submit(ctx, 2, v));
  reap("getevents", ctx, 1, c);
  c[0] = cb(99, fd, rbuf, 10, 0, 303);
  show("bad opcode", submit(ctx, 1, v));
  c[0] = cb(IOCB_CMD_FSYNC, fd, rbuf, 10, 0, 304);
  show("fsync with a buffer", submit(ctx, 1, v));
  c[0] = cb(IOCB_CMD_PREAD, fd, rbuf, 10, 0, 305);
  c[0].aio_reserved2 = 1;
  show("reserved2 set", submit(ctx, 1, v));
  c[0] = cb(IOCB_CMD_PREAD, fd, rbuf, (size_t)-1, 0, 306);
  show("negative size", submit(ctx, 1, v));
  c[0] = cb(IOCB_CMD_PREAD, fd, rbuf, 10, -1, 307);
  show("negative offset", submit(ctx, 1, v));
  reap("getevents", ctx, 0, c);
  show("submit 0", submit(ctx, 0, v));
  show("submit -1", submit(ctx, -1, v));
  show("submit bad ctx", submit(12345, 1, v));
  show("submit bad array", submit(ctx, 1, (struct iocb **)8));
  int wr = open("/proc/self/exe", O_RDONLY);
  c[0] = cb(IOCB_CMD_PWRITE, wr, wbuf, 4, 0, 308);
  show("write to a read-only fd", submit(ctx, 1, v));
  struct io_event ev[4];
  show("getevents min > nr", getevents(ctx, 3, 2, ev, NULL));
  show("getevents bad ctx", getevents(77, 0, 2, ev, NULL));
  struct timespec zero = {0, 0};
  show("getevents nothing, no wait", getevents(ctx, 0, 2, ev, &zero));
  show("getevents 1, times out", getevents(ctx, 1, 2, ev, &zero));
  struct timespec badts = {0, 2000000000};
  show("getevents bad timeout", getevents(ctx, 1, 2, ev, &badts));

  // eventfd notification
  int efd = eventfd(0, 0);
  c[0] = cb(IOCB_CMD_PREAD, fd, rbuf, 5, 0, 400);
  c[0].aio_flags = IOCB_FLAG_RESFD; c[0].aio_resfd = efd;
  c[1] = cb(IOCB_CMD_PREAD, fd, rbuf, 5, 0, 401);
  c[1].aio_flags = IOCB_FLAG_RESFD; c[1].aio_resfd = efd;
  show("submit with resfd", submit(ctx, 2, v));
  uint64_t cnt = 0;
  read(efd, &cnt, 8);
  printf("eventfd count %llu\n", (unsigned long long)cnt);
  reap("getevents", ctx, 2, c);
  c[0].aio_resfd = fd;
  show("resfd not an eventfd", submit(ctx, 1, v));

  // a read of an empty pipe completes when data comes (io_submit itself waits: buffered AIO is synchronous)
  int pfd[2];
  pipe(pfd);
  fflush(stdout);
  pid_t w = fork();
  if (w == 0) {
    usleep(100000);
    write(pfd[1], "piped", 5);
    show("child: ctx not inherited", submit(ctx, 1, v));
    fflush(stdout);
    _exit(0);
  }
  c[0] = cb(IOCB_CMD_PREAD, pfd[0], rbuf, 64, 0, 500);
  show("pipe read", submit(ctx, 1, v));
  reap("getevents", ctx, 1, c);
  waitpid(w, NULL, 0);

  // the ring fills: io_getevents must make room (nr 8 asks for 8, the ring holds more)
  int done = 0;
  for (int i = 0; i < 40; i++) {
    c[0] = cb(IOCB_CMD_PREAD, fd, rbuf, 1, 0, 600 + i);
    long r = submit(ctx, 1, v);
    if (r != 1) { printf("submission %d: %ld %s\n", i, r, strerrorname_np(errno)); break; }
    done++;
  }
  printf("submitted before full: %d\n", done);
  struct io_event many[64];
  show("getevents all", getevents(ctx, 1, 64, many, NULL));
  show("io_cancel of a completed one", syscall(SYS_io_cancel, ctx, &c[0], many));
  show("io_destroy", syscall(SYS_io_destroy, ctx));
  show("io_destroy again", syscall(SYS_io_destroy, ctx));
  show("submit after destroy", submit(ctx, 1, v));
  maps_line(ctx);
  aio_context_t c2 = 0;
  show("io_setup 1", setup(1, &c2));
  printf("ring nr for 1: %u\n", ((struct ring *)c2)->nr);
  return 0;
}
