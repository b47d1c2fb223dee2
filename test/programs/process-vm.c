// Between processes and threads: process_vm_readv/writev (partial transfers at an unmapped page, EFAULT,
// EPERM as nobody), kcmp (files, memory, fd tables, fs, handlers; ordering), sendmmsg/recvmmsg on a
// datagram socketpair (MSG_WAITFORONE, MSG_DONTWAIT, the timeout written back).
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

enum { KCMP_FILE, KCMP_VM, KCMP_FILES, KCMP_FS, KCMP_SIGHAND, KCMP_IO, KCMP_SYSVSEM };
static long kcmp(pid_t a, pid_t b, int type, long i1, long i2) { return syscall(SYS_kcmp, a, b, type, i1, i2); }

static char message[64] = "the child's own words";

static void process_vm(void) {
  long page = sysconf(_SC_PAGESIZE);
  char *two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memset(two, 'x', 2 * page);
  int ready[2], done[2];
  pipe(ready);
  pipe(done);
  pid_t pid = fork();
  if (pid == 0) {
    strcpy(message, "changed in the child");
    munmap(two + page, page);
    write(ready[1], "r", 1);
    char c;
    read(done[0], &c, 1);
    _exit(strcmp(message, "written by the parent") == 0 ? 0 : 1);
  }
  char c, buf[300] = {0};
  read(ready[0], &c, 1);
  struct iovec local = {buf, sizeof message}, remote = {message, sizeof message};
  show("process_vm_readv", process_vm_readv(pid, &local, 1, &remote, 1, 0));
  printf("read: %s\n", buf);
  // the remote range runs into the page the child unmapped: the bytes before it
  struct iovec tail = {two + page - 100, 200};
  local.iov_len = 200;
  show("readv across an unmapped page", process_vm_readv(pid, &local, 1, &tail, 1, 0));
  struct iovec split[2] = {{buf, 10}, {buf + 100, 20}};
  show("readv into two local buffers", process_vm_readv(pid, split, 2, &remote, 1, 0));
  printf("pieces: %.10s|%.10s\n", buf, buf + 100);
  struct iovec bad = {(void *)8, 16};
  show("readv from an unmapped remote address", process_vm_readv(pid, &local, 1, &bad, 1, 0));
  show("readv into an unmapped local address", process_vm_readv(pid, &bad, 1, &remote, 1, 0));
  show("readv flags 1", process_vm_readv(pid, &local, 1, &remote, 1, 1));
  show("readv pid 0", process_vm_readv(0, &local, 1, &remote, 1, 0));
  struct iovec none = {buf, 0};
  show("readv of nothing from pid 0", process_vm_readv(0, &none, 1, &remote, 1, 0));
  strcpy(buf, "written by the parent");
  local.iov_len = strlen(buf) + 1;
  show("process_vm_writev", process_vm_writev(pid, &local, 1, &remote, 1, 0));
  write(done[1], "d", 1);
  int st;
  waitpid(pid, &st, 0);
  printf("the child saw the write: %d\n", WEXITSTATUS(st) == 0);
  // nobody may not read root's memory
  pid = fork();
  if (pid == 0) {
    if (setgid(65534) || setuid(65534)) _exit(9);
    char b[8];
    struct iovec l = {b, 8}, r = {message, 8};
    _exit(process_vm_readv(getppid(), &l, 1, &r, 1, 0) < 0 && errno == EPERM ? 0 : 1);
  }
  waitpid(pid, &st, 0);
  printf("nobody reading root's memory: EPERM %d\n", WEXITSTATUS(st) == 0);
}

static void *thread_kcmp(void *p) {
  pid_t me = getpid(), tid = gettid();
  int *out = p;
  out[0] = kcmp(me, tid, KCMP_VM, 0, 0);
  out[1] = kcmp(me, tid, KCMP_FILES, 0, 0);
  out[2] = kcmp(me, tid, KCMP_FS, 0, 0);
  out[3] = kcmp(me, tid, KCMP_SIGHAND, 0, 0);
  return p;
}

static void kcmps(void) {
  pid_t me = getpid();
  int a = open("/", O_RDONLY), b = dup(a), c = open("/", O_RDONLY);
  show("kcmp FILE, the same fd", kcmp(me, me, KCMP_FILE, a, a));
  show("kcmp FILE, a dup", kcmp(me, me, KCMP_FILE, a, b));
  long ac = kcmp(me, me, KCMP_FILE, a, c), ca = kcmp(me, me, KCMP_FILE, c, a);
  printf("kcmp FILE, two opens: ordered %d, antisymmetric %d\n", ac == 1 || ac == 2, ac + ca == 3);
  show("kcmp FILE, a closed fd", kcmp(me, me, KCMP_FILE, a, 99));
  show("kcmp SYSVSEM", kcmp(me, me, KCMP_SYSVSEM, 0, 0));
  show("kcmp type 99", kcmp(me, me, 99, 0, 0));
  show("kcmp pid 0", kcmp(0, me, KCMP_VM, 0, 0));
  int go[2];
  pipe(go);
  pid_t child = fork();
  if (child == 0) { char x; read(go[0], &x, 1); _exit(0); }
  long vm = kcmp(me, child, KCMP_VM, 0, 0), files = kcmp(me, child, KCMP_FILES, 0, 0);
  printf("after fork: VM differs %d, FILES differ %d, inherited fd is the same file %ld\n", vm == 1 || vm == 2,
    files == 1 || files == 2, kcmp(me, child, KCMP_FILE, a, a));
  write(go[1], "x", 1);
  waitpid(child, NULL, 0);
  int shared[4];
  pthread_t th;
  pthread_create(&th, NULL, thread_kcmp, shared);
  pthread_join(th, NULL);
  printf("a thread shares VM %d FILES %d FS %d SIGHAND %d\n", shared[0], shared[1], shared[2], shared[3]);
}

static void mmsg(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  char *words[] = {"one", "three", "eleven"};
  struct iovec iov[3];
  struct mmsghdr out[3] = {0};
  for (int i = 0; i < 3; i++) {
    iov[i] = (struct iovec){words[i], strlen(words[i])};
    out[i].msg_hdr.msg_iov = &iov[i];
    out[i].msg_hdr.msg_iovlen = 1;
  }
  show("sendmmsg 3", sendmmsg(sv[0], out, 3, 0));
  printf("msg_len: %u %u %u\n", out[0].msg_len, out[1].msg_len, out[2].msg_len);
  char bufs[5][16];
  struct iovec riov[5];
  struct mmsghdr in[5];
  for (int i = 0; i < 5; i++) {
    riov[i] = (struct iovec){bufs[i], sizeof bufs[i]};
    in[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &riov[i], .msg_iovlen = 1}};
  }
  show("recvmmsg 5, MSG_DONTWAIT", recvmmsg(sv[1], in, 5, MSG_DONTWAIT, NULL));
  printf("got: %.*s %.*s %.*s\n", (int)in[0].msg_len, bufs[0], (int)in[1].msg_len, bufs[1], (int)in[2].msg_len, bufs[2]);
  show("recvmmsg with nothing queued, MSG_DONTWAIT", recvmmsg(sv[1], in, 5, MSG_DONTWAIT, NULL));
  send(sv[0], "x", 1, 0);
  show("recvmmsg 5, MSG_WAITFORONE, one queued", recvmmsg(sv[1], in, 5, MSG_WAITFORONE, NULL));
  send(sv[0], "a", 1, 0);
  send(sv[0], "b", 1, 0);
  struct timespec to = {.tv_sec = 5};
  show("recvmmsg 2 with a timeout", recvmmsg(sv[1], in, 2, 0, &to));
  printf("timeout written back: under 5s %d\n", to.tv_sec < 5);
  to.tv_nsec = 1000000000;
  show("recvmmsg bad timeout", recvmmsg(sv[1], in, 2, 0, &to));
  show("recvmmsg vlen 0", recvmmsg(sv[1], in, 0, MSG_DONTWAIT, NULL));
  show("sendmmsg vlen 0", sendmmsg(sv[0], out, 0, 0));
  int p[2];
  pipe(p);
  show("sendmmsg on a pipe", sendmmsg(p[1], out, 1, 0));
  show("recvmmsg on a closed fd", recvmmsg(99, in, 1, 0, NULL));
  close(sv[1]);
  show("sendmmsg to a closed peer", sendmmsg(sv[0], out, 3, MSG_NOSIGNAL));
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  process_vm();
  kcmps();
  mmsg();
  return 0;
}
