#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <linux/random.h>
#include "report.h"
#include "scratch.h"

static void content(const char *what, const char *p) {
  char b[128] = {0}; int fd = open(p, O_RDONLY); ssize_t n = read(fd, b, sizeof b - 1); close(fd);
  for (ssize_t i = 0; i < n; i++) if (!b[i]) b[i] = '0';
  printf("%s: %zd [%s]\n", what, n, n > 0 ? b : "");
}

static void run(const char *base) {
  struct stat st; int fd, fd2; char buf[4096];
  printf("== %s\n", base == NULL ? "root filesystem" : "tmpfs");
  if (enter_scratch(base) < 0) { show("scratch", -1); return; }
  fd = open("f", O_CREAT | O_RDWR, 0644);
  show("write", write(fd, "0123456789", 10));
  show("pread neg", pread(fd, buf, 1, -1));
  show("pwrite neg", pwrite(fd, buf, 1, -1));
  show("pread past end", pread(fd, buf, 10, 1000));
  show("lseek neg", lseek(fd, -1, SEEK_SET));
  show("lseek bad whence", lseek(fd, 0, 7));
  lseek(fd, 0, SEEK_SET);
  // readv/writev
  struct iovec iov[1100];
  for (int i = 0; i < 1100; i++) { iov[i].iov_base = buf + (i % 64); iov[i].iov_len = 1; }
  show("writev IOV_MAX", writev(fd, iov, 1024));
  show("writev IOV_MAX+1", writev(fd, iov, 1025));
  show("writev 0", writev(fd, iov, 0));
  iov[0].iov_len = (size_t)-1;
  show("writev huge len", writev(fd, iov, 2));
  iov[0].iov_len = 1; iov[1].iov_base = NULL; iov[1].iov_len = 5;
  show("writev bad second", writev(fd, iov, 2));
  fstat(fd, &st); printf("size %lld\n", (long long)st.st_size);
  iov[1].iov_base = NULL; iov[1].iov_len = 0;
  show("writev null zero-len", writev(fd, iov, 2));
  show("preadv at 5", preadv(fd, iov, 3, 5));
  show("pwritev neg", pwritev(fd, iov, 1, -2));
  show("preadv2 RWF_HIPRI|RWF_DSYNC", preadv2(fd, iov, 1, 0, RWF_HIPRI | RWF_DSYNC));
  show("pwritev2 RWF_SYNC", pwritev2(fd, iov, 1, 3, RWF_SYNC));
  show("pwritev2 RWF_NOWAIT", pwritev2(fd, iov, 1, 3, RWF_NOWAIT));
  show("preadv2 off -1", preadv2(fd, iov, 1, -1, 0));
  show("pwritev2 RWF_APPEND", pwritev2(fd, iov, 1, 0, RWF_APPEND));
  show("lseek after RWF_APPEND", lseek(fd, 0, SEEK_CUR));
  ftruncate(fd, 0); pwrite(fd, "abcdefghij", 10, 0);
  // sendfile
  fd2 = open("g", O_CREAT | O_RDWR | O_TRUNC, 0644);
  off_t off = 3;
  show("sendfile off 3", sendfile(fd2, fd, &off, 4)); printf("  off now %lld, src pos %lld\n", (long long)off, (long long)lseek(fd, 0, SEEK_CUR));
  show("sendfile no off", sendfile(fd2, fd, NULL, 100)); printf("  src pos %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  content("g", "g");
  off = -1; show("sendfile neg off", sendfile(fd2, fd, &off, 1));
  off = 100; show("sendfile past end", sendfile(fd2, fd, &off, 5));
  int ro = open("f", O_RDONLY);
  show("sendfile into rdonly", sendfile(ro, fd, NULL, 1));
  int wo = open("f", O_WRONLY);
  show("sendfile from wronly", sendfile(fd2, wo, NULL, 1));
  int ap = open("g", O_WRONLY | O_APPEND);
  off = 0; show("sendfile into append", sendfile(ap, fd, &off, 2));
  close(ro); close(wo); close(ap);
  // copy_file_range
  loff_t in = 0, out = 2;
  show("cfr overlap same file", copy_file_range(fd, &in, fd, &out, 5, 0));
  in = 0; out = 5;
  show("cfr adjacent same file", copy_file_range(fd, &in, fd, &out, 5, 0)); content("f", "f");
  in = 0; out = 20;
  show("cfr past end same file", copy_file_range(fd, &in, fd, &out, 3, 0)); content("f", "f");
  show("cfr flags", copy_file_range(fd, NULL, fd2, NULL, 1, 1));
  in = 100; show("cfr in past eof", copy_file_range(fd, &in, fd2, NULL, 5, 0));
  in = -1; show("cfr neg", copy_file_range(fd, &in, fd2, NULL, 5, 0));
  lseek(fd, 0, SEEK_SET); lseek(fd2, 0, SEEK_SET);
  show("cfr no offsets", copy_file_range(fd, NULL, fd2, NULL, 4, 0)); printf("  pos %lld %lld\n", (long long)lseek(fd, 0, SEEK_CUR), (long long)lseek(fd2, 0, SEEK_CUR));
  int dfd = open(".", O_RDONLY | O_DIRECTORY);
  show("cfr from dir", copy_file_range(dfd, NULL, fd2, NULL, 4, 0));
  int pp[2]; pipe(pp);
  show("cfr into pipe", copy_file_range(fd, NULL, pp[1], NULL, 4, 0));
  show("sendfile into pipe", sendfile(pp[1], fd, NULL, 4));
  show("sendfile from pipe", sendfile(fd2, pp[0], NULL, 4));
  close(pp[0]); close(pp[1]); close(dfd);
  // SEEK_DATA / SEEK_HOLE (tmpfs only: the root filesystem's extents are the host's)
  if (base) {
    int sp = open("sparse", O_CREAT | O_RDWR | O_TRUNC, 0644);
    pwrite(sp, "x", 1, 1 << 20); pwrite(sp, "y", 1, 4 << 20);
    show("SEEK_DATA 0", lseek(sp, 0, SEEK_DATA));
    show("SEEK_HOLE 0", lseek(sp, 0, SEEK_HOLE));
    show("SEEK_HOLE at data", lseek(sp, 1 << 20, SEEK_HOLE));
    show("SEEK_DATA after first", lseek(sp, (1 << 20) + 4096, SEEK_DATA));
    show("SEEK_DATA at eof", lseek(sp, (4 << 20) + 1, SEEK_DATA));
    show("SEEK_HOLE at eof-1", lseek(sp, 4 << 20, SEEK_HOLE));
    show("SEEK_DATA neg", lseek(sp, -1, SEEK_DATA));
    fstat(sp, &st); printf("sparse blocks small %d\n", st.st_blocks < 64);
    close(sp);
  }
  show("SEEK_HOLE plain", lseek(fd, 0, SEEK_HOLE));
  show("SEEK_DATA past", lseek(fd, 1000, SEEK_DATA));
  // fcntl
  show("dup2 same", dup2(fd, fd));
  show("dup2 bad", dup2(999, 998));
  show("dup3 same", dup3(fd, fd, 0));
  show("dup3 bad flags", dup3(fd, 50, 1));
  show("F_DUPFD min 100", fcntl(fd, F_DUPFD, 100)); close(100);
  show("F_DUPFD_CLOEXEC", (fd2 = fcntl(fd, F_DUPFD_CLOEXEC, 0)) >= 0 ? fcntl(fd2, F_GETFD) : -1); close(fd2);
  // leases and dnotify are not there yet: F_GETLEASE alone
  show("F_GETLEASE", fcntl(fd, F_GETLEASE));
  show("F_SETFL O_DIRECT", fcntl(fd, F_SETFL, O_DIRECT)); printf("  getfl direct %d\n", (fcntl(fd, F_GETFL) & O_DIRECT) != 0);
  show("F_SETFL O_NOATIME", fcntl(fd, F_SETFL, O_NOATIME)); printf("  getfl noatime %d\n", (fcntl(fd, F_GETFL) & O_NOATIME) != 0);
  fcntl(fd, F_SETFL, 0);
  show("F_GETPIPE_SZ file", fcntl(fd, F_GETPIPE_SZ));
  show("F_SETSIG", fcntl(fd, F_SETSIG, SIGUSR1));
  show("F_GETSIG", fcntl(fd, F_GETSIG));
  show("F_SETSIG bad", fcntl(fd, F_SETSIG, 200));
  show("F_GETOWN", fcntl(fd, F_GETOWN));
  show("fcntl bad cmd", fcntl(fd, 9999));
  struct f_owner_ex ox = {F_OWNER_PGRP, getpgrp()};
  show("F_SETOWN_EX pgrp", fcntl(fd, F_SETOWN_EX, &ox));
  show("F_GETOWN is -pgrp", fcntl(fd, F_GETOWN) == -getpgrp());
  ox.pid = 0; ox.type = 0; fcntl(fd, F_GETOWN_EX, &ox); printf("  type %d same %d\n", ox.type, ox.pid == getpgrp());
  show("F_SETOWN self", fcntl(fd, F_SETOWN, getpid()));
  show("F_GETOWN is pid", fcntl(fd, F_GETOWN) == getpid());
  show("F_SETOWN missing", fcntl(fd, F_SETOWN, 99999999));
  ox.type = 7; show("F_SETOWN_EX bad type", fcntl(fd, F_SETOWN_EX, &ox));
  show("F_GET_SEALS file", fcntl(fd, F_GET_SEALS));
  show("F_ADD_SEALS file", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
  show("fsync", fsync(fd));
  show("fdatasync", fdatasync(fd));
  show("sync_file_range", sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE));
  show("sync_file_range bad", sync_file_range(fd, -1, 0, 0));
  show("posix_fadvise", posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED));
  show("readahead", readahead(fd, 0, 100));
  // reopen through /proc/self/fd
  char p[64];
  int del = open("del", O_CREAT | O_RDWR, 0644); write(del, "deleted-data", 12); unlink("del");
  snprintf(p, sizeof p, "/proc/self/fd/%d", del);
  char link[256]; ssize_t ln = readlink(p, link, sizeof link - 1); link[ln > 0 ? ln : 0] = 0;
  printf("deleted link ends (deleted): %d\n", ln > 10 && strcmp(link + ln - 10, " (deleted)") == 0);
  int re = open(p, O_RDONLY); show("reopen deleted", re >= 0 ? 0 : -1);
  if (re >= 0) { memset(buf, 0, 32); read(re, buf, 31); printf("  [%s]\n", buf); fstat(re, &st); printf("  nlink %ld\n", (long)st.st_nlink); close(re); }
  show("linkat deleted via proc", linkat(AT_FDCWD, p, AT_FDCWD, "undel", AT_SYMLINK_FOLLOW));
  close(del);
  pipe(pp);
  snprintf(p, sizeof p, "/proc/self/fd/%d", pp[1]);
  re = open(p, O_WRONLY); show("reopen pipe write end", re >= 0 ? 0 : -1);
  if (re >= 0) { write(re, "via", 3); close(re); memset(buf, 0, 8); read(pp[0], buf, 3); printf("  read [%s]\n", buf); }
  snprintf(p, sizeof p, "/proc/self/fd/%d", pp[0]);
  re = open(p, O_RDWR); show("reopen pipe rdwr", re >= 0 ? 0 : -1); close(re);
  close(pp[0]); close(pp[1]);
  close(fd);
  leave_scratch();
}

int main(void) {
  signal(SIGXFSZ, SIG_IGN);
  umask(022);
  run(NULL);
  run("/dev/shm/pbash-io-XXXXXX");
  // devices
  printf("== devices\n");
  int fd = open("/dev/full", O_WRONLY);
  show("write /dev/full", write(fd, "x", 1));
  char b[8];
  fd = open("/dev/full", O_RDONLY); show("read /dev/full", read(fd, b, 8)); printf("  zero %d\n", b[0] == 0 && b[7] == 0);
  show("lseek /dev/full", lseek(fd, 100, SEEK_SET)); close(fd);
  fd = open("/dev/null", O_RDWR);
  show("read /dev/null", read(fd, b, 8)); show("write /dev/null", write(fd, b, 8));
  show("lseek /dev/null", lseek(fd, 100, SEEK_SET)); close(fd);
  fd = open("/dev/zero", O_RDWR);
  char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  show("mmap /dev/zero private", m == MAP_FAILED ? -1 : 0); if (m != MAP_FAILED) { m[5] = 1; printf("  %d %d\n", m[4], m[5]); }
  m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  show("mmap /dev/zero shared", m == MAP_FAILED ? -1 : 0);
  show("write /dev/zero", write(fd, b, 8));
  close(fd);
  fd = open("/dev/urandom", O_RDONLY);
  int ent = -1; show("RNDGETENTCNT", ioctl(fd, RNDGETENTCNT, &ent)); printf("  positive %d\n", ent >= 0);
  show("RNDADDTOENTCNT", ioctl(fd, RNDADDTOENTCNT, &ent));
  ent = -1; show("RNDADDTOENTCNT neg", ioctl(fd, RNDADDTOENTCNT, &ent));
  show("RNDZAPENTCNT", ioctl(fd, RNDZAPENTCNT, 0));
  show("random bad ioctl", ioctl(fd, 0x5299, 0));
  show("urandom FIONREAD", ioctl(fd, FIONREAD, &ent));
  show("read urandom", read(fd, b, 8));
  show("lseek urandom", lseek(fd, 5, SEEK_SET));
  close(fd);
  fd = open("/dev/random", O_RDONLY | O_NONBLOCK); show("read random nonblock", read(fd, b, 8)); close(fd);
  setsid();
  show("open /dev/tty no ctty", open("/dev/tty", O_RDWR));
  return 0;
}
