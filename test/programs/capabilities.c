// Capability sets through uid changes, capset and execve (capabilities(7)), and permission checks that
// depend on them: access(2) with the real ids versus faccessat(AT_EACCESS), DAC override, chown, kill; the
// parent-death signal that a change of privilege clears (commit_creds).
// Each scenario runs in its own child. CAP_SYS_RESOURCE is dropped first from every set: the test host's
// bounding set lacks it, so both sides start alike.
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "report.h"
#include "scratch.h"

static const char *self;

static void get(uint64_t s[3]) {
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2];
  if (syscall(SYS_capget, &h, d) < 0) { perror("capget"); exit(1); }
  s[0] = d[0].effective | (uint64_t)d[1].effective << 32;
  s[1] = d[0].permitted | (uint64_t)d[1].permitted << 32;
  s[2] = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
}

static long set(uint64_t e, uint64_t p, uint64_t i) {
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2] = {
    { (uint32_t)e, (uint32_t)p, (uint32_t)i }, { (uint32_t)(e >> 32), (uint32_t)(p >> 32), (uint32_t)(i >> 32) } };
  return syscall(SYS_capset, &h, d);
}

static void caps(const char *what) {
  uint64_t s[3];
  get(s);
  uid_t r, e, sv;
  getresuid(&r, &e, &sv);
  printf("%-34s uid=%u/%u/%u fsuid=%d eff=%#llx prm=%#llx inh=%#llx amb(chown)=%d bset(kill)=%d\n", what, r, e, sv,
    setfsuid(-1), (unsigned long long)s[0], (unsigned long long)s[1], (unsigned long long)s[2],
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 0, 0), prctl(PR_CAPBSET_READ, CAP_KILL));
}

static void child(const char *title, void (*fn)(void)) {
  printf("== %s\n", title);
  fflush(stdout);
  pid_t p = fork();
  if (p == 0) { fn(); fflush(stdout); _exit(0); }
  int st;
  waitpid(p, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st)) printf("child status %#x\n", st);
}

static void reexec(const char *arg) {
  fflush(stdout);
  execl(self, self, arg, (char *)NULL);
  perror("execl");
  _exit(1);
}

static void drop_all_uids(void) {
  caps("root");
  show("setresuid(1000,1000,1000)", setresuid(1000, 1000, 1000));
  caps("after");
  show("setuid(0)", setuid(0));
  show("capset(eff=chown)", set(1ULL << CAP_CHOWN, 0, 0));
  show("capset(all zero)", set(0, 0, 0));
  show("PR_CAPBSET_DROP(kill)", prctl(PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0));
}

static void keep_caps(void) {
  show("PR_SET_KEEPCAPS", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
  show("setresuid(1000,1000,1000)", setresuid(1000, 1000, 1000));
  caps("kept");
  uint64_t s[3];
  get(s);
  show("capset(eff=prm)", set(s[1], s[1], 0));
  show("setresgid(1000,1000,1000)", setresgid(1000, 1000, 1000));
  show("setgroups(0)", setgroups(0, NULL));
  caps("reactivated");
  show("capset(prm grows)", set(0, s[1] | (1ULL << 63), 0));
  show("capset(eff outside prm)", set(1ULL << CAP_KILL, 1ULL << CAP_CHOWN, 0));
  show("capset(prm=chown)", set(1ULL << CAP_CHOWN, 1ULL << CAP_CHOWN, 0));
  caps("narrowed");
  show("chown(f, 2000)", chown("f", 2000, 2000));
  show("open(secret)", open("secret", O_RDONLY));
  reexec("after-exec");
}

static void euid_toggle(void) {
  show("seteuid(1000)", seteuid(1000));
  caps("euid 1000");
  show("open(secret)", open("secret", O_RDONLY));
  show("access(secret, R_OK)", access("secret", R_OK));
  show("faccessat(secret, AT_EACCESS)", faccessat(AT_FDCWD, "secret", R_OK, AT_EACCESS));
  show("seteuid(0)", seteuid(0));
  caps("euid 0 again");
  show("setresuid(1000,0,0)", setresuid(1000, 0, 0));
  show("access(secret, R_OK)", access("secret", R_OK));
  show("faccessat(secret, AT_EACCESS)", faccessat(AT_FDCWD, "secret", R_OK, AT_EACCESS));
  show("access(script, X_OK)", access("script", X_OK));
  reexec("after-exec");
}

static void fsuid_toggle(void) {
  setfsuid(1000);
  caps("fsuid 1000");
  show("open(secret)", open("secret", O_RDONLY));
  show("kill(1, 0)", kill(1, 0));
  setfsuid(0);
  caps("fsuid 0");
  show("open(secret)", open("secret", O_RDONLY));
}

static void ambient(void) {
  uint64_t s[3];
  get(s);
  show("ambient raise (not inheritable)", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0));
  show("capset(inh=chown|kill)", set(s[0], s[1], (1ULL << CAP_CHOWN) | (1ULL << CAP_KILL)));
  show("ambient raise chown", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0));
  show("PR_SET_KEEPCAPS", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
  show("setresuid(1000,1000,1000)", setresuid(1000, 1000, 1000));
  caps("leaving uid 0 clears ambient");
  show("ambient raise chown again", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0));
  show("ambient raise setuid (not inheritable)", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SETUID, 0, 0));
  caps("non-root with ambient");
  reexec("after-exec");
}

static void bounding(void) {
  show("PR_CAPBSET_DROP(kill)", prctl(PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0));
  show("capset(inh=kill)", set(0, 0, 1ULL << CAP_KILL));
  reexec("after-exec");
}

static int pdeath(void) {
  int sig = -1;
  prctl(PR_GET_PDEATHSIG, &sig);
  return sig;
}

static void pdeath_signal(void) {
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  setresuid(0, 0, 0);
  printf("after setresuid to the same ids: %d\n", pdeath());
  setfsuid(1000);
  printf("after setfsuid(1000): %d\n", pdeath());
  setfsuid(0);
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  setresuid(1000, 0, 0);
  printf("after a real-uid-only change: %d\n", pdeath());
  setresuid(-1, 1000, -1);
  printf("after seteuid(1000): %d\n", pdeath());
}

static void after_exec(void) {
  caps("after exec");
  show("chown(f, 3000)", chown("f", 3000, 3000));
  show("open(secret)", open("secret", O_RDONLY));
  show("kill(1, 0)", kill(1, 0));
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  self = argv[0];
  if (argc > 1) { after_exec(); return 0; }
  uint64_t s[3];
  get(s);
  const uint64_t res = 1ULL << CAP_SYS_RESOURCE;
  if (set(s[0] & ~res, s[1] & ~res, s[2] & ~res) < 0 || prctl(PR_CAPBSET_DROP, CAP_SYS_RESOURCE, 0, 0, 0) < 0) { perror("drop"); return 1; }
  if (enter_scratch("/tmp/pbash-caps-XXXXXX") < 0) { perror("scratch"); return 1; }
  FILE *f = fopen("secret", "w");
  fputs("s\n", f);
  fclose(f);
  chmod("secret", 0600);
  close(open("f", O_CREAT | O_WRONLY, 0644));
  close(open("script", O_CREAT | O_WRONLY, 0644));
  chmod(".", 0777);
  child("leaving uid 0 drops everything", drop_all_uids);
  child("PR_SET_KEEPCAPS keeps the permitted set", keep_caps);
  child("euid toggles the effective set; access(2) asks the real ids", euid_toggle);
  child("fsuid toggles the filesystem capabilities", fsuid_toggle);
  child("ambient capabilities survive execve as non-root", ambient);
  child("the bounding set limits what execve grants", bounding);
  child("a privilege change clears the parent-death signal", pdeath_signal);
  leave_scratch();
  return 0;
}
