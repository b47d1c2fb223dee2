// inotify across an xattr change and an unlink: the events real Linux queues, printed one per line as
// "<dir|file> <mask in hex> <name or ->", for test/emu/fs/notify/inotify-volfs.test.ts to compare with VolFs.
#include <fcntl.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

int main(void) {
  mkdir("d", 0755);
  close(open("d/f", O_CREAT | O_WRONLY, 0644));
  int in = inotify_init1(IN_NONBLOCK);
  int wd = inotify_add_watch(in, "d", IN_ALL_EVENTS), wf = inotify_add_watch(in, "d/f", IN_ALL_EVENTS);
  if (setxattr("d/f", "user.a", "1", 1, 0) || removexattr("d/f", "user.a") || unlink("d/f")) return 1;
  char buf[4096] __attribute__((aligned(8)));
  ssize_t n = read(in, buf, sizeof buf);
  for (char *p = buf; p < buf + n;) {
    struct inotify_event *e = (struct inotify_event *)p;
    printf("%s %#x %s\n", e->wd == wd ? "dir" : e->wd == wf ? "file" : "?", e->mask, e->len ? e->name : "-");
    p += sizeof *e + e->len;
  }
  rmdir("d");
  return 0;
}
