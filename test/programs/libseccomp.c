// A filter built by the distro's libseccomp (what file(1), man-db and apt's methods use), not by hand: its
// generated program (architecture check, x32 guard, 64-bit argument comparisons in two words) must run as on
// Linux. Linked against the rootfs's libseccomp.so.2; the headers are not installed, so the few entry points
// are declared here as seccomp.h documents them.
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

typedef void *scmp_filter_ctx;
struct scmp_arg_cmp { unsigned int arg; int op; uint64_t datum_a, datum_b; };
enum { SCMP_CMP_NE = 1, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ };
#define SCMP_ACT_KILL_PROCESS 0x80000000U
#define SCMP_ACT_TRAP 0x00030000U
#define SCMP_ACT_ERRNO(x) (0x00050000U | ((x) & 0x0000ffffU))
#define SCMP_ACT_ALLOW 0x7fff0000U
scmp_filter_ctx seccomp_init(uint32_t def_action);
int seccomp_rule_add(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt, ...);
int seccomp_load(scmp_filter_ctx ctx);
void seccomp_release(scmp_filter_ctx ctx);
int seccomp_syscall_resolve_name(const char *name);

static volatile int trapped = -1;
static void on_sigsys(int sig, siginfo_t *si, void *uc) { trapped = si->si_syscall; (void)sig; (void)uc; }

int main(void) {
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);
  printf("resolve(openat) = %d, resolve(lseek) = %d\n", seccomp_syscall_resolve_name("openat"), seccomp_syscall_resolve_name("lseek"));
  struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
  sigaction(SIGSYS, &sa, NULL);
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  show("rule openat O_WRONLY", seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SYS_openat, 1,
    (struct scmp_arg_cmp){ 2, SCMP_CMP_MASKED_EQ, O_ACCMODE, O_WRONLY }));
  show("rule getppid", seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOTTY), SYS_getppid, 0));
  show("rule lseek offset > 0x100000000", seccomp_rule_add(ctx, SCMP_ACT_ERRNO(E2BIG), SYS_lseek, 1,
    (struct scmp_arg_cmp){ 1, SCMP_CMP_GT, 0x100000000ULL, 0 }));
  show("rule dup", seccomp_rule_add(ctx, SCMP_ACT_TRAP, SYS_dup, 0));
  show("rule getsid", seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SYS_getsid, 0));
  show("load", seccomp_load(ctx));
  seccomp_release(ctx);
  show("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
  show("PR_GET_SECCOMP", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
  show("open(O_WRONLY)", open("/dev/null", O_WRONLY));
  int fd = open("/dev/null", O_RDONLY);
  show("open(O_RDONLY) ok", fd < 0 ? -1 : 0);
  show("getppid", syscall(SYS_getppid));
  show("lseek(fd, 0x100000001)", lseek(fd, 0x100000001LL, SEEK_SET));
  show("lseek(fd, 0x100000000)", lseek(fd, 0x100000000LL, SEEK_SET) < 0 ? -1 : 0);
  show("lseek(fd, 0x200000000)", lseek(fd, 0x200000000LL, SEEK_SET));
  show("dup(fd)", syscall(SYS_dup, fd) == SYS_dup ? 0 : -1);
  printf("trapped syscall %d\n", trapped);
  fflush(stdout);
  pid_t p = fork();
  if (p == 0) { getsid(0); _exit(0); }
  int st;
  waitpid(p, &st, 0);
  printf("getsid child: signaled %d signal %d\n", WIFSIGNALED(st), WTERMSIG(st));
  return 0;
}
