// Host calls Node's fs lacks: mknod(2), for the hostfs's FIFOs (mkfifo in a --root directory); a zero-timeout
// poll(2), for the readiness of the host's standard streams right now; and utimensat(2) with nanoseconds and
// times before 1970 (node:fs takes seconds as a double, rounds to microseconds and turns negative times into now);
// lseek(2), so a host file given as a standard stream keeps the offset it shares with other holders of it.
#include <napi.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
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

// hostUtimens(path: Buffer, atimeSec, atimeNsec, mtimeSec, mtimeNsec) -> 0 or the host errno; a final
// symlink is not followed, a nsec of UTIME_OMIT leaves that time alone
static Napi::Value hostUtimens(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !info[0].IsBuffer()) throw Napi::TypeError::New(env, "hostUtimens(path: Buffer, as, ans, ms, mns)");
  for (size_t i = 1; i < 5; i++)
    if (!info[i].IsNumber()) throw Napi::TypeError::New(env, "hostUtimens: times are numbers");
  auto buf = info[0].As<Napi::Buffer<char>>();
  std::string path(buf.Data(), buf.Length());
  if (path.find('\0') != std::string::npos) return Napi::Number::New(env, EINVAL);
  struct timespec ts[2];
  ts[0].tv_sec = info[1].As<Napi::Number>().Int64Value();
  ts[0].tv_nsec = info[2].As<Napi::Number>().Int64Value();
  ts[1].tv_sec = info[3].As<Napi::Number>().Int64Value();
  ts[1].tv_nsec = info[4].As<Napi::Number>().Int64Value();
  int r = utimensat(AT_FDCWD, path.c_str(), ts, AT_SYMLINK_NOFOLLOW);
  return Napi::Number::New(env, r == 0 ? 0 : errno);
}

// hostSeek(fd: number, offset: number, whence: 0 SET | 1 CUR | 2 END) -> the new offset or -errno
static Napi::Value hostSeek(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber())
    throw Napi::TypeError::New(env, "hostSeek(fd: number, offset: number, whence: number)");
  static const int whences[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  uint32_t w = info[2].As<Napi::Number>().Uint32Value();
  if (w > 2) return Napi::Number::New(env, -EINVAL);
  off_t r = lseek(info[0].As<Napi::Number>().Int32Value(), static_cast<off_t>(info[1].As<Napi::Number>().Int64Value()), whences[w]);
  return Napi::Number::New(env, r < 0 ? -errno : static_cast<double>(r));
}

void defineHostFs(Napi::Env env, Napi::Object exports) {
  exports.Set("hostMknod", Napi::Function::New(env, hostMknod, "hostMknod"));
  exports.Set("hostPoll", Napi::Function::New(env, hostPoll, "hostPoll"));
  exports.Set("hostUtimens", Napi::Function::New(env, hostUtimens, "hostUtimens"));
  exports.Set("hostSeek", Napi::Function::New(env, hostSeek, "hostSeek"));
}

}  // namespace pbash
