// Host filesystem calls Node's fs lacks: mknod(2), for the hostfs's FIFOs (mkfifo in a --root directory).
#include <napi.h>
#include <errno.h>
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

void defineHostFs(Napi::Env env, Napi::Object exports) {
  exports.Set("hostMknod", Napi::Function::New(env, hostMknod, "hostMknod"));
}

}  // namespace pbash
