// sched_setattr(2) against sched_getattr(2): size negotiation (E2BIG and the size written back), flags,
// KEEP_POLICY/KEEP_PARAMS, nice through attr, real-time and idle policies, SCHED_DEADLINE parameter checks,
// admission and its effects (fork EAGAIN unless reset-on-fork, affinity), and the unprivileged rules.
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

struct attr {
  uint32_t size, policy;
  uint64_t flags;
  int32_t nice;
  uint32_t priority;
  uint64_t runtime, deadline, period;
  uint32_t util_min, util_max;
  char pad[64];
};

#define RESET_ON_FORK 1
#define RECLAIM 2
#define DL_OVERRUN 4
#define KEEP_POLICY 8
#define KEEP_PARAMS 0x10
#define UTIL_CLAMP_MIN 0x20
#define UTIL_CLAMP_MAX 0x40

static long setattr(pid_t pid, struct attr *a, unsigned flags) { return syscall(SYS_sched_setattr, pid, a, flags); }

static void now(const char *what) {
  struct attr a;
  memset(&a, 0x5a, sizeof a);
  long r = syscall(SYS_sched_getattr, 0, &a, 56, 0);
  if (r < 0) { show(what, r); return; }
  // a fair task's sched_runtime is its slice from Linux 6.12 on (0 before): shown for SCHED_DEADLINE only
  printf("%s: size %u policy %u flags %llx nice %d prio %u", what, a.size, a.policy, (unsigned long long)a.flags, a.nice, a.priority);
  if (a.policy == SCHED_DEADLINE) printf(" rt %llu", (unsigned long long)a.runtime);
  printf(" dl %llu per %llu umin %u umax %u\n", (unsigned long long)a.deadline, (unsigned long long)a.period, a.util_min, a.util_max);
}

static struct attr mk(uint32_t size, uint32_t policy, uint64_t flags, int nice, uint32_t prio) {
  struct attr a;
  memset(&a, 0, sizeof a);
  a.size = size; a.policy = policy; a.flags = flags; a.nice = nice; a.priority = prio;
  return a;
}

static void try(const char *what, struct attr a) {
  long r = setattr(0, &a, 0);
  show(what, r);
  if (r < 0 && errno == E2BIG) printf("  size written back: %u\n", a.size);
  if (r == 0) now("  now");
}

static struct attr dl(uint64_t runtime, uint64_t deadline, uint64_t period, uint64_t flags) {
  struct attr a = mk(56, SCHED_DEADLINE, flags, 0, 0);
  a.runtime = runtime; a.deadline = deadline; a.period = period;
  return a;
}

int main(void) {
  // admission: the deadline bandwidth of all tasks stays within 95% of each CPU (less the fair servers' 5%);
  // first, as bandwidth freed by a task leaving SCHED_DEADLINE returns only at its 0-lag time on Linux
  pid_t kids[3];
  fflush(stdout);
  for (int i = 0; i < 3; i++) if ((kids[i] = fork()) == 0) { pause(); _exit(0); }
  for (int i = 0; i < 3; i++) {
    struct attr k = dl(700000, 1000000, 1000000, 0);
    printf("child %d at 70%%: ", i);
    show("", setattr(kids[i], &k, 0));
  }
  for (int i = 0; i < 3; i++) { kill(kids[i], SIGKILL); waitpid(kids[i], NULL, 0); }

  now("initial");
  try("size 48 other nice 3", mk(48, SCHED_OTHER, 0, 3, 0));
  try("size 0 (= 48)", mk(0, SCHED_OTHER, 0, 2, 0));
  try("size 40", mk(40, SCHED_OTHER, 0, 0, 0));
  try("size 5000", mk(5000, SCHED_OTHER, 0, 0, 0));
  struct attr big = mk(64, SCHED_OTHER, 0, 1, 0);
  try("size 64 zero tail", big);
  big.pad[3] = 1;
  try("size 64 nonzero tail", big);
  try("nice -30 clamps", mk(56, SCHED_OTHER, 0, -30, 0));
  try("nice 40 clamps", mk(56, SCHED_OTHER, 0, 40, 0));
  try("batch nice 5", mk(56, SCHED_BATCH, 0, 5, 0));
  try("idle", mk(56, SCHED_IDLE, 0, 0, 0));
  try("other prio 1", mk(56, SCHED_OTHER, 0, 0, 1));
  try("fifo 10", mk(56, SCHED_FIFO, 0, 0, 10));
  try("fifo 0", mk(56, SCHED_FIFO, 0, 0, 0));
  try("rr 100", mk(56, SCHED_RR, 0, 0, 100));
  try("keep policy, prio 20", mk(56, 77, KEEP_POLICY, 0, 20));
  try("keep params, rr", mk(56, SCHED_RR, KEEP_PARAMS, 0, 0));
  try("keep both", mk(56, SCHED_OTHER, KEEP_POLICY | KEEP_PARAMS, 9, 0));
  try("policy 4", mk(56, 4, 0, 0, 0));
  try("policy 7", mk(56, 7, 0, 0, 0));
  try("flag 0x1000", mk(56, SCHED_OTHER, 0x1000, 0, 0));
  try("reset on fork, other nice -1", mk(56, SCHED_OTHER, RESET_ON_FORK, -1, 0));
  printf("getscheduler %d\n", sched_getscheduler(0));
  try("other nice 0", mk(56, SCHED_OTHER, 0, 0, 0));
  struct attr a = mk(56, SCHED_OTHER, 0, 0, 0);
  show("flags argument 1", setattr(0, &a, 1));
  show("NULL attr", setattr(0, NULL, 0));
  show("pid -1", setattr(-1, &a, 0));
  show("no such pid", setattr(999999, &a, 0));

  // SCHED_DEADLINE: runtime <= deadline <= period, at least 1024 ns of runtime, period within [100 us, 4.19 s]
  try("dl 0 deadline", dl(1000000, 0, 0, 0));
  try("dl runtime 1000", dl(1000, 2000000, 2000000, 0));
  try("dl runtime > deadline", dl(3000000, 2000000, 4000000, 0));
  try("dl deadline > period", dl(1000000, 5000000, 4000000, 0));
  try("dl period 50 us", dl(20000, 50000, 50000, 0));
  try("dl period 5 s", dl(1000000, 5000000000ULL, 5000000000ULL, 0));
  try("dl bit 63", dl(1000000, 1ULL << 63, 0, 0));
  try("dl 99% of a CPU", dl(9900000, 10000000, 10000000, 0));
  try("dl ok", dl(1000000, 5000000, 10000000, 0));
  printf("getscheduler %d\n", sched_getscheduler(0));
  int prio = 0;
  struct sched_param sp = {0};
  show("sched_getparam", sched_getparam(0, &sp)), prio = sp.sched_priority;
  printf("  priority %d\n", prio);
  show("setpriority under dl", setpriority(PRIO_PROCESS, 0, 5));
  now("  now");
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) _exit(0);
  if (c < 0) show("fork under dl", -1); else { waitpid(c, NULL, 0); printf("fork under dl: ok\n"); }
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  show("affinity to cpu 0 under dl", sched_setaffinity(0, sizeof set, &set));
  try("dl reset on fork", dl(1000000, 5000000, 10000000, RESET_ON_FORK));
  fflush(stdout);
  c = fork();
  if (c == 0) { now("child of reset-on-fork dl"); fflush(stdout); _exit(0); }
  if (c < 0) show("fork under dl reset-on-fork", -1); else waitpid(c, NULL, 0);
  try("dl keep params", mk(56, SCHED_DEADLINE, KEEP_PARAMS, 0, 0));
  try("back to other", mk(56, SCHED_OTHER, 0, 0, 0));
  show("sched_setscheduler deadline", sched_setscheduler(0, SCHED_DEADLINE, &sp));
  CPU_SET(1, &set);
  sched_setaffinity(0, sizeof set, &set);

  struct attr u = mk(56, SCHED_OTHER, UTIL_CLAMP_MIN | UTIL_CLAMP_MAX, 0, 0);
  u.util_min = 100; u.util_max = 900;
  try("util clamp 100..900", u);
  u.util_min = 1000; u.util_max = 900;
  try("util clamp min > max", u);
  u.util_min = 2000;
  try("util clamp 2000", u);

  // unprivileged
  fflush(stdout);
  c = fork();
  if (c == 0) {
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_RTPRIO, &rl);
    setrlimit(RLIMIT_NICE, &rl);
    if (setresuid(65534, 65534, 65534) < 0) { perror("setresuid"); _exit(1); }
    try("user: nice 4", mk(56, SCHED_OTHER, 0, 4, 0));
    try("user: nice 2 (lower)", mk(56, SCHED_OTHER, 0, 2, 0));
    try("user: fifo 1", mk(56, SCHED_FIFO, 0, 0, 1));
    try("user: dl", dl(1000000, 5000000, 10000000, 0));
    try("user: idle", mk(56, SCHED_IDLE, 0, 0, 0));
    try("user: idle to other", mk(56, SCHED_OTHER, 0, 4, 0));
    try("user: reset on fork", mk(56, SCHED_BATCH, RESET_ON_FORK, 4, 0));
    try("user: clear reset on fork", mk(56, SCHED_BATCH, 0, 4, 0));
    struct attr o = mk(56, SCHED_OTHER, 0, 4, 0);
    show("user: init's", setattr(1, &o, 0));
    fflush(stdout);
    _exit(0);
  }
  waitpid(c, NULL, 0);
  return 0;
}
