#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include "report.h"
#include "scratch.h"

struct linux_dirent64 { unsigned long long d_ino; long long d_off; unsigned short d_reclen; unsigned char d_type; char d_name[]; };

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void run(const char *base) {
  struct stat st; int fd; char buf[8192];
  printf("== %s\n", base == NULL ? "root filesystem" : "tmpfs");
  if (enter_scratch(base) < 0) { show("scratch", -1); return; }
  // d_type of each type
  mkdir("types", 0755);
  close(open("types/reg", O_CREAT | O_WRONLY, 0644));
  mkdir("types/dir", 0755);
  symlink("reg", "types/lnk");
  mkfifo("types/fifo", 0644);
  int s = socket(AF_UNIX, SOCK_STREAM, 0); struct sockaddr_un a = {AF_UNIX, "types/sock"};
  show("bind", bind(s, (struct sockaddr *)&a, sizeof a)); close(s);
  DIR *d = opendir("types"); struct dirent *e; char *names[16]; int n = 0;
  while ((e = readdir(d))) { char *x = malloc(300); snprintf(x, 300, "%s type %d", e->d_name, e->d_type); names[n++] = x; }
  qsort(names, n, sizeof *names, cmp);
  for (int i = 0; i < n; i++) printf("  %s\n", names[i]);
  // telldir/seekdir/rewinddir
  rewinddir(d);
  readdir(d); readdir(d); long pos = telldir(d); e = readdir(d); char third[300]; strcpy(third, e->d_name);
  readdir(d); seekdir(d, pos); e = readdir(d); printf("seekdir back same entry %d\n", strcmp(third, e->d_name) == 0);
  rewinddir(d); int cnt = 0; while (readdir(d)) cnt++; printf("after rewind %d entries\n", cnt);
  closedir(d);
  // a big directory, unlinking while reading
  mkdir("big", 0755);
  char p[64];
  for (int i = 0; i < 3000; i++) { snprintf(p, sizeof p, "big/file-%04d", i); close(open(p, O_CREAT | O_WRONLY, 0644)); }
  static unsigned char seen[3000], gone[3000];
  memset(seen, 0, sizeof seen); memset(gone, 0, sizeof gone);
  fd = open("big", O_RDONLY | O_DIRECTORY);
  int dups = 0, stale = 0, batches = 0;
  for (;;) {
    long r = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (r <= 0) { if (r < 0) show("getdents64", r); break; }
    batches++;
    for (long off = 0; off < r;) {
      struct linux_dirent64 *de = (void *)(buf + off);
      off += de->d_reclen;
      int k;
      if (sscanf(de->d_name, "file-%d", &k) != 1) continue;
      if (seen[k]++) dups++;
      if (gone[k] && batches > 1) stale++; // removed before this batch was read
      snprintf(p, sizeof p, "big/file-%04d", k); unlink(p); gone[k] = 1;
      int ahead = (k + 1500) % 3000; // one far away, in whatever order the directory lists
      if (k % 2 == 0 && !gone[ahead]) { snprintf(p, sizeof p, "big/file-%04d", ahead); unlink(p); gone[ahead] = 1; }
    }
  }
  close(fd);
  int missing = 0;
  for (int i = 0; i < 3000; i++) { snprintf(p, sizeof p, "big/file-%04d", i); if (!seen[i] && lstat(p, &st) == 0) missing++; }
  printf("big: dups %d, unseen but still present %d, several batches %d\n", dups, missing, batches > 1);
  if (base) printf("big: entries returned after their removal %d\n", stale);
  show("rmdir big (all unlinked?)", rmdir("big"));
  // getdents64 edge cases
  fd = open("types", O_RDONLY | O_DIRECTORY);
  show("getdents64 tiny buffer", syscall(SYS_getdents64, fd, buf, 10));
  show("getdents64 exact-ish", syscall(SYS_getdents64, fd, buf, 24) > 0 ? 1 : -1);
  show("getdents64 bad buffer", syscall(SYS_getdents64, fd, (void *)8, 4096));
  close(fd);
  fd = open("types/reg", O_RDONLY);
  show("getdents64 on file", syscall(SYS_getdents64, fd, buf, sizeof buf)); close(fd);
  show("getdents64 bad fd", syscall(SYS_getdents64, 999, buf, sizeof buf));
  fd = open("types", O_RDONLY | O_DIRECTORY);
  show("read on dir", read(fd, buf, 10));
  show("write on dir fd", write(fd, buf, 1));
  show("lseek dir set 0", lseek(fd, 0, SEEK_SET));
  show("lseek dir negative", lseek(fd, -1, SEEK_SET));
  show("fsync dir", fsync(fd));
  show("fdatasync dir", fdatasync(fd));
  show("syncfs", syncfs(fd));
  close(fd);
  // a new file in a directory being read appears once at most
  mkdir("grow", 0755);
  for (int i = 0; i < 10; i++) { snprintf(p, sizeof p, "grow/g%d", i); close(open(p, O_CREAT | O_WRONLY, 0644)); }
  d = opendir("grow"); cnt = 0;
  while ((e = readdir(d))) { if (cnt++ == 3) close(open("grow/new", O_CREAT | O_WRONLY, 0644)); }
  printf("grow read %s\n", cnt >= 12 && cnt <= 13 ? "12 or 13" : "other");
  closedir(d);
  // mkdir modes
  umask(0);
  mkdir("m1", 07777); stat("m1", &st); printf("mkdir 07777 umask 0: %o\n", st.st_mode & 07777);
  umask(077);
  mkdir("m2", 0777); stat("m2", &st); printf("mkdir 0777 umask 077: %o\n", st.st_mode & 07777);
  umask(022);
  mkdir("sg", 0755); chown("sg", 0, 4); chmod("sg", 02755);
  mkdir("sg/sub", 0700); stat("sg/sub", &st); printf("sub of setgid dir: %o gid %d\n", st.st_mode & 07777, st.st_gid);
  close(open("sg/file", O_CREAT | O_WRONLY, 02755)); stat("sg/file", &st); printf("file in setgid dir: %o gid %d\n", st.st_mode & 07777, st.st_gid);
  mknod("sg/fifo", S_IFIFO | 0644, 0); stat("sg/fifo", &st); printf("fifo in setgid dir: %o gid %d\n", st.st_mode & 07777, st.st_gid);
  symlink("x", "sg/lnk"); lstat("sg/lnk", &st); printf("symlink in setgid dir: gid %d\n", st.st_gid);
  chmod("m1", 01777); mkdir("m1/x", 0755); stat("m1/x", &st); printf("sub of sticky dir: %o\n", st.st_mode & 07777);
  // dir nlink
  mkdir("nl", 0755); mkdir("nl/a", 0755); mkdir("nl/b", 0755); close(open("nl/f", O_CREAT | O_WRONLY, 0644));
  stat("nl", &st); printf("nlink of dir with 2 subdirs: %ld\n", (long)st.st_nlink);
  rename("nl/a", "nl/b/a"); stat("nl", &st); printf("after moving one down: %ld\n", (long)st.st_nlink);
  stat("nl/b", &st); printf("b: %ld\n", (long)st.st_nlink);
  // rmdir of the cwd
  mkdir("gone", 0755); mkdir("gone2", 0755);
  int keep = open("gone2", O_RDONLY | O_DIRECTORY);
  chdir("gone");
  show("rmdir cwd by ../gone", rmdir("../gone"));
  char cwd[4096];
  show("getcwd", getcwd(cwd, sizeof cwd) ? 0 : -1);
  // hostfs finds a directory by its path: the stat of a removed one fails there (tmpfs only)
  if (base) { show("stat .", stat(".", &st)); printf("  nlink %ld\n", (long)st.st_nlink); }
  show("open . ", (fd = open(".", O_RDONLY | O_DIRECTORY)) >= 0 ? 0 : -1);
  if (fd >= 0) { show("getdents64 of removed dir", syscall(SYS_getdents64, fd, buf, sizeof buf)); close(fd); }
  show("create in removed cwd", open("x", O_CREAT | O_WRONLY, 0644));
  show("mkdir in removed cwd", mkdir("x", 0755));
  show("stat ..", stat("..", &st));
  show("open ../types", (fd = open("../types", O_RDONLY)) >= 0 ? 0 : -1); close(fd);
  ssize_t l = readlink("/proc/self/cwd", cwd, sizeof cwd - 1);
  if (l > 0) { cwd[l] = 0; printf("proc cwd ends with deleted: %d\n", l > 10 && strcmp(cwd + l - 10, " (deleted)") == 0); }
  chdir("..");
  rmdir("gone2");
  if (base) {
    show("fchdir to removed", fchdir(keep));
    show("getcwd removed via fchdir", getcwd(cwd, sizeof cwd) ? 0 : -1);
  }
  show("openat removed dir fd", openat(keep, "y", O_CREAT | O_WRONLY, 0644));
  chdir(scratch_path); close(keep);
  show("getcwd small", getcwd(cwd, 2) ? 0 : -1);
  show("getcwd size 0 buf", syscall(SYS_getcwd, cwd, 0));
  leave_scratch();
}

int main(void) {
  umask(022);
  run(NULL);
  run("/dev/shm/pbash-dirs-XXXXXX");
  return 0;
}
