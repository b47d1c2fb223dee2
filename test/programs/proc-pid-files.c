// /proc/PID files a process reads about itself and its children: io counters after known reads and writes
// (deltas, less the snapshot's own read), auxv against getauxval, mem of a child (read, write, a read-only page,
// EIO, lseek, EACCES for another user), syscall of a blocked and a running child, loginuid/sessionid,
// timerslack_ns, coredump_filter, wchan, stack, attr/. Prints relations and errno names, never raw addresses.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

struct io { unsigned long long rchar, wchar, syscr, syscw; size_t len; };

static struct io io_now(void) {
  struct io v = { 0 };
  char buf[512];
  int fd = open("/proc/self/io", O_RDONLY);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n > 0 ? n : 0] = 0;
  v.len = n;
  sscanf(buf, "rchar: %llu\nwchar: %llu\nsyscr: %llu\nsyscw: %llu", &v.rchar, &v.wchar, &v.syscr, &v.syscw);
  return v;
}

static void io_deltas(void) {
  char buf[200];
  int fd = open("/proc/self/exe", O_RDONLY), null = open("/dev/null", O_WRONLY), p[2];
  pipe2(p, O_NONBLOCK);
  struct io a = io_now();
  read(fd, buf, 100);
  pread(fd, buf, 30, 1000);
  struct iovec iov[2] = { { buf, 10 }, { buf + 10, 15 } };
  readv(fd, iov, 2);
  read(p[0], buf, 1); // EAGAIN: a call all the same
  write(null, buf, 50);
  writev(null, iov, 2);
  pwrite(null, buf, 7, 0);
  read(-1, buf, 1); // EBADF: never reaches a file
  struct io b = io_now();
  printf("io: rchar +%llu syscr +%llu wchar +%llu syscw +%llu\n", b.rchar - a.rchar - a.len, b.syscr - a.syscr - 1,
         b.wchar - a.wchar, b.syscw - a.syscw);
  int fd2 = open("/proc/self/io", O_RDONLY);
  char text[512];
  ssize_t n = read(fd2, text, sizeof text - 1);
  text[n] = 0;
  close(fd2);
  char *rb = strstr(text, "read_bytes:");
  printf("io: fields after syscw: %s", rb ? "read_bytes write_bytes cancelled_write_bytes\n" : "missing\n");
  close(fd); close(null); close(p[0]); close(p[1]);
}

static void auxv(void) {
  unsigned long v[2 * 64];
  int fd = open("/proc/self/auxv", O_RDONLY);
  ssize_t n = read(fd, v, sizeof v);
  close(fd);
  printf("auxv: whole pairs %d, ends with AT_NULL %d\n", n % 16 == 0, n >= 16 && v[n / 8 - 2] == 0);
  unsigned long keys[] = { AT_PAGESZ, AT_UID, AT_EUID, AT_GID, AT_EGID, AT_ENTRY, AT_PHDR, AT_PHNUM, AT_RANDOM, AT_EXECFN, AT_SECURE };
  for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
    int found = 0;
    for (ssize_t i = 0; i + 1 < n / 8; i += 2) if (v[i] == keys[k]) found = v[i + 1] == getauxval(keys[k]) ? 1 : 2;
    printf("auxv %lu: %s\n", keys[k], found == 1 ? "same as getauxval" : found ? "differs" : "absent");
  }
}

static char secret[64] = "the child's secret";
static const char constant[64] = "read-only text";

static void mem(void) {
  int go[2], done[2];
  pipe(go); pipe(done);
  pid_t c = fork();
  if (c == 0) {
    char x;
    read(go[0], &x, 1);
    printf("child: secret now [%s], constant now [%s]\n", secret, constant);
    fflush(stdout);
    write(done[1], "x", 1);
    pause();
    _exit(0);
  }
  char path[64], buf[64] = "";
  snprintf(path, sizeof path, "/proc/%d/mem", c);
  int fd = open(path, O_RDWR);
  show("mem: open O_RDWR", fd >= 0 ? 0 : -1);
  show("mem: lseek to secret", lseek(fd, (off_t)secret, SEEK_SET) == (off_t)secret ? 0 : -1);
  show("mem: read", read(fd, buf, 18));
  printf("mem: read [%s]\n", buf);
  show("mem: pwrite secret", pwrite(fd, "overwritten by the parent", 26, (off_t)secret));
  show("mem: pwrite read-only constant", pwrite(fd, "patched", 8, (off_t)constant));
  show("mem: pread unmapped", pread(fd, buf, 8, 4096));
  show("mem: lseek SEEK_END", lseek(fd, 0, SEEK_END));
  show("mem: read 0 bytes", read(fd, buf, 0));
  write(go[1], "x", 1);
  char x;
  read(done[0], &x, 1);
  pid_t g = fork();
  if (g == 0) {
    chdir("/proc"); // relative paths: the root directory of the test may be searchable by its owner only
    setresgid(65534, 65534, 65534);
    setresuid(65534, 65534, 65534);
    snprintf(path, sizeof path, "%d/mem", c);
    show("mem: open as nobody", open(path, O_RDONLY));
    snprintf(path, sizeof path, "%d/stack", c);
    show("stack: open as nobody", open(path, O_RDONLY));
    snprintf(path, sizeof path, "%d/timerslack_ns", c);
    int t = open(path, O_RDONLY);
    show("timerslack_ns: open another's as nobody", t >= 0 ? 0 : -1);
    show("timerslack_ns: read another's as nobody", read(t, buf, sizeof buf));
    _exit(0);
  }
  waitpid(g, NULL, 0);
  snprintf(path, sizeof path, "/proc/%d/stack", c);
  int st = open(path, O_RDONLY);
  show("stack: open as root", st >= 0 ? 0 : -1);
  close(st);
  snprintf(path, sizeof path, "/proc/%d/syscall", c);
  FILE *f = fopen(path, "r");
  unsigned long nr = 99;
  if (f && fscanf(f, "%lu", &nr) == 1) printf("syscall of a child in pause: nr %lu\n", nr);
  if (f) fclose(f);
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
  close(fd);
}

static void syscalls(void) {
  int p[2];
  pipe(p);
  pid_t c = fork();
  if (c == 0) { char x; read(p[0], &x, 1); _exit(0); }
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/syscall", c);
  for (int i = 0; i < 500; i++) { // wait until the child is in read(2)
    FILE *f = fopen(path, "r");
    fgets(line, sizeof line, f);
    fclose(f);
    if (strncmp(line, "0 ", 2) == 0) break;
    usleep(10000);
  }
  unsigned long nr, fd, buf, count, a3, a4, a5, sp, pc;
  int k = sscanf(line, "%lu %lx %lx %lx %lx %lx %lx %lx %lx", &nr, &fd, &buf, &count, &a3, &a4, &a5, &sp, &pc);
  printf("syscall of a child in read: %d fields, nr %lu, fd %lu (pipe %d), count %lu, sp and pc non-zero %d\n", k, nr, fd,
         fd == (unsigned long)p[0], count, sp != 0 && pc != 0);
  write(p[1], "x", 1);
  waitpid(c, NULL, 0);
  c = fork();
  if (c == 0) { for (;;) {} }
  snprintf(path, sizeof path, "/proc/%d/syscall", c);
  for (int i = 0; i < 500; i++) {
    FILE *f = fopen(path, "r");
    fgets(line, sizeof line, f);
    fclose(f);
    if (strcmp(line, "running\n") == 0) break;
    usleep(10000);
  }
  printf("syscall of a spinning child: %s", line);
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
  FILE *f = fopen("/proc/self/syscall", "r");
  fgets(line, sizeof line, f);
  fclose(f);
  printf("syscall of itself: nr %lu\n", strtoul(line, NULL, 10));
}

static void readfile(const char *what, const char *path) {
  char buf[128] = "";
  int fd = open(path, O_RDONLY);
  if (fd < 0) { printf("%s: open %s\n", what, strerrorname_np(errno)); return; }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n < 0) printf("%s: read %s\n", what, strerrorname_np(errno));
  else printf("%s: [%.*s]\n", what, (int)n, buf);
  close(fd);
}

static void writefile(const char *what, const char *path, const char *text) {
  int fd = open(path, O_WRONLY);
  if (fd < 0) { printf("%s: open %s\n", what, strerrorname_np(errno)); return; }
  show(what, write(fd, text, strlen(text)));
  close(fd);
}

static void tunables(void) {
  readfile("loginuid", "/proc/self/loginuid");
  readfile("sessionid", "/proc/self/sessionid");
  writefile("loginuid: set 1000", "/proc/self/loginuid", "1000\n");
  readfile("loginuid", "/proc/self/loginuid");
  char s[32] = "";
  int fd = open("/proc/self/sessionid", O_RDONLY);
  read(fd, s, sizeof s - 1);
  close(fd);
  printf("sessionid after set: unset %d\n", strcmp(s, "4294967295") == 0);
  writefile("loginuid: junk", "/proc/self/loginuid", "12x");
  pid_t c = fork();
  if (c == 0) {
    readfile("child loginuid", "/proc/self/loginuid");
    struct { unsigned version; int pid; } head = { 0x20080522, 0 };
    struct { unsigned eff, prm, inh; } caps[2];
    syscall(SYS_capget, &head, caps);
    caps[0].eff &= ~(1u << 30); // CAP_AUDIT_CONTROL
    show("child: capset without CAP_AUDIT_CONTROL", syscall(SYS_capset, &head, caps));
    writefile("child loginuid: change without CAP_AUDIT_CONTROL", "/proc/self/loginuid", "5");
    _exit(0);
  }
  waitpid(c, NULL, 0);
  c = fork();
  if (c == 0) { pause(); _exit(0); }
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/loginuid", c);
  writefile("loginuid: another process's", path, "7");
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
  writefile("loginuid: unset", "/proc/self/loginuid", "4294967295");
  readfile("sessionid after unset", "/proc/self/sessionid");

  readfile("timerslack_ns", "/proc/self/timerslack_ns");
  writefile("timerslack_ns: set 100000", "/proc/self/timerslack_ns", "100000");
  readfile("timerslack_ns", "/proc/self/timerslack_ns");
  show("prctl(PR_GET_TIMERSLACK)", prctl(PR_GET_TIMERSLACK));
  show("prctl(PR_SET_TIMERSLACK, 12345)", prctl(PR_SET_TIMERSLACK, 12345));
  readfile("timerslack_ns", "/proc/self/timerslack_ns");
  writefile("timerslack_ns: 100000 again", "/proc/self/timerslack_ns", "100000");
  writefile("timerslack_ns: junk", "/proc/self/timerslack_ns", "-1");
  c = fork();
  if (c == 0) {
    readfile("child timerslack_ns", "/proc/self/timerslack_ns");
    writefile("child timerslack_ns: set 7", "/proc/self/timerslack_ns", "7");
    writefile("child timerslack_ns: 0 restores its default", "/proc/self/timerslack_ns", "0");
    readfile("child timerslack_ns", "/proc/self/timerslack_ns");
    _exit(0);
  }
  waitpid(c, NULL, 0);
  writefile("timerslack_ns: 0 restores the default", "/proc/self/timerslack_ns", "0");
  readfile("timerslack_ns", "/proc/self/timerslack_ns");

  readfile("coredump_filter", "/proc/self/coredump_filter");
  writefile("coredump_filter: 0x3f", "/proc/self/coredump_filter", "0x3f\n");
  readfile("coredump_filter", "/proc/self/coredump_filter");
  writefile("coredump_filter: 010 (octal)", "/proc/self/coredump_filter", "010");
  readfile("coredump_filter", "/proc/self/coredump_filter");
  writefile("coredump_filter: 0xfff", "/proc/self/coredump_filter", "0xfff");
  readfile("coredump_filter", "/proc/self/coredump_filter");
  writefile("coredump_filter: junk", "/proc/self/coredump_filter", "zz");
  c = fork();
  if (c == 0) { readfile("child coredump_filter", "/proc/self/coredump_filter"); _exit(0); }
  waitpid(c, NULL, 0);
  writefile("coredump_filter: 51", "/proc/self/coredump_filter", "51");
  readfile("coredump_filter", "/proc/self/coredump_filter");

  readfile("wchan of itself", "/proc/self/wchan");
  readfile("attr/current", "/proc/self/attr/current");
  writefile("attr/current: write", "/proc/self/attr/current", "unconfined");
  readfile("attr/exec", "/proc/self/attr/exec");
  readfile("attr/prev", "/proc/self/attr/prev");
  snprintf(path, sizeof path, "/proc/self/task/%d/attr/current", gettid());
  readfile("task attr/current", path);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  io_deltas();
  setvbuf(stdout, NULL, _IOLBF, 0);
  auxv();
  mem();
  syscalls();
  tunables();
  return 0;
}
