// Names and options of a host socket a session hands the guest as a standard stream (node:net has no
// getsockname/getpeername/getsockopt on a bare fd). Answers are in Linux's terms whatever the host: a
// sockaddr laid out as on x86-64 Linux, Linux's family, type and option numbers.
#include <napi.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <vector>

namespace pbash {

static int linuxFamily(int f) {
  switch (f) {
    case AF_UNIX: return 1;
    case AF_INET: return 2;
    case AF_INET6: return 10;
    default: return -1;
  }
}

static int linuxType(int t) {
  switch (t) {
    case SOCK_STREAM: return 1;
    case SOCK_DGRAM: return 2;
    case SOCK_RAW: return 3;
    case SOCK_SEQPACKET: return 5;
    default: return t;
  }
}

// hostSockName(fd: number, peer: boolean) -> Buffer (a Linux sockaddr: AF_UNIX with its sun_path bytes,
// AF_INET 16 bytes, AF_INET6 28 bytes) or -errno (host numbering) on failure, -EAFNOSUPPORT for another family
static Napi::Value hostSockName(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsBoolean())
    throw Napi::TypeError::New(env, "hostSockName(fd: number, peer: boolean)");
  int fd = info[0].As<Napi::Number>().Int32Value();
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  socklen_t len = sizeof ss;
  int r = info[1].As<Napi::Boolean>().Value() ? getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len)
                                              : getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  if (r < 0) return Napi::Number::New(env, -errno);
  std::vector<uint8_t> out;
  int family = linuxFamily(ss.ss_family);
  if (family < 0) return Napi::Number::New(env, -EAFNOSUPPORT);
  out.push_back(static_cast<uint8_t>(family));
  out.push_back(0);
  if (ss.ss_family == AF_UNIX) {
    const auto* u = reinterpret_cast<const sockaddr_un*>(&ss);
    size_t off = offsetof(sockaddr_un, sun_path);
    size_t n = len > off ? len - off : 0;
    out.insert(out.end(), u->sun_path, u->sun_path + n);
  } else if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    const auto* port = reinterpret_cast<const uint8_t*>(&a->sin_port);
    const auto* addr = reinterpret_cast<const uint8_t*>(&a->sin_addr);
    out.insert(out.end(), port, port + 2);
    out.insert(out.end(), addr, addr + 4);
    out.resize(16, 0);
  } else {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    const auto* port = reinterpret_cast<const uint8_t*>(&a->sin6_port);
    const auto* flow = reinterpret_cast<const uint8_t*>(&a->sin6_flowinfo);
    const auto* addr = reinterpret_cast<const uint8_t*>(&a->sin6_addr);
    out.insert(out.end(), port, port + 2);
    out.insert(out.end(), flow, flow + 4);
    out.insert(out.end(), addr, addr + 16);
    uint32_t scope = a->sin6_scope_id;
    for (int i = 0; i < 4; i++) out.push_back(static_cast<uint8_t>(scope >> (8 * i)));  // host order, x86-64 LE
  }
  return Napi::Buffer<uint8_t>::Copy(env, out.data(), out.size());
}

// hostSockOpt(fd: number, opt: number) -> the int value of SOL_SOCKET option `opt` (a Linux number: SO_TYPE 3,
// SO_ERROR 4, SO_SNDBUF 7, SO_RCVBUF 8, SO_KEEPALIVE 9, SO_ACCEPTCONN 30, SO_PROTOCOL 38, SO_DOMAIN 39), or
// -errno (host numbering); another option is -ENOPROTOOPT. SO_ERROR's value is a host errno too.
static Napi::Value hostSockOpt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber())
    throw Napi::TypeError::New(env, "hostSockOpt(fd: number, opt: number)");
  int fd = info[0].As<Napi::Number>().Int32Value();
  int opt = info[1].As<Napi::Number>().Int32Value();
  if (opt == 39) {  // SO_DOMAIN: the family of the socket's own name (portable where SO_DOMAIN is not)
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0) return Napi::Number::New(env, -errno);
    int f = linuxFamily(ss.ss_family);
    return Napi::Number::New(env, f < 0 ? -EAFNOSUPPORT : f);
  }
  int name;
  switch (opt) {
    case 3: name = SO_TYPE; break;
    case 4: name = SO_ERROR; break;
    case 7: name = SO_SNDBUF; break;
    case 8: name = SO_RCVBUF; break;
    case 9: name = SO_KEEPALIVE; break;
    case 30: name = SO_ACCEPTCONN; break;
#ifdef SO_PROTOCOL
    case 38: name = SO_PROTOCOL; break;
#endif
    default: return Napi::Number::New(env, -ENOPROTOOPT);
  }
  int v = 0;
  socklen_t len = sizeof v;
  if (getsockopt(fd, SOL_SOCKET, name, &v, &len) < 0) return Napi::Number::New(env, -errno);
  if (opt == 3) v = linuxType(v);
  return Napi::Number::New(env, v);
}

void defineHostSocket(Napi::Env env, Napi::Object exports) {
  exports.Set("hostSockName", Napi::Function::New(env, hostSockName, "hostSockName"));
  exports.Set("hostSockOpt", Napi::Function::New(env, hostSockOpt, "hostSockOpt"));
}

}  // namespace pbash
