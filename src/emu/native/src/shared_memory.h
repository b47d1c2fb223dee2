// Host memory that several guest address spaces map at once (MAP_SHARED, SysV shm, shared file pages):
// a host shared-memory file (memfd) mapped over the pages of each engine's blocks, so Unicorn's host
// pointers stay the same while the pages behind them become the shared ones. The fd is needed only to map
// more; the host kernel keeps the pages while any mapping or the fd remains.
#pragma once
#include <napi.h>

#include <cstdint>

namespace pbash {

class SharedMemory : public Napi::ObjectWrap<SharedMemory> {
 public:
  static Napi::Function define(Napi::Env env);
  static Napi::Function ctor(Napi::Env env);
  explicit SharedMemory(const Napi::CallbackInfo& info);
  ~SharedMemory() override;
  // The host fd (or -1 once closed) and size in bytes.
  int fd() const { return fd_; }
  uint64_t size() const { return size_; }

 private:
  Napi::Value getSize(const Napi::CallbackInfo& info);
  Napi::Value grow(const Napi::CallbackInfo& info);
  Napi::Value buffer(const Napi::CallbackInfo& info);
  Napi::Value close(const Napi::CallbackInfo& info);
  Napi::Value resident(const Napi::CallbackInfo& info);
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace pbash
