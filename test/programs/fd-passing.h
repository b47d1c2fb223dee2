// SCM_RIGHTS helpers shared by the AF_UNIX test programs: send one fd with a one-byte message, receive it.
#ifndef PBASH_FD_PASSING_H
#define PBASH_FD_PASSING_H
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static ssize_t send_fd(int s, int fd) {
  char byte = 'F';
  struct iovec iov = { &byte, 1 };
  char ctl[CMSG_SPACE(sizeof(int))];
  memset(ctl, 0, sizeof ctl);
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  return sendmsg(s, &m, 0);
}

static int recv_fd(int s) {
  char byte;
  struct iovec iov = { &byte, 1 };
  char ctl[CMSG_SPACE(sizeof(int))];
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
  ssize_t n = recvmsg(s, &m, 0);
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  int fd = -1;
  if (c && c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof fd);
  printf("recvmsg: %zd byte=%c got_fd=%d\n", n, byte, fd >= 0);
  return fd;
}

#endif
