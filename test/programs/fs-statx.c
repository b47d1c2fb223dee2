#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include "report.h"
#include "scratch.h"

/** /proc counts processes, /dev/shm holds other programs' files: their link counts and sizes vary. */
static int shared(const char *p) { return p && (!strcmp(p, "/proc") || !strcmp(p, "/dev/shm")); }

static void sx(const char *what, int dirfd, const char *p, int flags, unsigned mask) {
  struct statx s; memset(&s, 0xee, sizeof s);
  int r = syscall(SYS_statx, dirfd, p, flags, mask, &s); // not glibc's statx: its path is nonnull
  if (r < 0) { show(what, r); return; }
  printf("%s: mask=%x attrmask_has_mountroot=%d mountroot=%d blksize_ok=%d nlink=%u mode=%o size=%llu rdev=%u:%u btime=%d dio=%d\n", what,
    s.stx_mask & ~(STATX_BTIME | STATX_MNT_ID | STATX_DIOALIGN | 0x4000 /* MNT_ID_UNIQUE */ | 0x8000 | 0x10000 | 0x20000),
    (s.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) != 0, (s.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0,
    s.stx_blksize > 0, shared(p) ? 0 : s.stx_nlink, s.stx_mode, shared(p) ? 0 : (unsigned long long)s.stx_size, s.stx_rdev_major, s.stx_rdev_minor,
    (s.stx_mask & STATX_BTIME) != 0, (s.stx_mask & STATX_DIOALIGN) != 0);
}

static void run(const char *base) {
  printf("== %s\n", base == NULL ? "root filesystem" : "tmpfs");
  if (enter_scratch(base) < 0) { show("scratch", -1); return; }
  int fd = open("f", O_CREAT | O_WRONLY, 0640); write(fd, "abc", 3); close(fd);
  symlink("f", "l"); mkdir("d", 0750);
  sx("basic", AT_FDCWD, "f", 0, STATX_BASIC_STATS);
  sx("type only", AT_FDCWD, "f", 0, STATX_TYPE);
  sx("zero mask", AT_FDCWD, "f", 0, 0);
  sx("symlink follow", AT_FDCWD, "l", 0, STATX_BASIC_STATS);
  sx("symlink nofollow", AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS);
  sx("dir", AT_FDCWD, "d", 0, STATX_ALL);
  sx("reserved mask bit", AT_FDCWD, "f", 0, 0x80000000);
  sx("bad flags", AT_FDCWD, "f", 0x1, STATX_BASIC_STATS);
  sx("sync type both", AT_FDCWD, "f", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS);
  sx("force sync", AT_FDCWD, "f", AT_STATX_FORCE_SYNC, STATX_BASIC_STATS);
  sx("empty path no flag", AT_FDCWD, "", 0, STATX_BASIC_STATS);
  fd = open("f", O_PATH);
  sx("empty path fd", fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS);
  sx("NULL path fd", fd, NULL, AT_EMPTY_PATH, STATX_BASIC_STATS);
  close(fd);
  sx("dev null", AT_FDCWD, "/dev/null", 0, STATX_BASIC_STATS);
  sx("mount root /proc", AT_FDCWD, "/proc", 0, STATX_BASIC_STATS);
  sx("dev shm", AT_FDCWD, "/dev/shm", 0, STATX_BASIC_STATS);
  sx("trailing slash file", AT_FDCWD, "f/", 0, STATX_BASIC_STATS);
  sx("missing", AT_FDCWD, "nope", 0, STATX_BASIC_STATS);
  show("statx NULL buf", syscall(SYS_statx, AT_FDCWD, "f", 0, STATX_BASIC_STATS, NULL));
  struct stat st;
  show("fstatat bad flag", fstatat(AT_FDCWD, "f", &st, 0x2));
  show("fstatat nofollow|empty", fstatat(AT_FDCWD, "l", &st, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH));
  printf("  islnk %d size %lld\n", S_ISLNK(st.st_mode), (long long)st.st_size);
  show("fstatat AT_NO_AUTOMOUNT", fstatat(AT_FDCWD, "f", &st, AT_NO_AUTOMOUNT));
  fd = open("d", O_RDONLY);
  show("fstat dir", fstat(fd, &st)); printf("  nlink %ld mode %o\n", (long)st.st_nlink, st.st_mode);
  close(fd);
  leave_scratch();
}

int main(void) {
  umask(022);
  run(NULL);
  run("/dev/shm/pbash-statx-XXXXXX");
  return 0;
}
