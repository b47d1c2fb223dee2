#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/file.h>
#include "report.h"
#include "scratch.h"

static void flags(const char *what, int fd) {
  if (fd < 0) { show(what, fd); return; }
  int fl = fcntl(fd, F_GETFL), fdf = fcntl(fd, F_GETFD);
  printf("%s: fl=%o fd=%d\n", what, fl & ~0100000 /* O_LARGEFILE */, fdf);
  close(fd);
}

static void run(const char *base) {
  char p[256];
  for (int i = 3; i < 64; i++) close(i); // each pass starts from the same fd numbers
  int shm = base != NULL;
  printf("== %s\n", shm ? "tmpfs" : "root filesystem");
  if (enter_scratch(base) < 0) { show("scratch", -1); return; }
  int fd = open("f", O_CREAT | O_WRONLY | O_TRUNC, 0644); write(fd, "hello", 5); close(fd);
  mkdir("d", 0755);
  symlink("nowhere", "dangling");
  symlink("f", "lf");
  symlink("d", "ld");
  show("excl dangling", open("dangling", O_CREAT | O_EXCL | O_WRONLY, 0644));
  show("creat dangling", fd = open("dangling", O_CREAT | O_WRONLY, 0644)); close(fd);
  show("nowhere exists", access("nowhere", F_OK)); unlink("nowhere");
  show("nofollow link", open("lf", O_RDONLY | O_NOFOLLOW));
  show("nofollow dir link", open("ld", O_RDONLY | O_NOFOLLOW | O_DIRECTORY));
  show("nofollow path", (fd = open("lf", O_PATH | O_NOFOLLOW)) >= 0 ? 0 : -1);
  struct stat st; fstat(fd, &st); printf("opath nofollow islnk=%d\n", S_ISLNK(st.st_mode)); close(fd);
  show("directory on file", open("f", O_RDONLY | O_DIRECTORY));
  show("directory on link to dir", (fd = open("ld", O_RDONLY | O_DIRECTORY)) >= 0 ? 0 : -1); close(fd);
  show("directory creat", open("newd", O_RDONLY | O_DIRECTORY | O_CREAT, 0644));
  show("newd exists", access("newd", F_OK));
  show("dir wronly", open("d", O_WRONLY));
  show("dir rdwr", open("d", O_RDWR));
  show("dir creat", open("d", O_RDONLY | O_CREAT, 0644) >= 0 ? 0 : -1);
  show("dir creat excl", open("d", O_RDONLY | O_CREAT | O_EXCL, 0644));
  show("dir trunc rdonly", open("d", O_RDONLY | O_TRUNC));
  fd = open("f", O_RDONLY | O_TRUNC); show("trunc rdonly", fd >= 0 ? 0 : -1); close(fd);
  stat("f", &st); printf("size after rdonly trunc %lld\n", (long long)st.st_size);
  fd = open("f", O_WRONLY | O_TRUNC); write(fd, "0123456789", 10); close(fd);
  fd = open("f", O_WRONLY | O_APPEND);
  show("pwrite append", pwrite(fd, "AB", 2, 0));
  show("lseek cur", lseek(fd, 0, SEEK_CUR));
  close(fd);
  fd = open("f", O_RDONLY); char b[64] = {0}; read(fd, b, 63); printf("content %s\n", b); close(fd);
  fd = open("f", O_RDWR);
  show("setfl append", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
  printf("getfl %o\n", fcntl(fd, F_GETFL) & ~0100000);
  write(fd, "Z", 1);
  show("setfl clear", fcntl(fd, F_SETFL, 0));
  lseek(fd, 0, SEEK_SET); write(fd, "Y", 1);
  pread(fd, b, 63, 0); b[13] = 0; printf("content %s\n", b);
  show("setfl rdonly ignored", fcntl(fd, F_SETFL, O_RDONLY));
  printf("getfl %o\n", fcntl(fd, F_GETFL) & ~0100000);
  close(fd);
  flags("rdonly", open("f", O_RDONLY));
  flags("wronly cloexec", open("f", O_WRONLY | O_CLOEXEC));
  flags("rdwr append nonblock", open("f", O_RDWR | O_APPEND | O_NONBLOCK));
  flags("sync", open("f", O_RDWR | O_SYNC));
  flags("dsync", open("f", O_RDWR | O_DSYNC));
  flags("noatime", open("f", O_RDONLY | O_NOATIME));
  flags("path", open("f", O_PATH));
  flags("path extra flags", open("f", O_PATH | O_WRONLY | O_APPEND | O_CLOEXEC));
  flags("noctty", open("f", O_RDONLY | O_NOCTTY));
  flags("accmode 3", open("f", 3));
  flags("dir", open("d", O_RDONLY | O_DIRECTORY));
  flags("creat excl new", open("g", O_RDWR | O_CREAT | O_EXCL, 0600));
  flags("trunc creat", open("g", O_RDWR | O_CREAT | O_TRUNC, 0600));
  // O_PATH fds
  fd = open("f", O_PATH);
  show("path read", read(fd, b, 1));
  show("path write", write(fd, b, 1));
  show("path fstat", fstat(fd, &st)); printf("size %lld\n", (long long)st.st_size);
  show("path fchmod", fchmod(fd, 0600));
  show("path fchown", fchown(fd, 0, 0));
  show("path ftruncate", ftruncate(fd, 0));
  show("path lseek", lseek(fd, 0, SEEK_SET));
  show("path flock", flock(fd, LOCK_SH));
  show("path fsync", fsync(fd));
  show("path dup", dup(fd) >= 0 ? 0 : -1);
  snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
  int r = open(p, O_RDONLY); show("reopen via proc", r >= 0 ? 0 : -1);
  if (r >= 0) { memset(b, 0, sizeof b); read(r, b, 63); printf("reread %s\n", b); close(r); }
  r = open(p, O_RDWR); show("reopen rdwr via proc", r >= 0 ? 0 : -1); close(r);
  show("fstatat empty", fstatat(fd, "", &st, AT_EMPTY_PATH));
  show("fstatat empty no flag", fstatat(fd, "", &st, 0));
  show("openat on file path fd", openat(fd, "x", O_RDONLY));
  close(fd);
  fd = open("d", O_PATH);
  show("openat on dir path fd", (r = openat(fd, ".", O_RDONLY)) >= 0 ? 0 : -1); close(r);
  show("getdents path", syscall(217, fd, b, sizeof b));
  show("fchdir path", fchdir(fd));
  char cwd[512]; getcwd(cwd, sizeof cwd); printf("cwd ends %s\n", strrchr(cwd, '/'));
  chdir("..");
  close(fd);
  // O_TMPFILE (hostfs cannot make unnamed host files yet: tmpfs only)
  fd = shm ? open(".", O_TMPFILE | O_RDWR, 0600) : -1;
  show("tmpfile", fd >= 0 ? 0 : -1);
  if (fd >= 0) {
    write(fd, "tmp", 3); fstat(fd, &st); printf("tmpfile nlink %ld size %lld mode %o\n", (long)st.st_nlink, (long long)st.st_size, st.st_mode);
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    show("linkat tmpfile", linkat(AT_FDCWD, p, AT_FDCWD, "linked", AT_SYMLINK_FOLLOW));
    fstat(fd, &st); printf("tmpfile nlink %ld\n", (long)st.st_nlink);
    close(fd);
  }
  fd = shm ? open(".", O_TMPFILE | O_RDWR | O_EXCL, 0600) : -1;
  if (fd >= 0) {
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    show("linkat excl tmpfile", linkat(AT_FDCWD, p, AT_FDCWD, "linked2", AT_SYMLINK_FOLLOW));
    close(fd);
  }
  show("tmpfile rdonly", open(".", O_TMPFILE | O_RDONLY, 0600));
  show("tmpfile creat", open(".", O_TMPFILE | O_RDWR | O_CREAT, 0600));
  show("tmpfile on file", open("f", O_TMPFILE | O_RDWR, 0600));
  fd = open("f", O_RDONLY | O_DIRECT); show("direct", fd >= 0 ? 0 : -1); close(fd);
  umask(027);
  fd = creat("c", 0777); fstat(fd, &st); printf("creat mode %o\n", st.st_mode & 07777); close(fd);
  mkdir("m", 0777); stat("m", &st); printf("mkdir mode %o\n", st.st_mode & 07777);
  umask(0);
  fd = creat("c2", 07777); fstat(fd, &st); printf("creat 7777 mode %o\n", st.st_mode & 07777); close(fd);
  mkdir("m2", 07777); stat("m2", &st); printf("mkdir 7777 mode %o\n", st.st_mode & 07777);
  umask(022);
  // FIFOs
  show("mkfifo", mkfifo("fifo", 0644));
  show("fifo wronly nonblock", open("fifo", O_WRONLY | O_NONBLOCK));
  fd = open("fifo", O_RDONLY | O_NONBLOCK); show("fifo rdonly nonblock", fd >= 0 ? 0 : -1);
  r = open("fifo", O_WRONLY | O_NONBLOCK); show("fifo wronly with reader", r >= 0 ? 0 : -1);
  show("fifo read empty", read(fd, b, 4));
  write(r, "xy", 2); show("fifo read", read(fd, b, 4));
  close(r); show("fifo read eof", read(fd, b, 4)); close(fd);
  fd = open("fifo", O_RDWR); show("fifo rdwr", fd >= 0 ? 0 : -1);
  flags("fifo flags", fd);
  show("fifo lseek", lseek(open("fifo", O_RDWR), 0, SEEK_SET));
  show("mknod fifo exists", mkfifo("fifo", 0644));
  leave_scratch();
}

int main(void) {
  umask(022);
  run(NULL);
  run("/dev/shm/pbash-open-XXXXXX");
  return 0;
}
