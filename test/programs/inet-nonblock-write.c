/* A non-blocking connect used as apt's http method uses it: EINPROGRESS, poll for POLLOUT, SO_ERROR, then
 * write and read at once, without a second connect(2) to collect the result. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {0};
  socklen_t len = sizeof sa;
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(l, (struct sockaddr *)&sa, sizeof sa) || listen(l, 1) || getsockname(l, (struct sockaddr *)&sa, &len)) { perror("listener"); return 1; }
  int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int r = connect(c, (struct sockaddr *)&sa, sizeof sa);
  printf("connect: %s\n", r == 0 || errno == EINPROGRESS ? "0 or EINPROGRESS" : strerror(errno));
  struct pollfd p = { .fd = c, .events = POLLOUT };
  printf("poll: %d revents POLLOUT=%d\n", poll(&p, 1, 5000), (p.revents & POLLOUT) != 0);
  int e = -1;
  socklen_t elen = sizeof e;
  getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &elen);
  printf("SO_ERROR: %d\n", e);
  struct sockaddr_in peer;
  len = sizeof peer;
  printf("getpeername: %d port matches: %d\n", getpeername(c, (struct sockaddr *)&peer, &len), peer.sin_port == sa.sin_port);
  printf("write: %zd\n", write(c, "GET / HTTP/1.0\r\n\r\n", 18));
  int s = accept(l, NULL, NULL);
  char b[64];
  ssize_t n = read(s, b, sizeof b);
  printf("server read: %zd %.*s", n, 14, b);
  printf("\nserver write: %zd\n", write(s, "HTTP/1.0 200 OK\r\n", 17));
  p.events = POLLIN;
  poll(&p, 1, 5000);
  n = read(c, b, sizeof b);
  printf("client read: %zd %.15s\n", n, b);
  close(s);
  close(c);
  close(l);
  return 0;
}
