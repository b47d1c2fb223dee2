#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>
#include "report.h"
#include "scratch.h"

static void run(const char *base) {
  struct stat st; int fd; char buf[8192];
  printf("== %s\n", base ? "tmpfs" : "root filesystem");
  if (enter_scratch(base) < 0) return;
  chmod(".", 0755);
  // symlink target lengths
  memset(buf, 'x', 5000); buf[4095] = 0;
  show("symlink 4095 target", symlink(buf, "l4095"));
  buf[4095] = 'x'; buf[4096] = 0;
  show("symlink 4096 target", symlink(buf, "l4096"));
  show("readlink 4095", readlink("l4095", buf, sizeof buf));
  show("stat through long target", stat("l4095", &st));
  // O_NOATIME by non-owner, open modes as nobody
  fd = open("rootfile", O_CREAT | O_WRONLY, 0644); write(fd, "r", 1); close(fd);
  mkdir("sticky", 0777); chmod("sticky", 01777);
  fd = open("sticky/rootown", O_CREAT | O_WRONLY, 0666); close(fd);
  chmod("sticky/rootown", 0666);
  symlink("../rootfile", "sticky/rootlink");
  symlink("../rootfile", "sticky/otherlink"); lchown("sticky/otherlink", 1, 1);
  fd = open("sticky/setuid", O_CREAT | O_WRONLY, 0666); close(fd); chmod("sticky/setuid", 04666);
  fflush(stdout);
  if (fork() == 0) {
    setgroups(0, NULL); setresgid(65534, 65534, 65534); setresuid(65534, 65534, 65534);
    show("nobody O_NOATIME on root's file", open("rootfile", O_RDONLY | O_NOATIME));
    fd = open("sticky/mine0", O_CREAT | O_WRONLY | O_NOATIME, 0644); show("nobody O_NOATIME on own new file", fd >= 0 ? 0 : -1); close(fd);
    fd = open("rootfile", O_RDONLY);
    show("nobody F_SETFL O_NOATIME", fcntl(fd, F_SETFL, O_NOATIME));
    show("nobody unlink in sticky", unlink("sticky/rootown"));
    show("nobody rename in sticky", rename("sticky/rootown", "sticky/x"));
    fd = open("sticky/mine", O_CREAT | O_WRONLY, 0644); close(fd);
    show("nobody rename own in sticky", rename("sticky/mine", "sticky/mine2"));
    show("nobody rename own over root's", rename("sticky/mine2", "sticky/rootown"));
    show("nobody O_CREAT root's in sticky (protected_regular)", open("sticky/rootown", O_CREAT | O_WRONLY, 0644));
    show("nobody chmod root file", chmod("rootfile", 0777));
    show("nobody utimes root file NULL", utimensat(AT_FDCWD, "rootfile", NULL, 0));
    show("nobody access W", access("rootfile", W_OK));
    show("nobody faccessat eaccess R", faccessat(AT_FDCWD, "rootfile", R_OK, AT_EACCESS));
    show("nobody mkdir in root dir", mkdir("nd", 0755));
    show("nobody mknod fifo in sticky", mknod("sticky/ff", S_IFIFO | 0644, 0));
    show("nobody mknod chr", mknod("sticky/cc", S_IFCHR | 0644, 0x103));
    show("nobody link root file (protected_hardlinks)", link("rootfile", "sticky/hl"));
    show("nobody symlink in sticky", symlink("x", "sticky/sl"));
    show("nobody chown own file to root", chown("sticky/ff", 0, -1));
    show("nobody chgrp own file to 0", chown("sticky/ff", -1, 0));
    show("nobody truncate root file", truncate("rootfile", 0));
    show("nobody follow root's symlink in root's sticky dir", (fd = open("sticky/rootlink", O_RDONLY)) >= 0 ? 0 : -1); close(fd);
    show("nobody follow uid 1's symlink in sticky (protected_symlinks)", open("sticky/otherlink", O_RDONLY));
    show("nobody stat through uid 1's symlink", stat("sticky/otherlink", &st));
    show("nobody readlink uid 1's symlink", readlink("sticky/otherlink", buf, sizeof buf));
    show("nobody lstat root's symlink in sticky", lstat("sticky/rootlink", &st));
    show("nobody link root's setuid 0666 file", link("sticky/setuid", "sticky/hl2"));
    show("nobody link root's 0666 file", link("sticky/rootown", "sticky/hl3"));
    show("nobody open root's 0666 file in sticky without O_CREAT", (fd = open("sticky/rootown", O_WRONLY)) >= 0 ? 0 : -1); close(fd);
    fflush(stdout);
    _exit(0);
  }
  wait(NULL);
  leave_scratch();
}

int main(void) {
  umask(022);
  char here[4096]; getcwd(here, sizeof here); chmod(here, 0755);
  run(NULL);
  run("/dev/shm/pbash-misc2-XXXXXX");
  return 0;
}
