#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/fs.h>
#include "report.h"
#include "scratch.h"

static void run(const char *base) {
  struct stat st; int fd;
  printf("== %s\n", base == NULL ? "root filesystem" : "tmpfs");
  if (enter_scratch(base) < 0) { show("scratch", -1); return; }
  fd = open("f", O_CREAT | O_WRONLY, 0644); write(fd, "x", 1); close(fd);
  mkdir("d", 0755); mkdir("d/sub", 0755); mkdir("e", 0755);
  symlink("d", "ld"); symlink("f", "lf"); symlink("nowhere", "dang");
  show("stat f/", stat("f/", &st));
  show("stat f/.", stat("f/.", &st));
  show("stat d/", stat("d/", &st));
  show("lstat ld/", lstat("ld/", &st)); printf("  isdir %d\n", S_ISDIR(st.st_mode));
  show("lstat lf/", lstat("lf/", &st));
  show("open f/", open("f/", O_RDONLY));
  show("open f/ creat", open("f/", O_RDONLY | O_CREAT, 0644));
  show("open new/ creat", open("new/", O_RDONLY | O_CREAT, 0644));
  show("open new/ creat wr", open("new/", O_WRONLY | O_CREAT, 0644));
  show("mkdir n1/", mkdir("n1/", 0755));
  show("mkdir n2//", mkdir("n2//", 0755));
  show("mkdir f/", mkdir("f/", 0755));
  show("mkdir d/", mkdir("d/", 0755));
  show("mkdir dang", mkdir("dang", 0755));
  show("mkdir dang/", mkdir("dang/", 0755));
  show("mkdir .", mkdir(".", 0755));
  show("mkdir ..", mkdir("..", 0755));
  show("mkdir d/sub/..", mkdir("d/sub/..", 0755));
  show("mkdir nope/x", mkdir("nope/x", 0755));
  show("mkdir f/x", mkdir("f/x", 0755));
  show("mkdir empty", mkdir("", 0755));
  show("rmdir .", rmdir("."));
  show("rmdir d/.", rmdir("d/."));
  show("rmdir ..", rmdir(".."));
  show("rmdir d/sub/..", rmdir("d/sub/.."));
  show("rmdir f", rmdir("f"));
  show("rmdir f/", rmdir("f/"));
  show("rmdir ld", rmdir("ld"));
  show("rmdir ld/", rmdir("ld/"));
  show("rmdir d", rmdir("d"));
  show("rmdir nope", rmdir("nope"));
  show("rmdir n1/", rmdir("n1/"));
  show("unlink f/", unlink("f/"));
  show("unlink d", unlink("d"));
  show("unlink d/", unlink("d/"));
  show("unlink ld/", unlink("ld/"));
  show("unlink lf/", unlink("lf/"));
  show("unlink dang/", unlink("dang/"));
  show("unlink .", unlink("."));
  show("unlink nope", unlink("nope"));
  show("unlinkat removedir f", unlinkat(AT_FDCWD, "f", AT_REMOVEDIR));
  show("unlinkat removedir d", unlinkat(AT_FDCWD, "d", AT_REMOVEDIR));
  show("unlinkat bad flag", unlinkat(AT_FDCWD, "f", 0x1));
  show("symlink x to new/", symlink("x", "new/"));
  show("symlink x to f", symlink("x", "f"));
  show("symlink empty", symlink("", "emptylink"));
  show("symlink to dang", symlink("x", "dang"));
  show("link dir", link("d", "dlink"));
  show("link ld (symlink itself)", link("ld", "ldlink"));
  lstat("ldlink", &st); printf("  ldlink islnk %d\n", S_ISLNK(st.st_mode));
  show("linkat follow ld", linkat(AT_FDCWD, "ld", AT_FDCWD, "ldlink2", AT_SYMLINK_FOLLOW));
  show("link f/ g", link("f/", "g"));
  show("link f g/", link("f", "g/"));
  show("link f f", link("f", "f"));
  show("link nope g", link("nope", "g"));
  show("link dang g (nofollow)", link("dang", "dangl"));
  show("linkat follow dang", linkat(AT_FDCWD, "dang", AT_FDCWD, "dangl2", AT_SYMLINK_FOLLOW));
  show("linkat bad flag", linkat(AT_FDCWD, "f", AT_FDCWD, "g3", 0x100));
  fd = open("f", O_RDONLY);
  show("linkat empty path no flag", linkat(fd, "", AT_FDCWD, "g4", 0));
  show("linkat empty path", linkat(fd, "", AT_FDCWD, "g4", AT_EMPTY_PATH));
  close(fd);
  // rename
  show("rename f f", rename("f", "f"));
  show("rename f ldlink", rename("f", "ldlink") == 0 ? (rename("ldlink", "f"), 0) : -1);
  link("f", "hard");
  show("rename f hard (same inode)", rename("f", "hard"));
  stat("f", &st); printf("  f nlink %ld exists\n", (long)st.st_nlink);
  fd = open("other", O_CREAT | O_WRONLY, 0644); close(fd);
  link("other", "other2");
  show("rename f other", rename("f", "other"));
  stat("other2", &st); printf("  other2 nlink %ld\n", (long)st.st_nlink);
  stat("other", &st); printf("  other nlink %ld\n", (long)st.st_nlink);
  rename("other", "f");
  show("rename d d/sub", rename("d", "d/sub"));
  show("rename d d/sub/x", rename("d", "d/sub/x"));
  show("rename d/sub d", rename("d/sub", "d"));
  show("rename d/sub .", rename("d/sub", "."));
  show("rename . x", rename(".", "x"));
  show("rename .. x", rename("..", "x"));
  show("rename d/sub/.. x", rename("d/sub/..", "x"));
  show("rename d e (empty)", rename("d", "e"));
  show("rename e d", rename("e", "d"));
  mkdir("e", 0755);
  show("rename e d (nonempty)", rename("e", "d"));
  show("rename f d", rename("f", "d"));
  show("rename d f", rename("d", "f"));
  show("rename f f2/", rename("f", "f2/"));
  show("rename f/ f2", rename("f/", "f2"));
  show("rename e e2/", rename("e", "e2/"));
  show("rename e2/ e", rename("e2/", "e"));
  show("rename ld ld2/", rename("ld", "ld2/"));
  show("rename ld/ ld2", rename("ld/", "ld2"));
  show("rename nope x", rename("nope", "x"));
  show("rename f nope/x", rename("f", "nope/x"));
  show("renameat2 noreplace", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "hard", RENAME_NOREPLACE));
  show("renameat2 noreplace new", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "f3", RENAME_NOREPLACE));
  show("renameat2 exchange", syscall(SYS_renameat2, AT_FDCWD, "f3", AT_FDCWD, "d", RENAME_EXCHANGE));
  printf("  d isreg %d\n", stat("d", &st) == 0 && S_ISREG(st.st_mode));
  syscall(SYS_renameat2, AT_FDCWD, "f3", AT_FDCWD, "d", RENAME_EXCHANGE);
  show("renameat2 exchange missing", syscall(SYS_renameat2, AT_FDCWD, "f3", AT_FDCWD, "zz", RENAME_EXCHANGE));
  show("renameat2 both", syscall(SYS_renameat2, AT_FDCWD, "f3", AT_FDCWD, "d", RENAME_EXCHANGE | RENAME_NOREPLACE));
  show("renameat2 bad", syscall(SYS_renameat2, AT_FDCWD, "f3", AT_FDCWD, "w", 8));
  rename("f3", "f");
  // long names
  char name[300]; memset(name, 'a', 255); name[255] = 0;
  show("creat 255", fd = open(name, O_CREAT | O_WRONLY, 0644)); close(fd); unlink(name);
  name[255] = 'a'; name[256] = 0;
  show("creat 256", open(name, O_CREAT | O_WRONLY, 0644));
  show("stat 256", stat(name, &st));
  show("mkdir 256", mkdir(name, 0755));
  static char longp[5000];
  for (int i = 0; i < 4200; i += 2) { longp[i] = 'x'; longp[i + 1] = '/'; }
  longp[4095] = 0;
  show("stat 4095 path", stat(longp, &st));
  longp[4095] = 'y'; longp[4096] = 0;
  show("stat 4096 path", stat(longp, &st));
  for (int i = 0; i < 4090; i += 2) { longp[i] = '.'; longp[i + 1] = '/'; }
  strcpy(longp + 4090, "f"); show("stat ././.../f 4091", stat(longp, &st));
  // ELOOP
  symlink("loop1", "loop2"); symlink("loop2", "loop1");
  show("stat loop", stat("loop1", &st));
  show("lstat loop", lstat("loop1", &st));
  show("open creat loop", open("loop1", O_CREAT | O_WRONLY, 0644));
  char a[32], b[32];
  symlink("f", "c0");
  for (int i = 1; i <= 41; i++) { snprintf(a, 32, "c%d", i - 1); snprintf(b, 32, "c%d", i); symlink(a, b); }
  show("stat chain 40", stat("c40", &st));
  show("stat chain 41", stat("c41", &st));
  show("readlink chain", readlink("c41", a, sizeof a));
  show("readlink f", readlink("f", a, sizeof a));
  show("readlink 0 size", readlink("c1", a, 0));
  show("readlink small", readlink("c10", a, 1)); printf("  %c\n", a[0]);
  show("readlink d/", readlink("ld/", a, sizeof a));
  show("readlinkat empty", readlinkat(AT_FDCWD, "", a, sizeof a));
  fd = open("lf", O_PATH | O_NOFOLLOW);
  show("readlinkat fd empty", readlinkat(fd, "", a, sizeof a));
  show("fstatat fd empty", fstatat(fd, "", &st, AT_EMPTY_PATH)); printf("  islnk %d\n", S_ISLNK(st.st_mode));
  close(fd);
  // symlinks in middle
  show("stat ld/sub", stat("ld/sub", &st));
  show("stat lf/x", stat("lf/x", &st));
  show("stat dang/x", stat("dang/x", &st));
  show("stat d/../f", stat("d/../f", &st));
  show("stat ld/../f (physical)", stat("ld/../f", &st));
  show("stat d/sub/../../f", stat("d/sub/../../f", &st));
  show("stat /../../.", stat("/../../.", &st));
  show("access empty", access("", F_OK));
  show("chdir f", chdir("f"));
  show("chdir empty", chdir(""));
  show("stat NULL-ish", syscall(SYS_stat, (char*)1, &st));
  leave_scratch();
}

int main(void) {
  umask(022);
  run(NULL);
  run("/dev/shm/pbash-paths-XXXXXX");
  return 0;
}
