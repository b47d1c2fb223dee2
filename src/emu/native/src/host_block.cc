#include "host_block.h"

#include <sys/mman.h>

namespace pbash {

HostBlock* HostBlock::create(Napi::Env env, size_t len) {
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw Napi::Error::New(env, "pbash: host mmap failed for guest memory");
  return new HostBlock(static_cast<uint8_t*>(p), len);  // the engine's reference
}

Napi::ArrayBuffer HostBlock::arrayBuffer(Napi::Env env) {
  refs_++;
  // No rollback if this throws: Node may already have run the finalizer on failure, and a leaked
  // reference is safe where a double release is not. (mapMemory keeps lengths within kMaxView.)
  // The finalizer runs on the JS thread when the buffer is collected (or at env teardown).
  return Napi::ArrayBuffer::New(env, host_, len_, [](Napi::Env, void*, HostBlock* b) { b->release(); }, this);
}

void HostBlock::release() {
  if (--refs_ > 0) return;
  munmap(host_, len_);
  delete this;
}

}  // namespace pbash
