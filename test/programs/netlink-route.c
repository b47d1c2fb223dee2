// NETLINK_ROUTE as programs use it: getifaddrs (links and addresses, masks, broadcast), if_nameindex and
// if_nametoindex, and the raw protocol: port ids (the pid, then another), a link dump ending in NLMSG_DONE, a
// get by index with an ACK, errors as NLMSG_ERROR, MSG_PEEK|MSG_TRUNC sizes, and the socket calls netlink
// refuses. The interfaces are the host's: the same network namespace natively and under pbash.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "report.h"

static const char *addr_text(struct sockaddr *sa, char *buf, size_t n) {
  if (!sa) return "-";
  if (sa->sa_family == AF_INET) return inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr, buf, n);
  if (sa->sa_family == AF_INET6) return inet_ntop(AF_INET6, &((struct sockaddr_in6 *)sa)->sin6_addr, buf, n);
  if (sa->sa_family == AF_PACKET) {
    struct sockaddr_ll *ll = (struct sockaddr_ll *)sa;
    int k = snprintf(buf, n, "hatype %d index-ok %d mac", ll->sll_hatype, ll->sll_ifindex > 0);
    for (int i = 0; i < ll->sll_halen; i++) k += snprintf(buf + k, n - k, "%c%02x", i ? ':' : ' ', ll->sll_addr[i]);
    return buf;
  }
  snprintf(buf, n, "family %d", sa->sa_family);
  return buf;
}

/** The netdevice(7) requests of one interface: the device's through an AF_UNIX socket (as glibc's helpers use), addresses through AF_INET. */
static void ioctls(const char *name) {
  int s = socket(AF_UNIX, SOCK_DGRAM, 0);
  struct ifreq r;
  char a[128];
  memset(&r, 0, sizeof r);
  strncpy(r.ifr_name, name, IFNAMSIZ - 1);
  if (ioctl(s, SIOCGIFFLAGS, &r) == 0) printf("  %s SIOCGIFFLAGS %#x\n", name, (unsigned short)r.ifr_flags);
  if (ioctl(s, SIOCGIFMTU, &r) == 0) printf("  %s SIOCGIFMTU %d\n", name, r.ifr_mtu);
  if (ioctl(s, SIOCGIFHWADDR, &r) == 0) printf("  %s SIOCGIFHWADDR family %d\n", name, r.ifr_hwaddr.sa_family);
  strncpy(r.ifr_name, name, IFNAMSIZ - 1);
  if (ioctl(s, SIOCGIFADDR, &r) != 0) printf("  %s SIOCGIFADDR on AF_UNIX %s\n", name, strerrorname_np(errno));
  close(s);
  s = socket(AF_INET, SOCK_DGRAM, 0); // the address requests are the family's (inet_ioctl)
  int reqs[] = { SIOCGIFADDR, SIOCGIFNETMASK, SIOCGIFBRDADDR, SIOCGIFDSTADDR };
  const char *names[] = { "ADDR", "NETMASK", "BRDADDR", "DSTADDR" };
  for (int i = 0; i < 4; i++) {
    strncpy(r.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(s, reqs[i], &r) == 0) printf("  %s SIOCGIF%s %s\n", name, names[i], addr_text(&r.ifr_addr, a, sizeof a));
    else printf("  %s SIOCGIF%s %s\n", name, names[i], strerrorname_np(errno));
  }
  close(s);
}

static void ifconf(void) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct ifconf c = { .ifc_len = 0, .ifc_buf = NULL };
  show("SIOCGIFCONF size", ioctl(s, SIOCGIFCONF, &c));
  int need = c.ifc_len;
  struct ifreq rs[32];
  c.ifc_len = sizeof rs;
  c.ifc_req = rs;
  ioctl(s, SIOCGIFCONF, &c);
  printf("SIOCGIFCONF: %d entries, the size asked matches %d\n", c.ifc_len / (int)sizeof rs[0], need == c.ifc_len);
  char a[128];
  for (int i = 0; i < c.ifc_len / (int)sizeof rs[0]; i++) printf("  %s %s\n", rs[i].ifr_name, addr_text(&rs[i].ifr_addr, a, sizeof a));
  struct ifreq r = { .ifr_ifindex = 999999 };
  show("SIOCGIFNAME of no index", ioctl(s, SIOCGIFNAME, &r));
  strcpy(r.ifr_name, "nosuch0");
  show("SIOCGIFFLAGS of no name", ioctl(s, SIOCGIFFLAGS, &r));
  int fd = open("/dev/null", O_RDONLY);
  show("SIOCGIFFLAGS on a file", ioctl(fd, SIOCGIFFLAGS, &r));
  close(fd);
  close(s);
}

static void list_ifaddrs(void) {
  struct ifaddrs *ifa, *p;
  if (getifaddrs(&ifa) != 0) { printf("getifaddrs: %s\n", strerrorname_np(errno)); return; }
  for (p = ifa; p; p = p->ifa_next) {
    char a[128], m[128], b[128];
    printf("%s flags up %d loopback %d running %d broadcast %d: %s mask %s %s %s\n", p->ifa_name,
           !!(p->ifa_flags & IFF_UP), !!(p->ifa_flags & IFF_LOOPBACK), !!(p->ifa_flags & IFF_RUNNING),
           !!(p->ifa_flags & IFF_BROADCAST), addr_text(p->ifa_addr, a, sizeof a), addr_text(p->ifa_netmask, m, sizeof m),
           p->ifa_flags & IFF_BROADCAST ? "brd" : "dst", addr_text(p->ifa_broadaddr, b, sizeof b));
  }
  freeifaddrs(ifa);
}

static void list_nameindex(void) {
  struct if_nameindex *ni = if_nameindex(), *p;
  if (!ni) { printf("if_nameindex: %s\n", strerrorname_np(errno)); return; }
  for (p = ni; p->if_index; p++) ioctls(p->if_name);
  for (p = ni; p->if_index; p++) printf("if %s: nametoindex agrees %d, indextoname agrees %d\n", p->if_name,
                                          if_nametoindex(p->if_name) == p->if_index, ({ char n[IF_NAMESIZE]; if_indextoname(p->if_index, n) && !strcmp(n, p->if_name); }));
  if_freenameindex(ni);
  unsigned none = if_nametoindex("nosuch0");
  printf("nametoindex(nosuch): %u %s\n", none, strerrorname_np(errno));
}

struct req { struct nlmsghdr h; struct ifinfomsg i; };

static int request(int fd, int type, int flags, int index, unsigned seq) {
  struct req r = { .h = { .nlmsg_len = sizeof r, .nlmsg_type = type, .nlmsg_flags = NLM_F_REQUEST | flags, .nlmsg_seq = seq },
                   .i = { .ifi_family = AF_UNSPEC, .ifi_index = index } };
  struct sockaddr_nl to = { .nl_family = AF_NETLINK };
  return sendto(fd, &r, sizeof r, 0, (struct sockaddr *)&to, sizeof to);
}

/** Read replies until NLMSG_DONE, an error or an ACK (or the one reply of a get without ACK); describe them. */
static void replies(int fd, const char *what, unsigned seq, int ack) {
  int links = 0, done = 0, other = 0, seq_ok = 1, from_kernel = 1, grams = 0;
  char buf[32768];
  while (!done) {
    struct sockaddr_nl from;
    struct iovec iov = { buf, sizeof buf };
    struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1 };
    ssize_t n = recvmsg(fd, &msg, 0);
    if (n < 0) { printf("%s: recvmsg %s\n", what, strerrorname_np(errno)); return; }
    grams++;
    from_kernel &= msg.msg_namelen == sizeof from && from.nl_family == AF_NETLINK && from.nl_pid == 0;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
      seq_ok &= h->nlmsg_seq == seq;
      if (h->nlmsg_type == NLMSG_DONE) done = 1;
      else if (h->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr *e = NLMSG_DATA(h);
        printf("%s: NLMSG_ERROR %s, request echoed %d, payload %s\n", what, e->error ? strerrorname_np(-e->error) : "0 (ACK)",
               e->msg.nlmsg_seq == seq, h->nlmsg_flags & NLM_F_CAPPED ? "capped" : "included");
        done = 1;
      } else if (h->nlmsg_type == RTM_NEWLINK) {
        struct ifinfomsg *i = NLMSG_DATA(h);
        links++;
        if (!(h->nlmsg_flags & NLM_F_MULTI)) {
          printf("%s: one link, index %s\n", what, i->ifi_index > 0 ? "positive" : "bad");
          done |= !ack;
        }
      } else other++;
    }
  }
  printf("%s: links %d, other %d, sequence echoed %d, from the kernel %d, datagrams >= 1 %d\n", what, links, other, seq_ok, from_kernel, grams >= 1);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  list_ifaddrs();
  list_nameindex();
  ifconf();

  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  struct sockaddr_nl me = { .nl_family = AF_NETLINK };
  show("bind", bind(fd, (struct sockaddr *)&me, sizeof me));
  socklen_t len = sizeof me;
  getsockname(fd, (struct sockaddr *)&me, &len);
  printf("port id is the pid: %d, len %u\n", me.nl_pid == (unsigned)getpid(), len);
  int fd2 = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
  struct sockaddr_nl me2 = { .nl_family = AF_NETLINK, .nl_pid = getpid() };
  show("bind a taken port", bind(fd2, (struct sockaddr *)&me2, sizeof me2));
  me2.nl_pid = 0;
  show("autobind", bind(fd2, (struct sockaddr *)&me2, sizeof me2));
  len = sizeof me2;
  getsockname(fd2, (struct sockaddr *)&me2, &len);
  printf("second port differs: %d\n", me2.nl_pid != me.nl_pid && me2.nl_pid != 0);

  request(fd, RTM_GETLINK, NLM_F_DUMP, 0, 7);
  // the first datagram's size without taking it
  char tiny[16];
  ssize_t whole = recv(fd, tiny, sizeof tiny, MSG_PEEK | MSG_TRUNC);
  printf("MSG_PEEK|MSG_TRUNC gives more than 16: %d\n", whole > 16);
  replies(fd, "link dump", 7, 0);
  request(fd, RTM_GETLINK, NLM_F_ACK, (int)if_nametoindex("lo"), 8);
  replies(fd, "get lo with ACK", 8, 1);
  request(fd, RTM_GETLINK, 0, (int)if_nametoindex("lo"), 11);
  replies(fd, "get lo", 11, 0);
  request(fd, RTM_GETLINK, 0, 99999, 9);
  replies(fd, "get 99999", 9, 0);
  request(fd, 0x7fff, 0, 0, 10);
  replies(fd, "type 0x7fff", 10, 0);
  char buf[64];
  show("nonblocking recv of nothing", recv(fd, buf, sizeof buf, MSG_DONTWAIT));
  show("listen", listen(fd, 1));
  show("shutdown", shutdown(fd, SHUT_RD));
  int sv[2];
  show("socketpair", socketpair(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, sv));
  show("socket SOCK_STREAM", socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE));
  int type = 0;
  len = sizeof type;
  getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
  printf("SO_TYPE raw %d\n", type == SOCK_RAW);
  close(fd);
  close(fd2);
  return 0;
}
