/* /proc/locks as this program's own locks show there: flock (shared, exclusive), POSIX ranges and an OFD lock,
 * one line each with the right kind, mode, owner pid (-1 for OFD), inode and range. Other lines (locks of
 * other processes on the machine) are left out, and pids and inode numbers are checked, not printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void show(const char *label, const struct stat *files, int n) {
  char line[256];
  FILE *f = fopen("/proc/locks", "r");
  printf("-- %s\n", label);
  while (fgets(line, sizeof line, f)) {
    int id; char kind[16], adv[16], mode[16], devino[64], start[32], end[32]; int pid;
    if (sscanf(line, "%d: %15s %15s %15s %d %63s %31s %31s", &id, kind, adv, mode, &pid, devino, start, end) != 8) continue;
    unsigned maj, min; unsigned long ino;
    if (sscanf(devino, "%x:%x:%lu", &maj, &min, &ino) != 3) continue;
    for (int i = 0; i < n; i++) {
      if (files[i].st_ino != ino || makedev(maj, min) != files[i].st_dev) continue;
      printf("file%d %s %s %s pid=%s %s %s\n", i, kind, adv, mode, pid == getpid() ? "self" : pid == -1 ? "-1" : "other", start, end);
    }
  }
  fclose(f);
}

int main(void) {
  struct stat st[3];
  int fd[3];
  for (int i = 0; i < 3; i++) {
    char name[16];
    snprintf(name, sizeof name, "lockfile%d", i);
    fd[i] = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    fstat(fd[i], &st[i]);
  }
  show("none", st, 3);
  flock(fd[0], LOCK_SH);
  show("flock shared", st, 3);
  flock(fd[0], LOCK_EX);
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 20 };
  fcntl(fd[1], F_SETLK, &fl);
  fl.l_type = F_RDLCK; fl.l_start = 100; fl.l_len = 0;
  fcntl(fd[1], F_SETLK, &fl);
  struct flock ofd = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 5, .l_pid = 0 };
  fcntl(fd[2], F_OFD_SETLK, &ofd);
  show("flock exclusive, two POSIX ranges, one OFD", st, 3);
  /* the upgraded lock still excludes another open file description of the same file */
  int other = open("lockfile0", O_RDWR);
  printf("other description, LOCK_SH|LOCK_NB after the upgrade: %s\n", flock(other, LOCK_SH | LOCK_NB) == 0 ? "granted" : strerror(errno));
  close(other);
  for (int i = 0; i < 3; i++) { close(fd[i]); char name[16]; snprintf(name, sizeof name, "lockfile%d", i); unlink(name); }
  show("closed", st, 3);
  return 0;
}
