#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>
#include "report.h"
#include "scratch.h"

static void times(const char *what, const char *p, int flags) {
  struct stat st;
  if (fstatat(AT_FDCWD, p, &st, flags) < 0) { show(what, -1); return; }
  printf("%s: a=%ld.%09ld m=%ld.%09ld\n", what, (long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static void run(const char *base) {
  struct stat st; int fd;
  printf("== %s\n", base == NULL ? "root filesystem" : "tmpfs");
  if (enter_scratch(base) < 0) { show("scratch", -1); return; }
  chmod(".", 0755); // the child below runs as nobody
  fd = open("f", O_CREAT | O_WRONLY, 0644); write(fd, "hello", 5); close(fd);
  symlink("f", "lf"); mkdir("d", 0755);
  struct timespec ts[2] = {{1000000000, 123456789}, {1100000000, 987654321}};
  show("utimensat", utimensat(AT_FDCWD, "f", ts, 0)); times("f", "f", 0);
  ts[0].tv_nsec = UTIME_OMIT; ts[1] = (struct timespec){1200000000, 5};
  show("utimensat omit a", utimensat(AT_FDCWD, "f", ts, 0)); times("f", "f", 0);
  ts[0] = (struct timespec){5, UTIME_OMIT}; ts[1] = (struct timespec){5, UTIME_OMIT};
  show("utimensat omit both", utimensat(AT_FDCWD, "f", ts, 0)); times("f", "f", 0);
  ts[0] = (struct timespec){0, 1000000000};
  show("utimensat bad nsec", utimensat(AT_FDCWD, "f", ts, 0));
  ts[0] = (struct timespec){0, -1};
  show("utimensat neg nsec", utimensat(AT_FDCWD, "f", ts, 0));
  ts[0] = (struct timespec){-5, 0}; ts[1] = (struct timespec){-1, 500};
  show("utimensat negative secs", utimensat(AT_FDCWD, "f", ts, 0)); times("f", "f", 0);
  ts[0] = (struct timespec){1300000000, 1}; ts[1] = (struct timespec){1300000000, 2};
  show("utimensat nofollow", utimensat(AT_FDCWD, "lf", ts, AT_SYMLINK_NOFOLLOW)); times("lf", "lf", AT_SYMLINK_NOFOLLOW); times("f", "f", 0);
  show("utimensat bad flag", utimensat(AT_FDCWD, "f", ts, 0x1));
  show("utimensat empty path", utimensat(AT_FDCWD, "", ts, 0));
  fd = open("f", O_RDONLY);
  show("utimensat fd NULL path", syscall(SYS_utimensat, fd, NULL, ts, 0)); times("f", "f", 0);
  ts[1].tv_sec = 1400000000;
  show("utimensat fd empty path", utimensat(fd, "", ts, AT_EMPTY_PATH)); times("f", "f", 0);
  ts[1].tv_sec = 1500000000;
  show("futimens", futimens(fd, ts)); times("f", "f", 0);
  close(fd);
  fd = open("f", O_PATH);
  show("futimens O_PATH", futimens(fd, ts));
  close(fd);
  show("utimensat dir", utimensat(AT_FDCWD, "d", ts, 0)); times("d", "d", 0);
  struct timeval tv[2] = {{1600000000, 123456}, {1600000001, 999999}};
  show("utimes", utimes("f", tv)); times("f", "f", 0);
  tv[0].tv_usec = 1000000;
  show("utimes bad usec", utimes("f", tv));
  show("lutimes", lutimes("lf", tv));
  // UTIME_NOW relations
  ts[0] = (struct timespec){0, UTIME_NOW}; ts[1] = (struct timespec){0, UTIME_OMIT};
  utimensat(AT_FDCWD, "f", ts, 0); stat("f", &st);
  printf("now: atime>mtime %d\n", st.st_atim.tv_sec > st.st_mtim.tv_sec);
  show("utimensat NULL times", utimensat(AT_FDCWD, "f", NULL, 0)); stat("f", &st);
  printf("null: atime==mtime %d ctime>=mtime %d\n", st.st_atim.tv_sec == st.st_mtim.tv_sec && st.st_atim.tv_nsec == st.st_mtim.tv_nsec,
    st.st_ctim.tv_sec > st.st_mtim.tv_sec || (st.st_ctim.tv_sec == st.st_mtim.tv_sec && st.st_ctim.tv_nsec >= st.st_mtim.tv_nsec));
  // chmod
  show("fchmodat nofollow", fchmodat(AT_FDCWD, "lf", 0600, AT_SYMLINK_NOFOLLOW));
  show("fchmodat nofollow file", fchmodat(AT_FDCWD, "f", 0640, AT_SYMLINK_NOFOLLOW));
  stat("f", &st); printf("mode %o\n", st.st_mode & 07777);
  show("fchmodat bad flag", syscall(SYS_fchmodat, AT_FDCWD, "f", 0600, 0x1000));
  show("chmod lf", chmod("lf", 0604)); stat("f", &st); printf("mode %o\n", st.st_mode & 07777);
  show("chmod high bits", chmod("f", 0177777)); stat("f", &st); printf("mode %o\n", st.st_mode);
  chmod("f", 0644);
  show("fchownat nofollow", fchownat(AT_FDCWD, "lf", 1, 2, AT_SYMLINK_NOFOLLOW));
  lstat("lf", &st); printf("lf owner %d %d\n", st.st_uid, st.st_gid);
  stat("f", &st); printf("f owner %d %d\n", st.st_uid, st.st_gid);
  show("chown -1 -1", chown("f", -1, -1));
  show("fchownat empty", fchownat(open("f", O_RDONLY), "", 3, 4, AT_EMPTY_PATH)); stat("f", &st); printf("f owner %d %d\n", st.st_uid, st.st_gid);
  chmod("f", 06755);
  chown("f", 5, -1); stat("f", &st); printf("after chown by root mode %o\n", st.st_mode & 07777);
  chmod("f", 02745); chown("f", -1, 7); stat("f", &st); printf("after chgrp no-gx mode %o\n", st.st_mode & 07777);
  chmod("f", 06755); chown("f", -1, -1); stat("f", &st); printf("after chown -1 -1 mode %o\n", st.st_mode & 07777);
  chmod("d", 06755); chown("d", 5, 5); stat("d", &st); printf("dir after chown mode %o\n", st.st_mode & 07777);
  chown("f", 0, 0); chmod("f", 0644);
  // truncate
  show("truncate grow", truncate("f", 10000)); stat("f", &st); printf("size %lld\n", (long long)st.st_size);
  show("truncate shrink", truncate("f", 3)); stat("f", &st); printf("size %lld\n", (long long)st.st_size);
  show("truncate neg", truncate("f", -1));
  show("truncate dir", truncate("d", 0));
  show("truncate symlink->file", truncate("lf", 2));
  show("truncate missing", truncate("nope", 0));
  show("truncate f/", truncate("f/", 0));
  fd = open("f", O_RDONLY);
  show("ftruncate rdonly", ftruncate(fd, 0)); close(fd);
  fd = open("d", O_RDONLY);
  show("ftruncate dir", ftruncate(fd, 0)); close(fd);
  int p[2]; pipe(p); show("ftruncate pipe", ftruncate(p[0], 0)); close(p[0]); close(p[1]);
  fd = open("f", O_WRONLY | O_APPEND);
  show("ftruncate append", ftruncate(fd, 1)); close(fd);
  signal(SIGXFSZ, SIG_IGN);
  struct rlimit rl = {100, RLIM_INFINITY}; setrlimit(RLIMIT_FSIZE, &rl);
  fd = open("f", O_RDWR);
  show("ftruncate beyond fsize", ftruncate(fd, 200));
  show("truncate beyond fsize", truncate("f", 200));
  show("ftruncate at fsize", ftruncate(fd, 100));
  char buf[300] = {0};
  show("pwrite crossing fsize", pwrite(fd, buf, 300, 50));
  show("pwrite at fsize", pwrite(fd, buf, 10, 100));
  show("pwrite past fsize", pwrite(fd, buf, 10, 200));
  lseek(fd, 0, SEEK_END); show("write at end", write(fd, buf, 10));
  fstat(fd, &st); printf("size %lld\n", (long long)st.st_size);
  close(fd);
  rl.rlim_cur = RLIM_INFINITY; setrlimit(RLIMIT_FSIZE, &rl);
  // access
  chmod("f", 0644);
  show("access X on 644 as root", access("f", X_OK));
  chmod("f", 0744); show("access X on 744", access("f", X_OK));
  chmod("f", 0); show("access RW on 000", access("f", R_OK | W_OK));
  show("access X dir 000", (chmod("d", 0), access("d", X_OK)));
  chmod("d", 0755);
  show("faccessat eaccess", faccessat(AT_FDCWD, "f", R_OK, AT_EACCESS));
  show("faccessat nofollow", faccessat(AT_FDCWD, "lf", R_OK, AT_SYMLINK_NOFOLLOW));
  show("faccessat bad flag", faccessat(AT_FDCWD, "f", R_OK, 0x1));
  show("faccessat2 empty", syscall(439, open("f", O_PATH), "", R_OK, AT_EMPTY_PATH));
  show("access bad mode", access("f", 8));
  chmod("f", 0644);
  // setuid clearing on write by non-root
  fd = open("su", O_CREAT | O_RDWR, 0666); write(fd, "x", 1); close(fd);
  chmod("su", 06777); chown("su", 65534, 65534);
  fd = open("sg", O_CREAT | O_RDWR, 0666); close(fd); chmod("sg", 02767); chown("sg", 65534, 0);
  fd = open("sgnx", O_CREAT | O_RDWR, 0666); close(fd); chmod("sgnx", 02666); chown("sgnx", 65534, 0);
  fd = open("rootsu", O_CREAT | O_RDWR, 0666); close(fd); chmod("rootsu", 06777);
  fflush(stdout); pid_t pid = fork();
  if (pid == 0) {
    setgroups(0, NULL);
    if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)) { perror("setres"); _exit(1); }
    fd = open("su", O_RDWR); show("nobody write su", write(fd, "y", 1)); fstat(fd, &st); printf("su mode %o\n", st.st_mode & 07777); close(fd);
    fd = open("sg", O_RDWR); show("nobody write sg", write(fd, "y", 1)); fstat(fd, &st); printf("sg mode %o\n", st.st_mode & 07777); close(fd);
    fd = open("sgnx", O_RDWR); show("nobody write sgnx", write(fd, "y", 1)); fstat(fd, &st); printf("sgnx mode %o\n", st.st_mode & 07777); close(fd);
    fd = open("rootsu", O_RDWR); show("nobody write rootsu", write(fd, "y", 1)); fstat(fd, &st); printf("rootsu mode %o\n", st.st_mode & 07777);
    show("nobody ftruncate rootsu", ftruncate(fd, 0)); close(fd);
    chmod("su", 06777); show("nobody truncate su", truncate("su", 0)); stat("su", &st); printf("su mode %o\n", st.st_mode & 07777);
    show("nobody chmod rootsu", chmod("rootsu", 0777));
    show("nobody chown su to self", chown("su", 65534, 65534)); stat("su", &st); printf("su mode %o\n", st.st_mode & 07777);
    chmod("su", 06777);
    show("nobody chmod su g+s with foreign group", chmod("sg", 02777)); stat("sg", &st); printf("sg mode %o\n", st.st_mode & 07777);
    show("nobody utimensat now rootsu", utimensat(AT_FDCWD, "rootsu", NULL, 0));
    struct timespec t2[2] = {{1, 0}, {1, 0}};
    show("nobody utimensat set rootsu", utimensat(AT_FDCWD, "rootsu", t2, 0));
    show("nobody utimensat set su", utimensat(AT_FDCWD, "su", t2, 0));
    show("nobody access X rootsu", access("rootsu", X_OK));
    show("nobody link rootsu", link("rootsu", "rootlink"));
    show("nobody create in d", open("d/x", O_CREAT | O_WRONLY, 0644));
    fflush(stdout);
    _exit(0);
  }
  int status; waitpid(pid, &status, 0);
  leave_scratch();
}

int main(void) {
  umask(022);
  char here[512]; getcwd(here, sizeof here);
  chmod(here, 0755);
  run(NULL);
  run("/dev/shm/pbash-attrs-XXXXXX");
  return 0;
}
