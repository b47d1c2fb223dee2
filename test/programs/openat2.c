// openat2(2): struct open_how sizes (EINVAL, E2BIG), its strict flag and mode checks, and the RESOLVE_*
// restrictions of the path walk (BENEATH, IN_ROOT, NO_SYMLINKS, NO_MAGICLINKS, NO_XDEV, CACHED) over a
// small tree with relative, absolute and ".." symlinks, and over /proc's mount and magic links.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "report.h"

struct how { uint64_t flags, mode, resolve; };
#define NO_XDEV 0x01
#define NO_MAGICLINKS 0x02
#define NO_SYMLINKS 0x04
#define BENEATH 0x08
#define IN_ROOT 0x10
#define CACHED 0x20

static int dfd;

/** What an openat2 opened, as the path (relative to the tree) of the same inode, or its error. */
static void try(const char *what, int dirfd, const char *path, uint64_t flags, uint64_t resolve) {
  struct how h = {.flags = flags, .resolve = resolve, .mode = (flags & O_CREAT) ? 0600 : 0};
  int fd = syscall(SYS_openat2, dirfd, path, &h, sizeof h);
  if (fd < 0) { printf("%s: -1 %s\n", what, strerrorname_np(errno)); return; }
  struct stat a, b;
  fstat(fd, &a);
  const char *names[] = {".", "f", "sub", "lnk", NULL};
  const char *same = "elsewhere";
  for (int i = 0; names[i]; i++)
    if (!fstatat(dfd, names[i], &b, AT_SYMLINK_NOFOLLOW) && a.st_ino == b.st_ino && a.st_dev == b.st_dev) same = names[i];
  printf("%s: opened %s\n", what, same);
  close(fd);
}

static long raw(const void *how, size_t size) { return syscall(SYS_openat2, dfd, "f", how, size); }

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  mkdir("oa2", 0755);
  mkdir("oa2/d", 0755);
  mkdir("oa2/d/sub", 0755);
  close(open("oa2/d/f", O_CREAT | O_WRONLY, 0644));
  close(open("oa2/outside", O_CREAT | O_WRONLY, 0644));
  symlink("f", "oa2/d/lnk");
  symlink("/", "oa2/d/abs");
  symlink("..", "oa2/d/up");
  symlink("../..", "oa2/d/sub/upup");
  symlink("/f", "oa2/d/absf");
  dfd = open("oa2/d", O_RDONLY | O_DIRECTORY);

  // struct sizes and the strict checks
  struct how h = {.flags = O_RDONLY};
  char big[4200] = {0};
  show("size 0", raw(&h, 0));
  show("size 23", raw(&h, 23));
  printf("size 24: ok %d\n", raw(&h, 24) >= 0);
  printf("size 32, zero tail: ok %d\n", raw(big, 32) >= 0);
  big[30] = 1;
  show("size 32, non-zero tail", raw(big, 32));
  show("size 4097", raw(big, 4097));
  h = (struct how){.flags = 1ULL << 40};
  show("unknown flag bit", raw(&h, sizeof h));
  h = (struct how){.resolve = 0x40};
  show("unknown resolve bit", raw(&h, sizeof h));
  h = (struct how){.mode = 0600};
  show("mode without O_CREAT", raw(&h, sizeof h));
  h = (struct how){.flags = O_CREAT, .mode = 010000};
  show("mode beyond 07777", raw(&h, sizeof h));
  h = (struct how){.flags = O_CREAT | O_DIRECTORY};
  show("O_CREAT|O_DIRECTORY", raw(&h, sizeof h));
  h = (struct how){.flags = O_PATH | O_RDWR};
  show("O_PATH|O_RDWR", raw(&h, sizeof h));
  h = (struct how){.flags = O_TMPFILE & ~O_DIRECTORY};
  show("__O_TMPFILE without O_DIRECTORY", raw(&h, sizeof h));
  h = (struct how){.resolve = BENEATH | IN_ROOT};
  show("BENEATH|IN_ROOT", raw(&h, sizeof h));
  h = (struct how){.flags = O_CREAT | O_WRONLY, .mode = 0600, .resolve = CACHED};
  show("RESOLVE_CACHED with O_CREAT", raw(&h, sizeof h));
  h = (struct how){.flags = O_WRONLY | O_TRUNC, .resolve = CACHED};
  show("RESOLVE_CACHED with O_TRUNC", raw(&h, sizeof h));
  try("RESOLVE_CACHED plain", dfd, "f", O_RDONLY, CACHED);

  // RESOLVE_BENEATH
  try("BENEATH f", dfd, "f", O_RDONLY, BENEATH);
  try("BENEATH sub/../f", dfd, "sub/../f", O_RDONLY, BENEATH);
  try("BENEATH lnk", dfd, "lnk", O_RDONLY, BENEATH);
  try("BENEATH ..", dfd, "..", O_RDONLY, BENEATH);
  try("BENEATH ../d/f", dfd, "../d/f", O_RDONLY, BENEATH);
  try("BENEATH /", dfd, "/", O_RDONLY, BENEATH);
  try("BENEATH abs", dfd, "abs", O_RDONLY, BENEATH);
  try("BENEATH up", dfd, "up", O_RDONLY, BENEATH);
  try("BENEATH sub/upup", dfd, "sub/upup", O_RDONLY, BENEATH);
  try("BENEATH create new", dfd, "new", O_CREAT | O_WRONLY, BENEATH);
  try("BENEATH create ../new", dfd, "../new", O_CREAT | O_WRONLY, BENEATH);
  // RESOLVE_IN_ROOT: the dirfd is "/" for the walk
  try("IN_ROOT /f", dfd, "/f", O_RDONLY, IN_ROOT);
  try("IN_ROOT ../../f", dfd, "../../f", O_RDONLY, IN_ROOT);
  try("IN_ROOT abs", dfd, "abs", O_RDONLY, IN_ROOT);
  try("IN_ROOT absf", dfd, "absf", O_RDONLY, IN_ROOT);
  try("IN_ROOT up", dfd, "up", O_RDONLY, IN_ROOT);
  try("IN_ROOT sub/upup", dfd, "sub/upup", O_RDONLY, IN_ROOT);
  try("without scoping: up", dfd, "up", O_RDONLY, 0);
  // RESOLVE_NO_SYMLINKS
  try("NO_SYMLINKS lnk", dfd, "lnk", O_RDONLY, NO_SYMLINKS);
  try("NO_SYMLINKS lnk with O_PATH|O_NOFOLLOW", dfd, "lnk", O_PATH | O_NOFOLLOW, NO_SYMLINKS);
  try("NO_SYMLINKS f", dfd, "f", O_RDONLY, NO_SYMLINKS);
  try("NO_SYMLINKS /proc/self/status", AT_FDCWD, "/proc/self/status", O_RDONLY, NO_SYMLINKS);
  // /proc: another mount, and magic links
  int self = open("/proc/self/status", O_RDONLY);
  printf("plain open of /proc/self/status: ok %d\n", self >= 0);
  try("NO_XDEV into /proc", AT_FDCWD, "/proc/self/status", O_RDONLY, NO_XDEV);
  try("NO_XDEV inside the tree", dfd, "sub/../f", O_RDONLY, NO_XDEV);
  int proc = open("/proc", O_RDONLY | O_DIRECTORY);
  try("NO_XDEV from /proc up to /", proc, "..", O_RDONLY, NO_XDEV);
  try("NO_MAGICLINKS /proc/self/exe", AT_FDCWD, "/proc/self/exe", O_RDONLY, NO_MAGICLINKS);
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", dfd);
  try("magic link to the tree", AT_FDCWD, path, O_RDONLY, 0);
  try("NO_MAGICLINKS to the tree", AT_FDCWD, path, O_RDONLY, NO_MAGICLINKS);
  try("NO_MAGICLINKS /proc/self/status", AT_FDCWD, "/proc/self/status", O_RDONLY, NO_MAGICLINKS);
  snprintf(path, sizeof path, "self/fd/%d", dfd);
  try("BENEATH through a magic link", proc, path, O_RDONLY, BENEATH);
  try("a closed dirfd", 99, "f", O_RDONLY, BENEATH);
  return 0;
}
