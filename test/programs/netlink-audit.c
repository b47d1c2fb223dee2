// NETLINK_AUDIT as PAM and shadow's tools use it (libaudit's audit_log_user_message): a user record sent with
// NLM_F_ACK is acknowledged (NLMSG_ERROR 0) for a sender with CAP_AUDIT_WRITE, EPERM for one without.
#define _GNU_SOURCE
#include <linux/audit.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

static void record(const char *who) {
  int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
  show("socket(NETLINK_AUDIT)", s);
  if (s < 0) return;
  struct { struct nlmsghdr h; char text[64]; } m;
  memset(&m, 0, sizeof m);
  const char *text = "op=pbash-test acct=\"nobody\" res=success";
  m.h.nlmsg_len = NLMSG_LENGTH(strlen(text) + 1);
  m.h.nlmsg_type = 1101; // AUDIT_USER_ACCT (libaudit.h)
  m.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  m.h.nlmsg_seq = 7;
  strcpy(m.text, text);
  struct sockaddr_nl k = { .nl_family = AF_NETLINK };
  show("sendto(kernel)", sendto(s, &m, m.h.nlmsg_len, 0, (struct sockaddr *)&k, sizeof k));
  char buf[512];
  ssize_t n = recv(s, buf, sizeof buf, 0);
  struct nlmsghdr *h = (struct nlmsghdr *)buf;
  if (n >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) && h->nlmsg_type == NLMSG_ERROR) {
    struct nlmsgerr *e = NLMSG_DATA(h);
    printf("%s: ack seq=%u error=%s echoed type=%u\n", who, h->nlmsg_seq, e->error ? strerrorname_np(-e->error) : "0", e->msg.nlmsg_type);
  } else printf("%s: reply %zd bytes type %u\n", who, n, n > 0 ? h->nlmsg_type : 0);
  close(s);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  record("root");
  pid_t p = fork();
  if (p == 0) {
    if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)) return 1;
    record("nobody");
    return 0;
  }
  int st;
  waitpid(p, &st, 0);
  printf("child status %d\n", st);
  return 0;
}
