// inotify(7) for a scripted sequence of operations in a scratch directory: creates, opens, reads, writes
// (consecutive identical events merged), attribute changes, truncation, renames with matching cookies,
// links, unlinks of open and closed files (IN_DELETE_SELF, IN_IGNORED), rmdir, IN_ONESHOT, IN_EXCL_UNLINK,
// IN_MASK_ADD/IN_MASK_CREATE, IN_ONLYDIR/IN_DONT_FOLLOW, rm_watch, FIONREAD, poll, short reads, a blocking
// read woken by another process, and IN_Q_OVERFLOW. Watches are printed by label, never by raw wd.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOW(label, call) do { errno = 0; long r_ = (call); printf("%s: %s\n", label, r_ < 0 ? strerror(errno) : "ok"); fflush(stdout); } while (0)

static const char *labels[64];
static int wds[64], nlabels;
static unsigned last_cookie;

static int watch(int fd, const char *label, const char *path, unsigned mask) {
  int wd = inotify_add_watch(fd, path, mask);
  if (wd < 0) { printf("watch %s: %s\n", label, strerror(errno)); return wd; }
  for (int i = 0; i < nlabels; i++) if (wds[i] == wd) { printf("watch %s: same wd as %s\n", label, labels[i]); return wd; }
  wds[nlabels] = wd;
  labels[nlabels++] = label;
  return wd;
}

static const char *label_of(int wd) {
  if (wd == -1) return "-1";
  for (int i = 0; i < nlabels; i++) if (wds[i] == wd) return labels[i];
  return "?";
}

static void print_mask(unsigned m) {
  static const struct { unsigned bit; const char *name; } names[] = {
    {IN_ACCESS, "ACCESS"}, {IN_MODIFY, "MODIFY"}, {IN_ATTRIB, "ATTRIB"}, {IN_CLOSE_WRITE, "CLOSE_WRITE"},
    {IN_CLOSE_NOWRITE, "CLOSE_NOWRITE"}, {IN_OPEN, "OPEN"}, {IN_MOVED_FROM, "MOVED_FROM"}, {IN_MOVED_TO, "MOVED_TO"},
    {IN_CREATE, "CREATE"}, {IN_DELETE, "DELETE"}, {IN_DELETE_SELF, "DELETE_SELF"}, {IN_MOVE_SELF, "MOVE_SELF"},
    {IN_UNMOUNT, "UNMOUNT"}, {IN_Q_OVERFLOW, "Q_OVERFLOW"}, {IN_IGNORED, "IGNORED"}, {IN_ISDIR, "ISDIR"},
  };
  const char *sep = "";
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (m & names[i].bit) { printf("%s%s", sep, names[i].name); sep = "|"; m &= ~names[i].bit; }
  }
  if (m) printf("%s%#x", sep, m);
}

/** Read and print everything queued (the fd must be non-blocking). */
static void drain(const char *step, int fd) {
  char buf[4096] __attribute__((aligned(8)));
  int avail = -1;
  ioctl(fd, FIONREAD, &avail);
  printf("-- %s (FIONREAD %d)\n", step, avail);
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) { if (errno != EAGAIN) printf("read: %s\n", strerror(errno)); break; }
    for (char *p = buf; p < buf + n;) {
      struct inotify_event *e = (struct inotify_event *)p;
      printf("  %s ", label_of(e->wd));
      print_mask(e->mask);
      if (e->len) printf(" name=%s len=%u", e->name, e->len);
      if (e->cookie) printf(" cookie=%s", e->cookie == last_cookie ? "same" : "new");
      if (e->cookie) last_cookie = e->cookie;
      printf("\n");
      p += sizeof *e + e->len;
    }
  }
  fflush(stdout);
}

static void rmtree(const char *path) {
  DIR *d = opendir(path);
  if (!d) { unlink(path); return; }
  struct dirent *de;
  char sub[512];
  while ((de = readdir(d))) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
    rmtree(sub);
  }
  closedir(d);
  rmdir(path);
}

static void put(const char *path, const char *s) { int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644); write(f, s, strlen(s)); close(f); }

int main(void) {
  rmtree("ino.d");
  mkdir("ino.d", 0755);
  int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  printf("cloexec %d nonblock %d\n", (fcntl(in, F_GETFD) & FD_CLOEXEC) != 0, (fcntl(in, F_GETFL) & O_NONBLOCK) != 0);
  SHOW("init1 bad flags", inotify_init1(1));
  watch(in, "dir", "ino.d", IN_ALL_EVENTS);
  watch(in, "dir-again", "ino.d", IN_ALL_EVENTS);
  SHOW("MASK_CREATE existing", inotify_add_watch(in, "ino.d", IN_ALL_EVENTS | IN_MASK_CREATE));
  SHOW("MASK_ADD|MASK_CREATE", inotify_add_watch(in, "ino.d", IN_ALL_EVENTS | IN_MASK_ADD | IN_MASK_CREATE));
  SHOW("mask 0", inotify_add_watch(in, "ino.d", 0));
  SHOW("unknown bit", inotify_add_watch(in, "ino.d", IN_ALL_EVENTS | 0x8000000));
  SHOW("missing path", inotify_add_watch(in, "ino.d/none", IN_ALL_EVENTS));
  SHOW("bad fd", inotify_add_watch(99, "ino.d", IN_ALL_EVENTS));
  SHOW("not inotify", inotify_add_watch(1, "ino.d", IN_ALL_EVENTS));
  SHOW("rm bad wd", inotify_rm_watch(in, 12345));
  struct pollfd pf = {in, POLLIN, 0};
  printf("poll empty %d\n", poll(&pf, 1, 0));
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7}, got;
  epoll_ctl(ep, EPOLL_CTL_ADD, in, &ev);
  printf("epoll empty %d\n", epoll_wait(ep, &got, 1, 0));
  drain("nothing yet", in);

  int f = open("ino.d/a", O_WRONLY | O_CREAT, 0644);
  write(f, "1", 1); write(f, "2", 1); write(f, "3", 1);
  close(f);
  int pr = poll(&pf, 1, 0);
  printf("poll %d revents %#x\n", pr, pf.revents);
  pr = epoll_wait(ep, &got, 1, 0);
  printf("epoll %d events %#x data %u\n", pr, got.events, got.data.u32);
  close(ep);
  drain("create, three writes, close", in);

  char b[16];
  f = open("ino.d/a", O_RDONLY);
  read(f, b, sizeof b);
  read(f, b, sizeof b);
  close(f);
  chmod("ino.d/a", 0600);
  truncate("ino.d/a", 1);
  utimensat(AT_FDCWD, "ino.d/a", NULL, 0);
  struct timespec ts[2] = {{0, UTIME_OMIT}, {5, 0}};
  utimensat(AT_FDCWD, "ino.d/a", ts, 0);
  chown("ino.d/a", -1, -1);
  chown("ino.d/a", 0, -1);
  f = open("ino.d/a", O_WRONLY | O_TRUNC);
  close(f);
  drain("read, chmod, truncate, utimes, chown, O_TRUNC", in);

  mkdir("ino.d/sub", 0755);
  watch(in, "sub", "ino.d/sub", IN_ALL_EVENTS);
  f = open("ino.d/sub", O_RDONLY | O_DIRECTORY);
  getdents64(f, b, sizeof b);
  close(f);
  rename("ino.d/a", "ino.d/sub/b");
  watch(in, "b", "ino.d/sub/b", IN_ALL_EVENTS);
  put("ino.d/sub/b", "x");
  rename("ino.d/sub/b", "ino.d/c");
  link("ino.d/c", "ino.d/d");
  unlink("ino.d/d");
  drain("mkdir, readdir, renames, link, unlink of one link", in);

  f = open("ino.d/c", O_RDONLY);
  unlink("ino.d/c");
  drain("unlink while open", in);
  close(f);
  drain("last close", in);
  rmdir("ino.d/sub");
  drain("rmdir", in);

  put("ino.d/e", "e");
  drain("put e", in);
  watch(in, "e-oneshot", "ino.d/e", IN_ATTRIB | IN_ONESHOT);
  watch(in, "e-mask-add", "ino.d/e", IN_MODIFY | IN_MASK_ADD);
  chmod("ino.d/e", 0600);
  chmod("ino.d/e", 0644);
  drain("oneshot", in);

  put("ino.d/r1", "1");
  put("ino.d/r2", "2");
  drain("files to rename over", in);
  watch(in, "r2", "ino.d/r2", IN_ALL_EVENTS);
  rename("ino.d/r1", "ino.d/r2");
  drain("rename over a watched file", in);

  mkdir("ino.d/x", 0755);
  watch(in, "x-excl", "ino.d/x", IN_ALL_EVENTS | IN_EXCL_UNLINK);
  f = open("ino.d/x/f", O_WRONLY | O_CREAT, 0644);
  unlink("ino.d/x/f");
  write(f, "gone", 4);
  close(f);
  drain("IN_EXCL_UNLINK", in);

  symlink("x", "ino.d/lnk");
  put("ino.d/plain", "p");
  drain("symlink", in);
  watch(in, "lnk-nofollow", "ino.d/lnk", IN_ATTRIB | IN_DONT_FOLLOW);
  watch(in, "lnk-follow", "ino.d/lnk", IN_ATTRIB | IN_ONLYDIR);
  SHOW("ONLYDIR on a file", inotify_add_watch(in, "ino.d/plain", IN_ATTRIB | IN_ONLYDIR));
  chmod("ino.d/x", 0700);
  drain("chmod through the link", in);

  inotify_rm_watch(in, wds[0]);
  put("ino.d/after", "z");
  drain("rm_watch", in);

  // short reads: a buffer too small for the first event, then one event at a time
  watch(in, "dir2", "ino.d", IN_CREATE);
  put("ino.d/n1", "");
  put("ino.d/n2", "");
  char small[8];
  SHOW("read too small", read(in, small, sizeof small));
  char one[sizeof(struct inotify_event) + 16];
  printf("one event: %zd\n", read(in, one, sizeof one));
  drain("rest", in);

  // a blocking read woken by another process
  int blk = inotify_init();
  inotify_add_watch(blk, "ino.d", IN_CREATE);
  pid_t pid = fork();
  if (pid == 0) { usleep(100000); put("ino.d/late", ""); _exit(0); }
  char buf[256];
  ssize_t n = read(blk, buf, sizeof buf);
  struct inotify_event *e = (struct inotify_event *)buf;
  printf("blocking read %zd: %s\n", n, n > 0 ? e->name : "-");
  waitpid(pid, NULL, 0);
  close(blk);

  // overflow: alternate writes to two files (nothing merges) past max_queued_events
  int ov = inotify_init1(IN_NONBLOCK);
  inotify_add_watch(ov, "ino.d", IN_MODIFY);
  int f1 = open("ino.d/o1", O_WRONLY | O_CREAT, 0644), f2 = open("ino.d/o2", O_WRONLY | O_CREAT, 0644);
  for (int i = 0; i < 8200; i++) { write(f1, "a", 1); write(f2, "b", 1); }
  close(f1);
  close(f2);
  long events = 0, overflow = 0, after = 0;
  char big[65536] __attribute__((aligned(8)));
  while ((n = read(ov, big, sizeof big)) > 0) {
    for (char *p = big; p < big + n;) {
      e = (struct inotify_event *)p;
      events++;
      if (e->mask & IN_Q_OVERFLOW) { overflow++; printf("overflow wd %d at %ld\n", e->wd, events); }
      else if (overflow) after++;
      p += sizeof *e + e->len;
    }
  }
  printf("events %ld overflow %ld after %ld\n", events, overflow, after);
  close(ov);
  close(in);
  rmtree("ino.d");
  return 0;
}
