// seccomp(2) and prctl(PR_SET_SECCOMP): strict mode, BPF filters and their actions (ERRNO with argument
// matching, TRAP's SIGSYS, KILL_PROCESS/KILL_THREAD, LOG, TRACE and USER_NOTIF without tracer or listener),
// stacking and precedence, inheritance across fork and execve, the privilege rule (no_new_privs or
// CAP_SYS_ADMIN), install-time validation (EINVAL, EFAULT, ENOMEM), GET_ACTION_AVAIL, GET_NOTIF_SIZES,
// PR_GET_SECCOMP and /proc/self/status. Each scenario runs in its own child; its wait status is printed.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include "report.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NR offsetof(struct seccomp_data, nr)
#define ARCH offsetof(struct seccomp_data, arch)
#define ARG_LO(i) offsetof(struct seccomp_data, args[i])
#define ARG_HI(i) (offsetof(struct seccomp_data, args[i]) + 4)
#define LOAD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, off)
#define RET(v) BPF_STMT(BPF_RET | BPF_K, v)
#define ALLOW RET(SECCOMP_RET_ALLOW)
/** If nr == n fall through to the next instruction, else return ALLOW. */
#define ONLY(n) LOAD(NR), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, n, 1, 0), ALLOW

static const char *self;

static long install(struct sock_filter *f, unsigned short n, unsigned flags) {
  struct sock_fprog p = { n, f };
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &p);
}

/** A filter returning `action` for syscall nr, ALLOW for the others. */
static long deny(int nr, uint32_t action) {
  struct sock_filter f[] = { ONLY(nr), RET(action) };
  return install(f, LEN(f), 0);
}

static void child(const char *title, void (*fn)(void)) {
  printf("== %s\n", title);
  fflush(stdout);
  pid_t p = fork();
  if (p == 0) { fn(); fflush(stdout); _exit(0); }
  int st;
  waitpid(p, &st, 0);
  if (WIFSIGNALED(st)) printf("child killed by signal %d%s\n", WTERMSIG(st), WCOREDUMP(st) ? " (core)" : "");
  else if (WEXITSTATUS(st)) printf("child exit %d\n", WEXITSTATUS(st));
}

static void say(const char *s) { syscall(SYS_write, 1, s, strlen(s)); }

static void strict_write_then_getpid(void) {
  show("PR_GET_SECCOMP", prctl(PR_GET_SECCOMP));
  fflush(stdout);
  show("PR_SET_SECCOMP(strict)", prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT));
  fflush(stdout);
  say("strict: write works\n");
  syscall(SYS_getpid);
  say("strict: still alive\n");
}

static void strict_exit(void) {
  show("seccomp(STRICT, flags 1)", syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 1, NULL));
  show("seccomp(STRICT)", syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL));
  fflush(stdout);
  char c;
  say(syscall(SYS_read, -1, &c, 1) < 0 ? "strict: read(-1) fails, alive\n" : "strict: read?\n");
  syscall(SYS_exit, 7); // exit_group, what _exit uses, is not allowed
}

static void strict_prctl(void) {
  prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT);
  prctl(PR_GET_SECCOMP);
  say("strict: PR_GET_SECCOMP returned\n");
}

/** Deny openat for write-only opens (args[2] & O_ACCMODE == O_WRONLY), and getpid(arg) for the 64-bit arg 0x100000005. */
static void errno_args(void) {
  struct sock_filter f[] = {
    LOAD(NR),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 4),
    LOAD(ARG_LO(2)),
    BPF_STMT(BPF_ALU | BPF_AND | BPF_K, O_ACCMODE),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, O_WRONLY, 0, 1),
    RET(SECCOMP_RET_ERRNO | EPERM),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpid, 0, 4),
    LOAD(ARG_HI(0)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 2),
    LOAD(ARG_LO(0)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 1, 0),
    ALLOW,
    RET(SECCOMP_RET_ERRNO | E2BIG),
  };
  show("PR_SET_NO_NEW_PRIVS", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
  show("install", install(f, LEN(f), 0));
  show("PR_GET_SECCOMP", prctl(PR_GET_SECCOMP));
  int fd = open("/dev/null", O_RDONLY);
  show("open(O_RDONLY) ok", fd < 0 ? -1 : 0);
  show("open(O_WRONLY)", open("/dev/null", O_WRONLY));
  show("open(O_RDWR) ok", open("/dev/null", O_RDWR) < 0 ? -1 : 0);
  show("getpid(0x100000005)", syscall(SYS_getpid, 0x100000005L) < 0 ? -1 : 0);
  show("getpid(5) ok", syscall(SYS_getpid, 5L) < 0 ? -1 : 0);
  show("getpid(0x200000005) ok", syscall(SYS_getpid, 0x200000005L) < 0 ? -1 : 0);
}

/** ERRNO's data is capped at MAX_ERRNO; ERRNO 0 is a success that did nothing. */
static void errno_data(void) {
  show("deny(getppid, ERRNO|0xffff)", deny(SYS_getppid, SECCOMP_RET_ERRNO | 0xffff));
  long r = syscall(SYS_getppid);
  printf("getppid: %ld errno %d\n", r, errno);
  show("deny(dup, ERRNO|0)", deny(SYS_dup, SECCOMP_RET_ERRNO | 0));
  show("dup(1)", syscall(SYS_dup, 1));
  show("fcntl(3, F_GETFD)", fcntl(3, F_GETFD));
}

static void on_sigsys(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  printf("SIGSYS: signo %d code %d errno %d syscall %d arch %#x call_addr==rip %d rax %lld\n", si->si_signo, si->si_code,
    si->si_errno, si->si_syscall, si->si_arch, (long long)(uintptr_t)si->si_call_addr == uc->uc_mcontext.gregs[REG_RIP],
    uc->uc_mcontext.gregs[REG_RAX]);
  (void)sig;
}

static void catch_sigsys(void) {
  struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
  sigaction(SIGSYS, &sa, NULL);
}

/** TRAP: the handler sees the syscall's number and data; the call does not run and returns its own number. */
static void trap(void) {
  catch_sigsys();
  show("deny(dup, TRAP|42)", deny(SYS_dup, SECCOMP_RET_TRAP | 42));
  show("dup(1) after the handler", syscall(SYS_dup, 1));
  show("fcntl(3, F_GETFD)", fcntl(3, F_GETFD));
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGSYS);
  sigprocmask(SIG_BLOCK, &s, NULL);
  printf("dup(1) with SIGSYS blocked\n");
  fflush(stdout);
  syscall(SYS_dup, 1);
  printf("still alive\n");
}

static void kill_process(void) { deny(SYS_getppid, SECCOMP_RET_KILL_PROCESS); catch_sigsys(); getppid(); printf("alive\n"); }
static void kill_thread(void) { deny(SYS_getppid, SECCOMP_RET_KILL_THREAD); getppid(); printf("alive\n"); }
static void unknown_action(void) { deny(SYS_getppid, 0x00010000); getppid(); printf("alive\n"); }

/** Division by a zero X ends a filter with 0: KILL_THREAD. Also the ALU and LEN results, returned as errno data. */
static void alu(void) {
  struct sock_filter f[] = {
    ONLY(SYS_getppid),
    LOAD(ARG_LO(0)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 99, 0, 3),
    BPF_STMT(BPF_LDX | BPF_IMM, 0),
    BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
    RET(SECCOMP_RET_ERRNO | 1),
    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 3), BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 5), BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 1),
    BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 2), BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 1), BPF_STMT(BPF_ALU | BPF_XOR | BPF_K, 0x55),
    BPF_STMT(BPF_ST, 3), BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
    BPF_STMT(BPF_LDX | BPF_MEM, 3), BPF_STMT(BPF_ALU | BPF_OR | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_NEG, 0),
    BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xfff), BPF_STMT(BPF_MISC | BPF_TAX, 0), BPF_STMT(BPF_LD | BPF_IMM, 33),
    BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 3), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
    BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xfff), BPF_JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 0),
    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x800, 0, 1), BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x7ff),
    BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO), BPF_STMT(BPF_RET | BPF_A, 0),
  };
  show("install", install(f, LEN(f), 0));
  for (long a = 0; a < 4; a++) {
    long r = syscall(SYS_getppid, a);
    printf("getppid(%ld): %d errno %d\n", a, r < 0 ? -1 : 0, r < 0 ? errno : 0);
  }
  fflush(stdout);
  syscall(SYS_getppid, 99);
  printf("alive\n");
}

/** The newest filter's data wins among equal actions; the most restrictive action wins over all. */
static void stacking(void) {
  catch_sigsys();
  struct sock_filter f1[] = { ONLY(SYS_getpid), LOAD(ARG_LO(0)), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 9, 0, 1),
    RET(SECCOMP_RET_KILL_PROCESS), RET(SECCOMP_RET_ERRNO | 11) };
  struct sock_filter f3[] = { ONLY(SYS_getpid), LOAD(ARG_LO(0)), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 7, 0, 1),
    RET(SECCOMP_RET_TRAP | 3), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 8, 0, 1), RET(SECCOMP_RET_LOG), ALLOW };
  show("install f1", install(f1, LEN(f1), 0));
  show("getpid(0) f1", syscall(SYS_getpid, 0));
  show("install f2", deny(SYS_getpid, SECCOMP_RET_ERRNO | 22));
  show("getpid(0) f1+f2", syscall(SYS_getpid, 0));
  show("install f3", install(f3, LEN(f3), SECCOMP_FILTER_FLAG_LOG));
  show("getpid(0) f1+f2+f3", syscall(SYS_getpid, 0));
  show("getpid(7) trap", syscall(SYS_getpid, 7));
  show("getpid(8) log loses to errno", syscall(SYS_getpid, 8));
  show("deny(getuid, TRACE)", deny(SYS_getuid, SECCOMP_RET_TRACE | 5));
  show("getuid: no tracer", syscall(SYS_getuid));
  show("deny(getgid, USER_NOTIF)", deny(SYS_getgid, SECCOMP_RET_USER_NOTIF));
  show("getgid: no listener", syscall(SYS_getgid));
  show("deny(geteuid, LOG)", deny(SYS_geteuid, SECCOMP_RET_LOG));
  show("geteuid: logged and run", syscall(SYS_geteuid));
  show("deny(x32 getpid, ERRNO 7)", deny(0x40000000 | SYS_getpid, SECCOMP_RET_ERRNO | 7));
  show("x32 getpid", syscall(0x40000000 | SYS_getpid));
  show("deny(1000, ERRNO 9)", deny(1000, SECCOMP_RET_ERRNO | 9));
  show("syscall 1000", syscall(1000));
  struct sock_filter a[] = { ONLY(SYS_getsid), LOAD(ARCH), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 1),
    RET(SECCOMP_RET_ERRNO | 10), ALLOW };
  show("deny(getsid on x86_64, ERRNO 10)", install(a, LEN(a), 0));
  show("getsid(0)", syscall(SYS_getsid, 0));
  show("PR_GET_SECCOMP", prctl(PR_GET_SECCOMP));
  fflush(stdout);
  syscall(SYS_getpid, 9);
  printf("alive\n");
}

static void status_lines(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  while (f && fgets(line, sizeof line, f)) if (!strncmp(line, "Seccomp", 7) || !strncmp(line, "NoNewPrivs", 10)) fputs(line, stdout);
  if (f) fclose(f);
}

/** Filters outlive fork and execve: the child and the new image see the same denial. */
static void inherit(void) {
  show("PR_SET_NO_NEW_PRIVS", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
  show("deny(getppid, EPERM)", deny(SYS_getppid, SECCOMP_RET_ERRNO | EPERM));
  show("deny(getpgrp, ENOTTY)", deny(SYS_getpgrp, SECCOMP_RET_ERRNO | ENOTTY));
  status_lines();
  fflush(stdout);
  pid_t p = fork();
  if (p == 0) {
    show("forked getppid", syscall(SYS_getppid));
    fflush(stdout);
    execl(self, self, "after-exec", (char *)NULL);
    _exit(1);
  }
  waitpid(p, NULL, 0);
}

static void after_exec(void) {
  show("exec'd getppid", syscall(SYS_getppid));
  show("exec'd getpgrp", syscall(SYS_getpgrp));
  show("exec'd PR_GET_SECCOMP", prctl(PR_GET_SECCOMP));
  status_lines();
}

/** Without no_new_privs, only CAP_SYS_ADMIN may install a filter. */
static void privilege(void) {
  show("root without no_new_privs", deny(SYS_getppid, SECCOMP_RET_ERRNO | 1));
  show("setuid(65534)", setuid(65534));
  show("nobody without no_new_privs", deny(SYS_getppid, SECCOMP_RET_ERRNO | 1));
  show("PR_SET_NO_NEW_PRIVS", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
  show("nobody with no_new_privs", deny(SYS_getppid, SECCOMP_RET_ERRNO | 1));
  status_lines();
}

static void invalid(void) {
  struct sock_filter ok[] = { ALLOW };
  struct sock_filter badjump[] = { LOAD(NR), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1), ALLOW };
  struct sock_filter badja[] = { BPF_STMT(BPF_JMP | BPF_JA, 1), ALLOW };
  struct sock_filter far[] = { LOAD(64), ALLOW };
  struct sock_filter odd[] = { LOAD(2), ALLOW };
  struct sock_filter noret[] = { ALLOW, LOAD(NR) };
  struct sock_filter mod[] = { BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 3), ALLOW };
  struct sock_filter byte[] = { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), ALLOW };
  struct sock_filter ind[] = { BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0), ALLOW };
  struct sock_filter div0[] = { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), ALLOW };
  struct sock_filter shift[] = { BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32), ALLOW };
  struct sock_filter mem[] = { BPF_STMT(BPF_LD | BPF_MEM, 2), ALLOW };
  struct sock_filter mem16[] = { BPF_STMT(BPF_ST, 16), ALLOW };
  struct sock_filter onepath[] = { LOAD(NR), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1), BPF_STMT(BPF_ST, 0),
    BPF_STMT(BPF_LD | BPF_MEM, 0), ALLOW };
  struct sock_filter stored[] = { BPF_STMT(BPF_ST, 5), BPF_STMT(BPF_LDX | BPF_MEM, 5), ALLOW };
  struct sock_filter badcode[] = { { 0x1234, 0, 0, 0 }, ALLOW };
  struct sock_filter retx[] = { { BPF_RET | BPF_X, 0, 0, 0 } };
  static struct sock_filter big[4097];
  for (int i = 0; i < 4097; i++) big[i] = (struct sock_filter)ALLOW;
  show("PR_SET_NO_NEW_PRIVS", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
  show("empty", install(ok, 0, 0));
  show("4097 instructions", install(big, 4097, 0));
  show("jump past the end", install(badjump, LEN(badjump), 0));
  show("JA past the end", install(badja, LEN(badja), 0));
  show("load at 64", install(far, LEN(far), 0));
  show("load at 2", install(odd, LEN(odd), 0));
  show("last is not RET", install(noret, LEN(noret), 0));
  show("BPF_MOD", install(mod, LEN(mod), 0));
  show("byte load", install(byte, LEN(byte), 0));
  show("indirect load", install(ind, LEN(ind), 0));
  show("divide by 0", install(div0, LEN(div0), 0));
  show("shift by 32", install(shift, LEN(shift), 0));
  show("M[2] never stored", install(mem, LEN(mem), 0));
  show("M[16]", install(mem16, LEN(mem16), 0));
  show("M[0] stored on one path", install(onepath, LEN(onepath), 0));
  show("opcode 0x1234", install(badcode, LEN(badcode), 0));
  show("RET X", install(retx, LEN(retx), 0));
  struct sock_fprog nullf = { 1, NULL }, badf = { 1, (void *)8 };
  show("NULL filter", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &nullf));
  show("bad filter pointer", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &badf));
  show("NULL fprog", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, NULL));
  show("bad fprog", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (void *)8));
  show("unknown flag", install(ok, 1, 1 << 6));
  show("WAIT_KILLABLE_RECV alone", install(ok, 1, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV));
  show("TSYNC|NEW_LISTENER", install(ok, 1, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_NEW_LISTENER));
  show("op 99", syscall(SYS_seccomp, 99, 0, NULL));
  show("PR_SET_SECCOMP(3)", prctl(PR_SET_SECCOMP, 3, 0));
  show("scratch stored first", install(stored, LEN(stored), 0));
  show("PR_SET_SECCOMP(filter)", prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &(struct sock_fprog){ 1, ok }));
  show("SPEC_ALLOW|LOG", install(ok, 1, SECCOMP_FILTER_FLAG_SPEC_ALLOW | SECCOMP_FILTER_FLAG_LOG));
  show("strict after filter", syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL));
  // the instructions of all filters, 4 more each, stay within 32768: the eighth 4096-long one is too many
  big[0] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 4094);
  for (int i = 0; i < 8; i++) printf("4096-instruction filter %d: %ld\n", i, install(big, 4096, 0) < 0 ? -(long)errno : 0L);
  status_lines();
}

/**
 * The instructions of all filters, counted as Linux's eBPF conversion of them plus 4 per filter, stay within
 * 32768: seven fillers (4100 each), a filter with one of each kind of jump and a DIV X (25), then a last one
 * of n loads (n + 5) fits exactly at n = 4006.
 */
static void path_limit(void) {
  static struct sock_filter fill[4096];
  for (int i = 0; i < 4095; i++) fill[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_IMM, i);
  fill[4095] = (struct sock_filter)ALLOW;
  show("PR_SET_NO_NEW_PRIVS", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
  for (int i = 0; i < 7; i++) if (install(fill, 4096, 0) < 0) show("filler", -1);
  struct sock_filter mix[] = {
    LOAD(NR),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1),
    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 4, 0, 1),
    BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0x80000000, 1, 0),
    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_X, 0, 1, 1),
    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 5, 0, 1),
    BPF_STMT(BPF_LDX | BPF_IMM, 7),
    BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
    BPF_STMT(BPF_ST, 0),
    BPF_STMT(BPF_LD | BPF_MEM, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 12345, 0, 1),
    BPF_STMT(BPF_RET | BPF_A, 0),
    ALLOW,
  };
  show("mixed filter", install(mix, LEN(mix), 0));
  fill[4006] = (struct sock_filter)ALLOW;
  fill[4007] = (struct sock_filter)ALLOW;
  show("last filter, 4007 loads", install(fill, 4008, 0));
  show("last filter, 4006 loads", install(fill, 4007, 0));
  show("one more, 1 instruction", install(fill + 4006, 1, 0));
}

static void avail(void) {
  static const uint32_t actions[] = { SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP, SECCOMP_RET_ERRNO,
    SECCOMP_RET_USER_NOTIF, SECCOMP_RET_TRACE, SECCOMP_RET_LOG, SECCOMP_RET_ALLOW, 0x00010000, SECCOMP_RET_ERRNO | 5 };
  for (size_t i = 0; i < LEN(actions); i++) {
    char what[64];
    snprintf(what, sizeof what, "GET_ACTION_AVAIL(%#x)", actions[i]);
    show(what, syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &actions[i]));
  }
  show("GET_ACTION_AVAIL(NULL)", syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, NULL));
  show("GET_ACTION_AVAIL flags 1", syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 1, &actions[0]));
  struct seccomp_notif_sizes sz;
  show("GET_NOTIF_SIZES", syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz));
  printf("sizes: notif %u resp %u data %u\n", sz.seccomp_notif, sz.seccomp_notif_resp, sz.seccomp_data);
  show("GET_NOTIF_SIZES(NULL)", syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, NULL));
  show("PR_GET_SECCOMP", prctl(PR_GET_SECCOMP));
  status_lines();
}

static int gate[2];
static pid_t tid_of[2];

static void *own_filter(void *arg) {
  show("thread: deny(getppid, EPERM)", deny(SYS_getppid, SECCOMP_RET_ERRNO | EPERM));
  show("thread: getppid", syscall(SYS_getppid) < 0 ? -1 : 0);
  tid_of[(long)arg] = syscall(SYS_gettid);
  char c;
  if (arg) read(gate[0], &c, 1); // stays, its filter diverged from the main thread's, until TSYNC was tried
  return NULL;
}

static void *waiter(void *arg) {
  char c;
  read(gate[0], &c, 1);
  show("waiter: getpgrp after TSYNC", syscall(SYS_getpgrp));
  (void)arg;
  return NULL;
}

static void *killed(void *arg) {
  syscall(SYS_getsid, 0);
  printf("killed thread: alive\n");
  (void)arg;
  return NULL;
}

/** Filters are per thread; TSYNC gives the caller's chain to all, or names a thread that cannot take it. */
static void threads(void) {
  pthread_t t;
  show("PR_SET_NO_NEW_PRIVS", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
  pthread_create(&t, NULL, own_filter, (void *)0);
  pthread_join(t, NULL);
  show("main: getppid ok", syscall(SYS_getppid) < 0 ? -1 : 0);
  pipe(gate);
  pthread_create(&t, NULL, waiter, NULL);
  show("TSYNC deny(getpgrp, ENOTTY)", install((struct sock_filter[]){ ONLY(SYS_getpgrp), RET(SECCOMP_RET_ERRNO | ENOTTY) }, 4,
    SECCOMP_FILTER_FLAG_TSYNC));
  write(gate[1], "x", 1);
  pthread_join(t, NULL);
  pthread_t d;
  tid_of[1] = 0;
  pthread_create(&d, NULL, own_filter, (void *)1);
  while (!__atomic_load_n(&tid_of[1], __ATOMIC_SEQ_CST)) sched_yield();
  long r = install((struct sock_filter[]){ ALLOW }, 1, SECCOMP_FILTER_FLAG_TSYNC);
  printf("TSYNC with a diverged thread returns its tid: %d\n", r == tid_of[1]);
  show("TSYNC|TSYNC_ESRCH", install((struct sock_filter[]){ ALLOW }, 1, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH));
  write(gate[1], "x", 1);
  pthread_join(d, NULL);
  show("deny(getsid, KILL_THREAD)", deny(SYS_getsid, SECCOMP_RET_KILL_THREAD));
  pthread_create(&t, NULL, killed, NULL);
  pthread_join(t, NULL);
  printf("main: the other thread is gone, main lives\n");
  show("deny(getsid, KILL_PROCESS)", deny(SYS_getsid, SECCOMP_RET_KILL_PROCESS));
  fflush(stdout);
  pthread_create(&t, NULL, killed, NULL);
  pthread_join(t, NULL);
  printf("main: alive\n");
}

int main(int argc, char **argv) {
  self = argv[0];
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);
  if (argc > 1 && !strcmp(argv[1], "after-exec")) { after_exec(); return 0; }
  if (argc > 2 && !strcmp(argv[1], "exec-under-filter")) { // pbash only: argv[2], a host program, may not escape the filter
    struct sock_filter allow[] = { ALLOW };
    show("install", install(allow, 1, 0));
    fflush(stdout);
    execv(argv[2], argv + 2);
    show("execv", -1);
    return 0;
  }
  // natively the program runs chrooted in a mount namespace of its own: give it the /proc pbash has
  if (access("/proc/self/status", R_OK) < 0 && mount("proc", "/proc", "proc", 0, NULL) < 0) perror("mount /proc");
  struct rlimit nocore = { 0, 0 }; // the kill statuses show no core bit whatever the host's core settings
  setrlimit(RLIMIT_CORE, &nocore);
  child("strict: write, then getpid", strict_write_then_getpid);
  child("strict: read and exit", strict_exit);
  child("strict: prctl is not allowed", strict_prctl);
  child("ERRNO by argument", errno_args);
  child("ERRNO data", errno_data);
  child("TRAP", trap);
  child("KILL_PROCESS", kill_process);
  child("KILL_THREAD", kill_thread);
  child("unknown action", unknown_action);
  child("ALU, scratch memory, division by zero", alu);
  child("stacking", stacking);
  child("inherit", inherit);
  child("privilege", privilege);
  child("invalid programs", invalid);
  child("the per-path instruction limit", path_limit);
  child("available actions", avail);
  child("threads and TSYNC", threads);
  return 0;
}
