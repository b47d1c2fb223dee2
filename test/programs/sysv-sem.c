// System V semaphores between a parent and its children: blocking semop, IPC_NOWAIT, wait-for-zero,
// SEM_UNDO applied at exit (not inherited by fork), GETNCNT/GETZCNT, EIDRM to a waiter on removal,
// EINTR on a signal, semtimedop's timeout, semctl's commands and the error cases (run as root, and as nobody).
// Run natively in a private IPC namespace: nothing host-dependent is printed.
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

union semun { int val; struct semid_ds *buf; unsigned short *array; struct seminfo *__buf; };

static int semop1(int id, unsigned short num, short op, short flg) {
  struct sembuf b = { num, op, flg };
  return semop(id, &b, 1);
}

static void wait_ncnt(int id, int num, int cmd, int n) {
  while (semctl(id, num, cmd) != n) usleep(1000);
}

static int child_status(pid_t pid) {
  int st;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void on_alarm(int s) { (void)s; }

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
  show("semget", id < 0 ? -1 : 0);
  union semun u;
  unsigned short vals[3] = { 1, 0, 5 }, got[3];
  u.array = vals;
  show("SETALL", semctl(id, 0, SETALL, u));
  u.array = got;
  show("GETALL", semctl(id, 0, GETALL, u));
  printf("values %d %d %d\n", got[0], got[1], got[2]);
  show("GETVAL 2", semctl(id, 2, GETVAL));
  show("GETPID is me", semctl(id, 2, GETPID) == getpid());

  // atomic array: the second op would block, so neither applies
  struct sembuf two[2] = { { 0, -1, 0 }, { 1, -1, IPC_NOWAIT } };
  show("semop atomic nowait", semop(id, two, 2));
  show("GETVAL 0 unchanged", semctl(id, 0, GETVAL));
  show("semop nowait on 0", semop1(id, 1, -1, IPC_NOWAIT));
  show("wait-for-zero nowait", semop1(id, 0, 0, IPC_NOWAIT));
  struct sembuf same[2] = { { 2, -3, 0 }, { 2, -2, 0 } };
  show("two ops on one sem", semop(id, same, 2));
  show("GETVAL 2 after", semctl(id, 2, GETVAL));
  struct sembuf over[2] = { { 2, 32767, 0 }, { 2, 1, 0 } };
  show("ERANGE overflow", semop(id, over, 2));
  show("GETVAL 2 unchanged", semctl(id, 2, GETVAL));

  // a child blocks decrementing sem 1 until the parent raises it
  pid_t pid = fork();
  if (pid == 0) { int r = semop1(id, 1, -2, 0); _exit(r == 0 ? 7 : 1); }
  wait_ncnt(id, 1, GETNCNT, 1);
  show("GETNCNT 1", semctl(id, 1, GETNCNT));
  show("post 2", semop1(id, 1, 2, 0));
  show("child after post", child_status(pid));
  show("GETVAL 1", semctl(id, 1, GETVAL));
  show("GETPID is child", semctl(id, 1, GETPID) == pid);

  // wait-for-zero: a child waits until sem 0 drops to 0
  pid = fork();
  if (pid == 0) { int r = semop1(id, 0, 0, 0); _exit(r == 0 ? 8 : 1); }
  wait_ncnt(id, 0, GETZCNT, 1);
  show("GETZCNT 0", semctl(id, 0, GETZCNT));
  show("take 0", semop1(id, 0, -1, 0));
  show("zero waiter", child_status(pid));

  // SEM_UNDO: a child takes 1 with undo and exits; its change is rolled back
  u.val = 3;
  show("SETVAL 1", semctl(id, 1, SETVAL, u));
  pid = fork();
  if (pid == 0) {
    semop1(id, 1, -2, SEM_UNDO);
    // a grandchild does not inherit the undo list: its exit changes nothing
    pid_t g = fork();
    if (g == 0) _exit(0);
    waitpid(g, NULL, 0);
    printf("child sees %d\n", semctl(id, 1, GETVAL));
    _exit(0);
  }
  show("undo child", child_status(pid));
  show("GETVAL 1 after undo", semctl(id, 1, GETVAL));
  show("GETPID after undo is child", semctl(id, 1, GETPID) == pid);
  // undo applied with a clamp at 0; SETVAL clears the adjustment
  pid = fork();
  if (pid == 0) {
    semop1(id, 1, 2, SEM_UNDO);      // adj -2
    u.val = 1;
    semctl(id, 1, SETVAL, u);        // adj reset to 0
    semop1(id, 1, 1, SEM_UNDO);      // adj -1, value 2
    _exit(0);
  }
  child_status(pid);
  show("GETVAL 1 after SETVAL reset", semctl(id, 1, GETVAL));
  // the undo list survives execve: the exec'd program's exit applies it
  pid = fork();
  if (pid == 0) {
    semop1(id, 1, -1, SEM_UNDO);
    execl("/bin/true", "true", (char *)NULL);
    _exit(127);
  }
  show("exec child", child_status(pid));
  show("GETVAL 1 after exec child", semctl(id, 1, GETVAL));

  // EINTR: a blocked semop interrupted by a handled signal (never restarted, even with SA_RESTART)
  struct sigaction sa = { 0 };
  sa.sa_handler = on_alarm;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  u.val = 0;
  semctl(id, 0, SETVAL, u);
  ualarm(50000, 0);
  show("semop interrupted", semop1(id, 0, -1, 0));
  // semtimedop times out with EAGAIN
  struct timespec ts = { 0, 30 * 1000 * 1000 };
  struct sembuf one = { 0, -1, 0 };
  double t0 = clock_secs(CLOCK_MONOTONIC);
  show("semtimedop timeout", semtimedop(id, &one, 1, &ts));
  show("waited >= 30ms", clock_secs(CLOCK_MONOTONIC) - t0 >= 0.029);
  ts.tv_nsec = 1000000000;
  show("semtimedop bad timeout", semtimedop(id, &one, 1, &ts));

  // IPC_STAT / IPC_SET
  struct semid_ds ds;
  u.buf = &ds;
  show("IPC_STAT", semctl(id, 0, IPC_STAT, u));
  printf("nsems %lu mode %o uid %d cuid %d otime set %d ctime set %d\n", ds.sem_nsems, ds.sem_perm.mode,
         ds.sem_perm.uid, ds.sem_perm.cuid, ds.sem_otime > 0, ds.sem_ctime > 0);
  ds.sem_perm.mode = 0640;
  ds.sem_perm.uid = 65534;
  show("IPC_SET", semctl(id, 0, IPC_SET, u));
  semctl(id, 0, IPC_STAT, u);
  printf("mode %o uid %d cuid %d\n", ds.sem_perm.mode, ds.sem_perm.uid, ds.sem_perm.cuid);

  // errors
  show("bad cmd", semctl(id, 0, 99));
  show("semnum out of range", semctl(id, 3, GETVAL));
  u.val = 40000;
  show("SETVAL ERANGE", semctl(id, 0, SETVAL, u));
  show("EFBIG", semop1(id, 3, 1, 0));
  show("nsops 0", semop(id, &one, 0));
  // the limits as this kernel has them (IPC_INFO: semmsl, semopm...)
  struct seminfo si;
  u.__buf = &si;
  show("IPC_INFO ok", semctl(0, 0, IPC_INFO, u) >= 0);
  printf("semvmx %d, semmni >= 128: %d\n", si.semvmx, si.semmni >= 128);
  int semmsl = si.semmsl, semopm = si.semopm;
  struct sembuf *many = calloc(semopm + 1, sizeof *many);
  show("E2BIG", semop(id, many, semopm + 1));
  show("nsems 0 private", semget(IPC_PRIVATE, 0, 0600));
  show("nsems over semmsl", semget(IPC_PRIVATE, semmsl + 1, 0600));
  show("nsems negative", semget(IPC_PRIVATE, -1, 0600));
  int k = semget(0x5e3a11, 2, IPC_CREAT | 0600);
  show("key made", k >= 0);
  show("key found", semget(0x5e3a11, 1, 0) == k);
  show("key more nsems", semget(0x5e3a11, 3, 0));
  show("EEXIST", semget(0x5e3a11, 2, IPC_CREAT | IPC_EXCL | 0600));
  semctl(k, 0, IPC_RMID);
  show("ENOENT", semget(0x5e3a11, 2, 0600));
  show("bad id", semctl(-1, 0, GETVAL));

  // as nobody: a 0600 root set is EACCES, removal EPERM
  int priv = semget(IPC_PRIVATE, 1, 0600);
  pid = fork();
  if (pid == 0) {
    if (setgid(65534) || setuid(65534)) _exit(99);
    show("nobody GETVAL", semctl(priv, 0, GETVAL));
    show("nobody semop", semop1(priv, 0, 1, 0));
    show("nobody RMID", semctl(priv, 0, IPC_RMID));
    _exit(0);
  }
  child_status(pid);
  semctl(priv, 0, IPC_RMID);

  // EIDRM: a waiter sees its set removed
  pid = fork();
  if (pid == 0) {
    int r = semop1(id, 0, -1, 0);
    printf("waiter: %d %s\n", r, r < 0 ? strerrorname_np(errno) : "");
    _exit(0);
  }
  wait_ncnt(id, 0, GETNCNT, 1);
  int rm = semctl(id, 0, IPC_RMID);
  child_status(pid);
  show("IPC_RMID", rm);
  show("after RMID", semctl(id, 0, GETVAL));
  return 0;
}
