// A TCP server for a host client: listens on 127.0.0.1 (or ::1 with argument "6") port 0, prints the port,
// accepts one connection, echoes what it reads upper-cased until the client half-closes, then closes.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "report.h"

int main(int argc, char **argv) {
  int six = argc > 1 && strcmp(argv[1], "6") == 0;
  int l = socket(six ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  struct sockaddr_storage ss = {0};
  socklen_t len = six ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
  if (six) { ((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6; ((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback; }
  else { ((struct sockaddr_in *)&ss)->sin_family = AF_INET; ((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK); }
  if (bind(l, (struct sockaddr *)&ss, len) < 0 || listen(l, 1) < 0) { show("bind/listen", -1); return 1; }
  getsockname(l, (struct sockaddr *)&ss, &len);
  printf("port %d\n", ntohs(six ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port));
  fflush(stdout);
  struct sockaddr_storage peer;
  socklen_t plen = sizeof peer;
  int s = accept(l, (struct sockaddr *)&peer, &plen);
  if (s < 0) { show("accept", -1); return 1; }
  char text[INET6_ADDRSTRLEN];
  inet_ntop(peer.ss_family, six ? (void *)&((struct sockaddr_in6 *)&peer)->sin6_addr : (void *)&((struct sockaddr_in *)&peer)->sin_addr, text, sizeof text);
  printf("peer %s\n", text);
  char buf[4096];
  long total = 0;
  ssize_t n;
  while ((n = read(s, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < n; i++) buf[i] = toupper((unsigned char)buf[i]);
    if (write(s, buf, n) != n) { show("write", -1); return 1; }
    total += n;
  }
  printf("served %ld bytes\n", total);
  close(s);
  close(l);
  return 0;
}
