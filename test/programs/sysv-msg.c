// System V message queues: typed receive (0, >0, <0, MSG_EXCEPT), MSG_NOERROR and E2BIG, MSG_COPY,
// IPC_NOWAIT (ENOMSG, EAGAIN on a full queue), blocking senders and receivers across fork (the parent waits
// until the child is blocked: wait-blocked.h), EIDRM,
// EINTR, msgctl IPC_STAT/IPC_SET/IPC_INFO/MSG_INFO and the error cases (as root and as nobody).
// Run natively in a private IPC namespace: nothing host-dependent is printed.
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"
#include "wait-blocked.h"

struct msg { long type; char text[64]; };

static int snd(int id, long type, const char *text, int flags) {
  struct msg m = { type, "" };
  strcpy(m.text, text);
  return msgsnd(id, &m, strlen(text), flags);
}

static void rcv(const char *what, int id, size_t size, long type, int flags) {
  struct msg m = { 0, "" };
  long r = msgrcv(id, &m, size, type, flags);
  if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %ld type %ld \"%.*s\"\n", what, r, m.type, (int)r, m.text);
}

static int qnum(int id) {
  struct msqid_ds ds;
  return msgctl(id, IPC_STAT, &ds) < 0 ? -1 : (int)ds.msg_qnum;
}

static int child_status(pid_t pid) {
  int st;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void on_alarm(int s) { (void)s; }

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  show("msgget", id < 0 ? -1 : 0);
  show("send 3 a", snd(id, 3, "a", 0));
  show("send 1 b", snd(id, 1, "bb", 0));
  show("send 2 c", snd(id, 2, "ccc", 0));
  show("send 1 d", snd(id, 1, "dddd", 0));
  show("send 5 e", snd(id, 5, "eeeee", 0));
  struct msqid_ds ds;
  show("IPC_STAT", msgctl(id, IPC_STAT, &ds));
  printf("qnum %lu cbytes %lu lspid is me %d lrpid %d mode %o stime set %d rtime %ld\n", ds.msg_qnum, ds.__msg_cbytes,
         ds.msg_lspid == getpid(), ds.msg_lrpid, ds.msg_perm.mode, ds.msg_stime > 0, (long)ds.msg_rtime);
  rcv("copy 0", id, 64, 0, MSG_COPY | IPC_NOWAIT);
  rcv("copy 3", id, 64, 3, MSG_COPY | IPC_NOWAIT);
  rcv("copy 9", id, 64, 9, MSG_COPY | IPC_NOWAIT);
  rcv("copy blocking", id, 64, 0, MSG_COPY);
  rcv("copy except", id, 64, 0, MSG_COPY | IPC_NOWAIT | MSG_EXCEPT);
  rcv("type 2", id, 64, 2, 0);
  rcv("type <= 4", id, 64, -4, 0);
  rcv("except 1", id, 64, 1, MSG_EXCEPT);
  rcv("E2BIG", id, 2, 0, 0);
  rcv("NOERROR truncates", id, 2, 0, MSG_NOERROR);
  rcv("any", id, 64, 0, 0);
  rcv("empty nowait", id, 64, 0, IPC_NOWAIT);
  rcv("no type 7 nowait", id, 64, 7, IPC_NOWAIT);
  show("IPC_STAT", msgctl(id, IPC_STAT, &ds));
  printf("qnum %lu cbytes %lu lrpid is me %d rtime set %d\n", ds.msg_qnum, ds.__msg_cbytes, ds.msg_lrpid == getpid(), ds.msg_rtime > 0);

  // a receiver blocks until a message of its type arrives
  pid_t pid = fork();
  if (pid == 0) {
    struct msg m;
    long r = msgrcv(id, &m, sizeof m.text, 42, 0);
    _exit(r == 3 && m.type == 42 ? 10 : 1);
  }
  wait_blocked(pid);
  show("send 41", snd(id, 41, "no", 0));
  show("send 42", snd(id, 42, "yes", 0));
  show("receiver", child_status(pid));
  show("qnum left", qnum(id));
  rcv("drain", id, 64, 0, 0);

  // a full queue: msg_qbytes lowered to 8, nowait EAGAIN, a blocked sender proceeds after a receive
  show("IPC_STAT", msgctl(id, IPC_STAT, &ds));
  ds.msg_qbytes = 8;
  show("IPC_SET qbytes 8", msgctl(id, IPC_SET, &ds));
  show("send 5 bytes", snd(id, 1, "12345", 0));
  show("send 4 nowait", snd(id, 1, "6789", IPC_NOWAIT));
  pid = fork();
  if (pid == 0) _exit(snd(id, 2, "6789", 0) == 0 ? 11 : 1);
  wait_blocked(pid);
  show("qnum while blocked", qnum(id));
  rcv("make room", id, 64, 0, 0);
  show("sender", child_status(pid));
  rcv("sent late", id, 64, 0, 0);

  // EINTR: a handler without SA_RESTART ends the wait
  struct sigaction sa = { 0 };
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  ualarm(30000, 0);
  rcv("interrupted", id, 64, 0, 0);
  // msgrcv is never restarted after a handler, even with SA_RESTART (signal(7))
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  ualarm(30000, 0);
  rcv("interrupted with SA_RESTART", id, 64, 0, 0);
  ualarm(30000, 0);
  show("msgsnd full interrupted with SA_RESTART", snd(id, 1, "123456789", 0));

  // errors
  show("mtype 0", snd(id, 0, "x", 0));
  struct msginfo mi;
  show("IPC_INFO ok", msgctl(0, IPC_INFO, (struct msqid_ds *)&mi) >= 0);
  printf("msgssz %d msgseg %d\n", mi.msgssz, mi.msgseg);
  struct { long type; char text[70000]; } *huge = calloc(1, sizeof *huge);
  huge->type = 1;
  show("over msgmax", msgsnd(id, huge, mi.msgmax + 1, 0));
  show("bad id", msgsnd(-1, huge, 1, 0));
  show("bad cmd", msgctl(id, 99, &ds));
  // keys (the native side runs in a private IPC namespace)
  show("ENOENT key", msgget(0x7eadbe01, 0600));
  int k = msgget(0x7eadbe01, IPC_CREAT | 0640);
  show("key made", k >= 0);
  show("key found", msgget(0x7eadbe01, 0) == k);
  show("EEXIST", msgget(0x7eadbe01, IPC_CREAT | IPC_EXCL | 0600));
  msgctl(k, IPC_RMID, NULL);
  show("key gone", msgget(0x7eadbe01, 0));
  show("MSG_INFO queues >= 1", msgctl(0, MSG_INFO, (struct msqid_ds *)&mi) >= 0 && mi.msgpool >= 1);
  ds.msg_qbytes = mi.msgmnb + 1;
  int priv = msgget(IPC_PRIVATE, 0600);
  pid = fork();
  if (pid == 0) {
    if (setgid(65534) || setuid(65534)) _exit(99);
    show("nobody send", snd(priv, 1, "x", IPC_NOWAIT));
    rcv("nobody receive", priv, 64, 0, IPC_NOWAIT);
    show("nobody IPC_STAT", msgctl(priv, IPC_STAT, &ds));
    show("nobody RMID", msgctl(priv, IPC_RMID, NULL));
    int own = msgget(IPC_PRIVATE, 0600);
    msgctl(own, IPC_STAT, &ds);
    ds.msg_qbytes = mi.msgmnb + 1;
    show("nobody raise qbytes", msgctl(own, IPC_SET, &ds));
    show("nobody RMID own", msgctl(own, IPC_RMID, NULL));
    _exit(0);
  }
  child_status(pid);
  msgctl(priv, IPC_RMID, NULL);

  // EIDRM: a blocked receiver sees the queue removed
  pid = fork();
  if (pid == 0) { rcv("waiter", id, 64, 0, 0); _exit(0); }
  wait_blocked(pid);
  int rm = msgctl(id, IPC_RMID, NULL);
  child_status(pid);
  show("IPC_RMID", rm);
  show("after RMID", qnum(id));
  return 0;
}
