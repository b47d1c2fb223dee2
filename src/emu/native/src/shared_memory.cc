// SharedMemory: a host memfd (shm_open + shm_unlink elsewhere) sized in whole pages, never shrunk, so that
// no mapping of it ever reaches past its end (a host SIGBUS would end the daemon).
#include "shared_memory.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <vector>

#include "engine.h"

namespace pbash {

static constexpr uint64_t kPage = 4096;

static int createFd() {
#ifdef __linux__
  return memfd_create("pbash-shm", MFD_CLOEXEC);
#else
  static std::atomic<unsigned> seq{0};
  std::string name = "/pbash-shm-" + std::to_string(getpid()) + "-" + std::to_string(seq++);
  int fd = shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
  if (fd >= 0) shm_unlink(name.c_str());
  return fd;
#endif
}

Napi::Function SharedMemory::define(Napi::Env env) {
  return DefineClass(env, "SharedMemory", {
    InstanceMethod<&SharedMemory::getSize>("size"),
    InstanceMethod<&SharedMemory::grow>("grow"),
    InstanceMethod<&SharedMemory::buffer>("buffer"),
    InstanceMethod<&SharedMemory::close>("close"),
    InstanceMethod<&SharedMemory::resident>("resident"),
  });
}

Napi::Function SharedMemory::ctor(Napi::Env env) { return env.GetInstanceData<AddonData>()->shared.Value(); }

// new SharedMemory(len): zeroed, len rounded up to pages.
SharedMemory::SharedMemory(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SharedMemory>(info) {
  Napi::Env env = info.Env();
  uint64_t len = (toU64(info[0], "len") + kPage - 1) & ~(kPage - 1);
  fd_ = createFd();
  if (fd_ < 0) throw Napi::Error::New(env, "pbash: cannot create host shared memory");
  if (len && ftruncate(fd_, off_t(len)) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw Napi::Error::New(env, "pbash: cannot size host shared memory");
  }
  size_ = len;
}

SharedMemory::~SharedMemory() {
  if (fd_ >= 0) ::close(fd_);
}

Napi::Value SharedMemory::getSize(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(size_)); }

// grow(len): at least len bytes (rounded up to pages); never shrinks. Returns the size.
Napi::Value SharedMemory::grow(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t len = (toU64(info[0], "len") + kPage - 1) & ~(kPage - 1);
  if (fd_ < 0) throw Napi::Error::New(env, "pbash: shared memory is closed");
  if (len > size_) {
    if (ftruncate(fd_, off_t(len)) != 0) throw Napi::Error::New(env, "pbash: cannot grow host shared memory");
    size_ = len;
  }
  return Napi::Number::New(env, double(size_));
}

// buffer(): an external ArrayBuffer over the whole object as it is now (its own host mapping, unmapped
// when the buffer is collected). Later growth needs a new buffer.
Napi::Value SharedMemory::buffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (fd_ < 0) throw Napi::Error::New(env, "pbash: shared memory is closed");
  if (size_ == 0) return Napi::ArrayBuffer::New(env, 0);
  if (size_ > HostBlock::kMaxView) throw Napi::RangeError::New(env, "pbash: shared memory view larger than 4 GiB");
  void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (p == MAP_FAILED) throw Napi::Error::New(env, "pbash: host mmap of shared memory failed");
  struct Hint { size_t len; };
  return Napi::ArrayBuffer::New(env, p, size_, [](Napi::Env, void* data, Hint* h) {
    munmap(data, h->len);
    delete h;
  }, new Hint{size_t(size_)});
}

// resident(): how many of its pages hold memory (mincore over a transient mapping: the object's own pages).
Napi::Value SharedMemory::resident(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (fd_ < 0 || size_ == 0) return Napi::Number::New(env, 0);
  void* p = mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd_, 0);
  if (p == MAP_FAILED) throw Napi::Error::New(env, "pbash: host mmap of shared memory failed");
  std::vector<unsigned char> vec(size_ / kPage);
  int r = mincore(p, size_, vec.data());
  munmap(p, size_);
  if (r != 0) throw Napi::Error::New(env, "pbash: mincore failed");
  double n = 0;
  for (unsigned char c : vec) n += c & 1;
  return Napi::Number::New(env, n);
}

// close(): no more mappings will be made (existing ones keep the memory).
Napi::Value SharedMemory::close(const Napi::CallbackInfo& info) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  return info.Env().Undefined();
}

}  // namespace pbash
