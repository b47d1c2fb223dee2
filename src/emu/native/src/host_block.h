// Host memory behind one guest mapping. Two owners hold it: the engine (while Unicorn maps it) and the
// JS ArrayBuffer over it (until its finalizer runs). The memory is munmapped only when both let go, so
// neither Unicorn nor JS can ever touch freed memory.
#pragma once
#include <napi.h>

#include <cstddef>
#include <cstdint>

namespace pbash {

class HostBlock {
 public:
  // V8's largest ArrayBuffer (Node 20, 64-bit): 4 GiB. Bigger guest regions need several blocks.
  static constexpr size_t kMaxView = size_t(1) << 32;
  // A zeroed, reserve-only block (MAP_NORESERVE: no host memory until touched). Throws on failure.
  static HostBlock* create(Napi::Env env, size_t len);
  uint8_t* host() const { return host_; }
  size_t len() const { return len_; }
  // An external ArrayBuffer over the whole block; takes the JS reference.
  Napi::ArrayBuffer arrayBuffer(Napi::Env env);
  void release();  // drop one reference; frees the memory at zero

 private:
  HostBlock(uint8_t* host, size_t len) : host_(host), len_(len), refs_(1) {}
  uint8_t* host_;
  size_t len_;
  int refs_;  // single-threaded: the JS main thread both maps and finalizes
};

}  // namespace pbash
