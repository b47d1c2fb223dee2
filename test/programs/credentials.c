// Credentials: setresuid/setreuid/setuid rules as root and after dropping, setfsuid, setgroups, capget,
// capset without capabilities, the keep-capabilities flag.
#define _GNU_SOURCE
#include <errno.h>
#include <sys/prctl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *what) {
  uid_t r, e, s;
  getresuid(&r, &e, &s);
  printf("%-28s uid=%u/%u/%u\n", what, r, e, s);
}

static unsigned caps(void) {
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2];
  syscall(SYS_capget, &h, d);
  return d[0].effective;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("root: CAP_CHOWN=%u CAP_SETUID=%u\n", caps() & 1, (caps() >> 7) & 1);
  /* what libcap-ng (PAM, su) asks: the bounding set, securebits, the ambient set */
  int b0 = prctl(PR_CAPBSET_READ, 0), b40 = prctl(PR_CAPBSET_READ, 40);
  errno = 0;
  int b41 = prctl(PR_CAPBSET_READ, 41), e41 = errno;
  printf("capbset: 0=%d 40=%d 41=%d/%d\n", b0, b40, b41, e41);
  int sb = prctl(PR_GET_SECUREBITS), isset = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 0, 0, 0);
  printf("securebits=%d ambient(is_set 0)=%d\n", sb, isset);
  errno = 0;
  int raise = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 0, 0, 0), eraise = errno;
  printf("ambient raise=%d/%d clear_all=%d\n", raise, eraise, prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0));
  int k1 = prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), g1 = prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), sb1 = prctl(PR_GET_SECUREBITS);
  errno = 0;
  int k2 = prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0), ek2 = errno;
  int k0 = prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
  printf("keepcaps set=%d get=%d securebits=%#x bad=%d/%d clear=%d get=%d\n", k1, g1, sb1, k2, ek2, k0, prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
  gid_t g[2] = { 10, 20 };
  printf("setgroups as root: %d\n", setgroups(2, g));
  printf("getgroups: %d\n", getgroups(0, NULL));
  int r = setresuid(1000, 1001, 0);
  show("setresuid(1000,1001,0)");
  r = setuid(0);
  printf("setuid(0) with saved 0: %d\n", r);
  show("after");
  r = setreuid(-1, 1000);
  show("setreuid(-1,1000)");
  r = setresuid(2000, -1, -1);
  printf("setresuid(2000) as non-root: %d %s\n", r, strerror(errno));
  r = setresuid(1000, 1000, 1000);
  show("setresuid(1000,1000,1000)");
  r = setuid(0);
  printf("setuid(0) after drop: %d %s\n", r, strerror(errno));
  printf("setfsuid(0) returns old %d\n", setfsuid(0));
  printf("setfsuid(-1) now %d\n", setfsuid(-1));
  r = setgroups(0, NULL);
  printf("setgroups as 1000: %d %s\n", r, strerror(errno));
  printf("as 1000: CAP_CHOWN=%u CAP_SETUID=%u\n", caps() & 1, (caps() >> 7) & 1);
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2];
  memset(d, 0, sizeof d);
  printf("capset empty as 1000: %d\n", (int)syscall(SYS_capset, &h, d));
  d[0].effective = d[0].permitted = 1;
  errno = 0;
  int cs = (int)syscall(SYS_capset, &h, d);
  printf("capset CAP_CHOWN as 1000: %d %s\n", cs, strerror(errno));
  return 0;
}
