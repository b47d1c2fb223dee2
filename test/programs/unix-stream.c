// AF_UNIX stream/seqpacket sockets on filesystem paths: bind, listen, accept, connect across fork,
// SO_PEERCRED, names and their lengths, errors, non-blocking accept with poll/epoll, backlog, signals,
// SCM_RIGHTS over an accepted connection, unlink and close of the listener.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fd-passing.h"
#include "report.h"

#define DIR "unix-stream.d" // relative: the names Linux returns are the paths as given
#define SRV DIR "/srv.sock"

static socklen_t mkaddr(struct sockaddr_un *a, const char *path) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  strcpy(a->sun_path, path);
  return sizeof *a;
}

static int listener(const char *path, int type, int backlog) {
  struct sockaddr_un a;
  int s = socket(AF_UNIX, type, 0);
  unlink(path);
  if (bind(s, (struct sockaddr *)&a, mkaddr(&a, path)) < 0) show("bind", -1);
  if (listen(s, backlog) < 0) show("listen", -1);
  return s;
}

static int connect_to(const char *path, int type) {
  struct sockaddr_un a;
  int c = socket(AF_UNIX, type, 0);
  socklen_t n = mkaddr(&a, path);
  return connect(c, (struct sockaddr *)&a, n) < 0 ? -1 : c;
}

static void print_name(const char *what, int fd, int peer) {
  struct sockaddr_un a;
  memset(&a, 0x55, sizeof a);
  socklen_t len = sizeof a;
  int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len);
  if (r < 0) { show(what, -1); return; }
  printf("%s: len=%u family=%d path='%s'\n", what, len, a.sun_family, len > 2 ? a.sun_path : "");
}

/** Server and client over a path across fork: echo, names, credentials, SCM_RIGHTS. */
static void echo_round_trip(void) {
  int s = listener(SRV, SOCK_STREAM, 5);
  struct stat st;
  if (stat(SRV, &st) == 0) printf("socket inode: issock=%d mode=%o size=%lld\n", S_ISSOCK(st.st_mode), st.st_mode & 07777, (long long)st.st_size);
  print_name("listener name", s, 0);
  pid_t parent = getpid();
  pid_t kid = fork();
  if (kid == 0) {
    int c = connect_to(SRV, SOCK_STREAM);
    if (c < 0) { show("child connect", -1); _exit(1); }
    print_name("client name", c, 0);
    print_name("client peer", c, 1);
    struct ucred cr;
    socklen_t len = sizeof cr;
    getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &len);
    printf("client peercred: pid_is_server=%d uid=%d gid=%d len=%u\n", cr.pid == parent, cr.uid, cr.gid, len);
    write(c, "ping", 4);
    char buf[16] = {0};
    read(c, buf, sizeof buf);
    printf("client got '%s'\n", buf);
    int p[2];
    pipe(p);
    if (send_fd(c, p[1]) != 1) printf("sendmsg with fd failed: %s\n", strerror(errno));
    close(p[1]);
    char out[32] = {0};
    printf("client pipe read: %zd '%s'\n", read(p[0], out, sizeof out - 1), out);
    _exit(0);
  }
  struct sockaddr_un from;
  memset(&from, 0x55, sizeof from);
  socklen_t flen = sizeof from;
  int a = accept(s, (struct sockaddr *)&from, &flen);
  char buf[16] = {0};
  ssize_t got = read(a, buf, sizeof buf); // the child prints its side before it writes
  printf("accept: ok=%d addrlen=%u family=%d\n", a >= 0, flen, from.sun_family);
  struct ucred cr;
  socklen_t len = sizeof cr;
  getsockopt(a, SOL_SOCKET, SO_PEERCRED, &cr, &len);
  printf("server peercred: pid_is_child=%d uid=%d\n", cr.pid == kid, cr.uid);
  getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &len);
  printf("listener peercred: pid_is_self=%d\n", cr.pid == getpid());
  print_name("accepted name", a, 0);
  print_name("accepted peer", a, 1);
  printf("server read: %zd '%s'\n", got, buf);
  write(a, "pong", 4);
  int w = recv_fd(a);
  write(w, "through the socket", 18);
  close(w);
  int st2;
  waitpid(kid, &st2, 0);
  printf("child exit %d\n", WEXITSTATUS(st2));
  printf("read after client exit: %zd\n", read(a, buf, sizeof buf));
  close(a);
  close(s);
}

static void errors(void) {
  struct sockaddr_un a;
  int s = listener(SRV, SOCK_STREAM, 1);
  int t = socket(AF_UNIX, SOCK_STREAM, 0);
  show("bind existing path", bind(t, (struct sockaddr *)&a, mkaddr(&a, SRV)));
  show("bind new path", bind(t, (struct sockaddr *)&a, mkaddr(&a, DIR "/second.sock")));
  show("bind bound again", bind(t, (struct sockaddr *)&a, mkaddr(&a, DIR "/third.sock")));
  show("third.sock left behind", access(DIR "/third.sock", F_OK));
  show("bind bound to existing", bind(t, (struct sockaddr *)&a, mkaddr(&a, SRV)));
  show("bind missing dir", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, mkaddr(&a, DIR "/nodir/x.sock")));
  a.sun_family = AF_INET;
  show("bind wrong family", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, sizeof a));
  show("bind addrlen 1", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, 1));
  show("listen unbound", listen(socket(AF_UNIX, SOCK_STREAM, 0), 1));
  show("listen again", listen(s, 3));
  int d = socket(AF_UNIX, SOCK_DGRAM, 0);
  show("listen dgram", listen(d, 1));
  show("accept dgram", accept(d, NULL, NULL));
  show("accept unlistened", accept(t, NULL, NULL));
  show("accept4 bad flags", accept4(s, NULL, NULL, 0x1));
  show("connect missing", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, mkaddr(&a, DIR "/missing.sock")));
  int f = open(DIR "/plain", O_CREAT | O_WRONLY, 0644);
  close(f);
  show("connect regular file", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, mkaddr(&a, DIR "/plain")));
  show("connect bound not listening", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, mkaddr(&a, DIR "/second.sock")));
  show("connect seqpacket to stream", connect(socket(AF_UNIX, SOCK_SEQPACKET, 0), (struct sockaddr *)&a, mkaddr(&a, SRV)));
  show("connect dgram to stream", connect(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&a, mkaddr(&a, SRV)));
  show("connect listener", connect(s, (struct sockaddr *)&a, mkaddr(&a, SRV)));
  int c = connect_to(SRV, SOCK_STREAM);
  show("connect ok", c < 0 ? -1 : 0);
  show("connect again", connect(c, (struct sockaddr *)&a, mkaddr(&a, SRV)));
  show("connect again missing", connect(c, (struct sockaddr *)&a, mkaddr(&a, DIR "/missing.sock")));
  show("sendto on connected stream", sendto(c, "x", 1, 0, (struct sockaddr *)&a, mkaddr(&a, SRV)));
  int u = socket(AF_UNIX, SOCK_STREAM, 0);
  show("sendto on unconnected stream", sendto(u, "x", 1, 0, (struct sockaddr *)&a, mkaddr(&a, SRV)));
  show("write unconnected", write(u, "x", 1));
  char buf[4];
  show("read unconnected", read(u, buf, sizeof buf));
  show("read listener", read(s, buf, sizeof buf));
  show("shutdown unconnected", shutdown(u, SHUT_RDWR));
  print_name("peer of unconnected", u, 1);
  print_name("peer of listener", s, 1);
  int v, on;
  socklen_t len = sizeof v;
  getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &on, &len);
  getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len);
  printf("listener: acceptconn=%d type=%d", on, v);
  getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &len);
  getsockopt(c, SOL_SOCKET, SO_ACCEPTCONN, &on, &len);
  printf(" domain=%d client acceptconn=%d\n", v, on);
  show("mknod socket", mknod(DIR "/made.sock", S_IFSOCK | 0600, 0));
  struct stat st;
  stat(DIR "/made.sock", &st);
  printf("mknod inode: issock=%d mode=%o\n", S_ISSOCK(st.st_mode), st.st_mode & 07777);
  show("connect mknod socket", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, mkaddr(&a, DIR "/made.sock")));
  show("open socket inode", open(SRV, O_RDONLY));

  pid_t kid = fork();
  if (kid == 0) { // an unprivileged user: directory and socket write permission
    mkdir(DIR "/ro", 0755);
    setgid(65534);
    setuid(65534);
    show("bind in unwritable dir", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, mkaddr(&a, DIR "/ro/x.sock")));
    show("connect without write permission", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, mkaddr(&a, SRV)));
    _exit(0);
  }
  waitpid(kid, NULL, 0);
  close(s);
  show("connect after listener closed", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, mkaddr(&a, SRV)));
}

static void on_usr1(int sig) { (void)sig; }

/** Non-blocking accept with poll and epoll, the backlog, and blocking calls interrupted by signals. */
static void nonblocking_and_backlog(void) {
  int s = listener(SRV, SOCK_STREAM, 0);
  fcntl(s, F_SETFL, O_NONBLOCK);
  show("accept empty", accept(s, NULL, NULL));
  struct pollfd p = { s, POLLIN | POLLOUT, 0 };
  show("poll empty", poll(&p, 1, 0));
  printf("revents empty: %#x\n", p.revents);
  int ep = epoll_create1(0);
  struct epoll_event ev = { .events = EPOLLIN }, out;
  epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
  int c1 = connect_to(SRV, SOCK_STREAM);
  show("first connect", c1 < 0 ? -1 : 0);
  show("poll pending", poll(&p, 1, 0));
  printf("revents pending: %#x\n", p.revents);
  show("epoll pending", epoll_wait(ep, &out, 1, 0));
  write(c1, "early", 5); // data before the accept is kept for the accepted socket
  int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
  struct sockaddr_un a;
  show("second connect (backlog 0)", connect(c2, (struct sockaddr *)&a, mkaddr(&a, SRV)));
  show("third connect (backlog full, nonblocking)", connect(c2, (struct sockaddr *)&a, mkaddr(&a, SRV)));
  int n = accept4(s, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  printf("accept4: ok=%d nonblock=%d cloexec=%d\n", n >= 0, (fcntl(n, F_GETFL) & O_NONBLOCK) != 0, (fcntl(n, F_GETFD) & FD_CLOEXEC) != 0);
  char buf[16] = {0};
  printf("early data: %zd '%s'\n", read(n, buf, sizeof buf), buf);
  show("read nonblocking accepted", read(n, buf, sizeof buf));
  show("second connect again", connect(c2, (struct sockaddr *)&a, mkaddr(&a, SRV)));
  int m = accept(s, NULL, NULL);
  printf("second accept: ok=%d nonblock=%d\n", m >= 0, (fcntl(m, F_GETFL) & O_NONBLOCK) != 0);
  show("accept drained", accept(s, NULL, NULL));
  close(c1); close(c2); close(n); close(m);

  // a blocking connect waits for room in the backlog; a signal without SA_RESTART interrupts it
  int filler = connect_to(SRV, SOCK_STREAM);
  show("fill backlog", filler < 0 ? -1 : 0);
  int sync[2];
  pipe(sync);
  pid_t kid = fork();
  if (kid == 0) {
    struct sigaction sa = { .sa_handler = on_usr1 };
    sigaction(SIGUSR1, &sa, NULL);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    write(sync[1], "x", 1);
    show("child blocking connect, signal without SA_RESTART", connect(c, (struct sockaddr *)&a, mkaddr(&a, SRV)));
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    write(sync[1], "y", 1);
    show("child blocking connect, SA_RESTART then accepted", connect(c, (struct sockaddr *)&a, mkaddr(&a, SRV)));
    _exit(0);
  }
  char x;
  read(sync[0], &x, 1);
  usleep(200000);
  kill(kid, SIGUSR1);
  read(sync[0], &x, 1);
  usleep(200000);
  kill(kid, SIGUSR1);
  usleep(200000);
  fcntl(s, F_SETFL, 0);
  int f = accept(s, NULL, NULL); // makes room: the restarted connect completes
  waitpid(kid, NULL, 0);
  int g = accept(s, NULL, NULL);
  printf("accepted after restart: %d\n", f >= 0 && g >= 0);
  close(f); close(g); close(filler);

  // a blocking accept: EINTR without SA_RESTART
  kid = fork();
  if (kid == 0) {
    struct sigaction sa = { .sa_handler = on_usr1 };
    sigaction(SIGUSR1, &sa, NULL);
    write(sync[1], "z", 1);
    show("child blocking accept, signal", accept(s, NULL, NULL));
    _exit(0);
  }
  read(sync[0], &x, 1);
  usleep(200000);
  kill(kid, SIGUSR1);
  waitpid(kid, NULL, 0);
  close(s);
}

/** Unlink leaves the listener working but unreachable; closing it resets connections never accepted. */
static void unlink_and_close(void) {
  struct sockaddr_un a;
  int s = listener(SRV, SOCK_STREAM, 4);
  int before = connect_to(SRV, SOCK_STREAM);
  unlink(SRV);
  show("connect after unlink", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, mkaddr(&a, SRV)));
  int n = accept(s, NULL, NULL);
  write(before, "still", 5);
  char buf[16] = {0};
  printf("after unlink: %zd '%s'\n", read(n, buf, sizeof buf), buf);
  print_name("name after unlink", s, 0);
  show("rebind same path", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, mkaddr(&a, SRV)));
  close(n);
  close(before);
  int s2 = listener(DIR "/other.sock", SOCK_STREAM, 4);
  int pend = connect_to(DIR "/other.sock", SOCK_STREAM);
  write(pend, "lost", 4);
  close(s2);
  struct pollfd p = { pend, POLLIN | POLLOUT, 0 };
  poll(&p, 1, 0);
  printf("pending after listener close: revents=%#x\n", p.revents);
  int e = 0;
  socklen_t len = sizeof e;
  show("read pending", read(pend, buf, sizeof buf));
  show("read pending again", read(pend, buf, sizeof buf));
  getsockopt(pend, SOL_SOCKET, SO_ERROR, &e, &len);
  printf("so_error after: %d\n", e);
  show("write pending", send(pend, "x", 1, MSG_NOSIGNAL));
  close(s);
}

/** Seqpacket keeps records over a path; a peer that closes with data unread resets the writer. */
static void seqpacket(void) {
  int s = listener(SRV, SOCK_SEQPACKET, 2);
  int c = connect_to(SRV, SOCK_SEQPACKET);
  int a = accept(s, NULL, NULL);
  send(c, "one", 3, 0);
  send(c, "three", 5, 0);
  char buf[16] = {0};
  printf("seqpacket: %zd", recv(a, buf, sizeof buf, 0));
  printf(" %zd\n", recv(a, buf, 2, 0));
  send(c, "unread", 6, 0);
  close(a);
  show("seqpacket write after reset", send(c, "x", 1, MSG_NOSIGNAL));
  show("seqpacket write after that", send(c, "x", 1, MSG_NOSIGNAL));
  show("seqpacket read after reset", recv(c, buf, sizeof buf, 0));
  int c2 = connect_to(SRV, SOCK_SEQPACKET);
  int a2 = accept(s, NULL, NULL);
  send(a2, "unread", 6, 0);
  close(c2);
  show("stream-like reset, seqpacket read", recv(a2, buf, sizeof buf, MSG_DONTWAIT));
  pid_t kid = fork();
  if (kid == 0) { // does a seqpacket EPIPE raise SIGPIPE?
    int r = send(a2, "x", 1, 0);
    printf("seqpacket send to closed peer: %d %s\n", r, strerror(errno));
    fflush(stdout);
    _exit(0);
  }
  int st;
  waitpid(kid, &st, 0);
  printf("child: signaled=%d sig=%d\n", WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
  close(s);
  // a stream whose peer closed with our data unread
  int st2 = listener(DIR "/s2.sock", SOCK_STREAM, 2);
  int sc2 = connect_to(DIR "/s2.sock", SOCK_STREAM);
  int sa2 = accept(st2, NULL, NULL);
  write(sc2, "unread", 6);
  close(sa2);
  show("stream write after reset", send(sc2, "x", 1, MSG_NOSIGNAL));
  show("stream read after reset", read(sc2, buf, sizeof buf));
  close(st2);
}

/** MSG_WAITALL waits for the whole count (or end of file); MSG_OOB finds no out-of-band byte. */
static void waitall(void) {
  int s = listener(SRV, SOCK_STREAM, 2);
  int c = connect_to(SRV, SOCK_STREAM);
  int a = accept(s, NULL, NULL);
  pid_t kid = fork();
  if (kid == 0) {
    write(c, "abc", 3);
    usleep(100000);
    write(c, "def", 3);
    usleep(100000);
    write(c, "gh", 2);
    _exit(0);
  }
  char buf[16] = {0};
  ssize_t n = recv(a, buf, 6, MSG_WAITALL);
  printf("waitall: %zd '%s'\n", n, buf);
  waitpid(kid, NULL, 0);
  close(c);
  memset(buf, 0, sizeof buf);
  n = recv(a, buf, 6, MSG_WAITALL);
  printf("waitall at eof: %zd '%s'\n", n, buf);
  show("recv MSG_OOB", recv(a, buf, 1, MSG_OOB));
  close(a);
  close(s);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/** SO_RCVTIMEO/SO_SNDTIMEO: waits end in EAGAIN after the timeout, and signals give EINTR even with SA_RESTART. */
static void timeouts(void) {
  int s = listener(SRV, SOCK_STREAM, 0);
  struct timeval tv = { 0, 200000 }, back;
  socklen_t len = sizeof back;
  show("set SO_RCVTIMEO", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
  getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &back, &len);
  printf("SO_RCVTIMEO reads back: %ld.%06ld len=%u\n", (long)back.tv_sec, (long)back.tv_usec, len);
  double t0 = now();
  show("accept times out", accept(s, NULL, NULL));
  printf("  waited about the timeout: %d\n", now() - t0 > 0.15);
  int c = connect_to(SRV, SOCK_STREAM);
  int a = accept(s, NULL, NULL);
  setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[8];
  t0 = now();
  show("recv times out", recv(a, buf, sizeof buf, 0));
  printf("  waited about the timeout: %d\n", now() - t0 > 0.15);
  write(c, "ab", 2);
  show("waitall with timeout returns what came", recv(a, buf, sizeof buf, MSG_WAITALL));
  struct timeval bad = { 0, 1000000 };
  show("SO_SNDTIMEO usec out of range", setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &bad, sizeof bad));
  show("SO_SNDTIMEO short optlen", setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, 8));
  int filler = connect_to(SRV, SOCK_STREAM);
  int d = socket(AF_UNIX, SOCK_STREAM, 0);
  setsockopt(d, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  struct sockaddr_un addr;
  t0 = now();
  show("connect to a full backlog times out", connect(d, (struct sockaddr *)&addr, mkaddr(&addr, SRV)));
  printf("  waited about the timeout: %d\n", now() - t0 > 0.15);
  int sync[2];
  pipe(sync);
  pid_t kid = fork();
  if (kid == 0) {
    struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
    sigaction(SIGUSR1, &sa, NULL);
    struct timeval longer = { 30, 0 };
    setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &longer, sizeof longer);
    write(sync[1], "x", 1);
    show("child recv with a timeout, SA_RESTART signal", recv(a, buf, sizeof buf, 0));
    _exit(0);
  }
  char x;
  read(sync[0], &x, 1);
  usleep(200000);
  kill(kid, SIGUSR1);
  waitpid(kid, NULL, 0);
  close(filler); close(d); close(c); close(a); close(s);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  umask(022);
  chmod(".", 0755); // the unprivileged child must reach DIR
  mkdir(DIR, 0755);
  unlink(DIR "/second.sock"); unlink(DIR "/made.sock"); unlink(DIR "/other.sock"); unlink(DIR "/s2.sock");
  echo_round_trip();
  errors();
  nonblocking_and_backlog();
  unlink_and_close();
  seqpacket();
  waitall();
  timeouts();
  return 0;
}
