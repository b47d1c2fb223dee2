// Host calls Node's fs lacks: mknod(2), for the hostfs's FIFOs (mkfifo in a --root directory), and a
// zero-timeout poll(2), for the readiness of the host's standard streams right now.
#include <napi.h>
#include <errno.h>
#include <poll.h>
#include <sys/stat.h>
#include <string>

namespace pbash {

// hostMknod(path: Buffer, mode: number, dev: number) -> 0 or the host errno
static Napi::Value hostMknod(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsBuffer() || !info[1].IsNumber() || !info[2].IsNumber())
    throw Napi::TypeError::New(env, "hostMknod(path: Buffer, mode: number, dev: number)");
  auto buf = info[0].As<Napi::Buffer<char>>();
  std::string path(buf.Data(), buf.Length());
  if (path.find('\0') != std::string::npos) return Napi::Number::New(env, EINVAL);
  int r = mknod(path.c_str(), static_cast<mode_t>(info[1].As<Napi::Number>().Uint32Value()),
                static_cast<dev_t>(info[2].As<Napi::Number>().Int64Value()));
  return Napi::Number::New(env, r == 0 ? 0 : errno);
}

// hostPoll(fd: number) -> Linux poll bits the fd has now for input: POLLIN 0x1, POLLERR 0x8, POLLHUP 0x10
// (named here, so a host whose poll.h numbers them otherwise still answers in Linux terms); -errno on failure.
static Napi::Value hostPoll(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "hostPoll(fd: number)");
  struct pollfd p = {info[0].As<Napi::Number>().Int32Value(), POLLIN, 0};
  int r;
  do r = poll(&p, 1, 0); while (r < 0 && errno == EINTR);
  if (r < 0) return Napi::Number::New(env, -errno);
  int bits = (p.revents & POLLIN ? 0x1 : 0) | (p.revents & POLLERR ? 0x8 : 0) | (p.revents & POLLHUP ? 0x10 : 0);
  return Napi::Number::New(env, bits);
}

void defineHostFs(Napi::Env env, Napi::Object exports) {
  exports.Set("hostMknod", Napi::Function::New(env, hostMknod, "hostMknod"));
  exports.Set("hostPoll", Napi::Function::New(env, hostPoll, "hostPoll"));
}

}  // namespace pbash
