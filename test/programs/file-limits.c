// RLIMIT_FSIZE and RLIMIT_NOFILE as Linux enforces them: a write cut short at the size limit, EFBIG with
// SIGXFSZ past it (caught and ignored), pwrite/O_APPEND/ftruncate/truncate against the limit; fds at or above
// the soft limit refused by open (EMFILE), dup2 (EBADF), F_DUPFD (EINVAL); the hard limit capped by nr_open.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile sig_atomic_t xfsz;
static void on_xfsz(int sig) { (void)sig; xfsz++; }

static void report(const char *what, long r) {
  printf("%s: %ld%s%s sigxfsz=%d\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "", (int)xfsz);
  xfsz = 0;
}

static long size_of(const char *p) { struct stat st; return stat(p, &st) ? -1 : (long)st.st_size; }

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  char buf[3000];
  memset(buf, 'x', sizeof buf);
  signal(SIGXFSZ, on_xfsz);
  struct rlimit fs = { 1000, RLIM_INFINITY };
  setrlimit(RLIMIT_FSIZE, &fs);

  int fd = open("fl-test", O_CREAT | O_TRUNC | O_RDWR, 0644);
  report("write 3000 under a 1000 limit", write(fd, buf, sizeof buf));
  report("write at the limit", write(fd, buf, 10));
  report("pwrite 100 at 950", pwrite(fd, buf, 100, 950));
  report("pwrite at 5000", pwrite(fd, buf, 1, 5000));
  report("ftruncate to 500 (shrinks)", ftruncate(fd, 500));
  report("ftruncate to 1000", ftruncate(fd, 1000));
  report("ftruncate to 1001", ftruncate(fd, 1001));
  report("truncate to 2000", truncate("fl-test", 2000));
  report("write of 0 bytes at the limit", write(fd, buf, 0));
  close(fd);
  fd = open("fl-test", O_WRONLY | O_APPEND);
  report("append at the limit", write(fd, buf, 1));
  ftruncate(fd, 990);
  report("append 20 at 990", write(fd, buf, 20));
  close(fd);
  printf("size: %ld\n", size_of("fl-test"));
  report("writev to a pipe ignores the limit", ({ int p[2]; pipe(p); long r = write(p[1], buf, 2000); close(p[0]); close(p[1]); r; }));
  unlink("fl-test");

  struct rlimit nf = { 8, 64 };
  report("setrlimit NOFILE 8/64", setrlimit(RLIMIT_NOFILE, &nf));
  for (int i = 3; i < 8; i++) open("/dev/null", O_RDONLY);
  report("open at the limit", open("/dev/null", O_RDONLY));
  report("dup2 to 8", dup2(0, 8));
  report("dup2 to 7", dup2(0, 7));
  report("F_DUPFD from 8", fcntl(0, F_DUPFD, 8));
  report("dup at the limit", dup(0));
  close(5);
  report("dup with one free", dup(0));
  struct rlimit big = { 64, 1 << 30 };
  report("setrlimit NOFILE above nr_open", setrlimit(RLIMIT_NOFILE, &big));
  struct rlimit more = { 16, 64 };
  setrlimit(RLIMIT_NOFILE, &more);
  report("dup2 to 12 after raising", dup2(0, 12));
  return 0;
}
