// Shared pages in an engine: parts of its blocks whose host pages are a SharedMemory's (mmap MAP_FIXED of
// the shared fd over the block's host range). Unicorn's host pointers stay the same, so nothing is
// unmapped from the engine; unsharing maps fresh private zero pages back.
#include <sys/mman.h>

#include <algorithm>
#include <iterator>

#include "engine.h"
#include "shared_memory.h"

namespace pbash {

static constexpr uint64_t kPage = 4096;

// mapShared(addr, len, shm, offset): [addr, addr+len) (backed by blocks) shows shm's bytes from offset.
Napi::Value Engine::mapShared(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uc_engine* uc = live(env);
  if (!info[2].IsObject() || !info[2].As<Napi::Object>().InstanceOf(SharedMemory::ctor(env)))
    throw Napi::TypeError::New(env, "pbash: mapShared needs a SharedMemory");
  SharedMemory* shm = SharedMemory::Unwrap(info[2].As<Napi::Object>());
  uint64_t addr = toU64(info[0], "addr"), len = toU64(info[1], "len"), off = toU64(info[3], "offset");
  if ((addr | len | off) & (kPage - 1) || len == 0 || addr >= PermTable::kLimit || len > PermTable::kLimit - addr)
    throw Napi::RangeError::New(env, "pbash: mapShared: the range must be page-aligned, non-empty and below 2^47");
  if (shm->fd() < 0) throw Napi::Error::New(env, "pbash: mapShared: the shared memory is closed");
  if (off > shm->size() || len > shm->size() - off)
    throw Napi::RangeError::New(env, "pbash: mapShared: the range reaches past the shared memory");
  uint64_t backed = 0;
  eachBlock(addr, len, [&](uint64_t, uint8_t*, uint64_t n) { backed += n; });
  if (backed != len) throw Napi::RangeError::New(env, "pbash: mapShared: the range is not backed by blocks");
  invalidateCode(addr, len);  // the bytes become the shared object's
  eachBlock(addr, len, [&](uint64_t guest, uint8_t* host, uint64_t n) {
    void* p = mmap(host, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, shm->fd(), off_t(off + (guest - addr)));
    if (p == MAP_FAILED) throw Napi::Error::New(env, "pbash: host mmap of shared memory failed");
  });
  markShared(addr, addr + len, true);
  uc_ctl_flush_tlb(uc);
  return env.Undefined();
}

// Record [s, e) as shared (or not); page granular.
void Engine::markShared(uint64_t s, uint64_t e, bool on) {
  auto it = shared_.lower_bound(s);
  if (it != shared_.begin() && std::prev(it)->second > s) --it;
  while (it != shared_.end() && it->first < e) {
    uint64_t a = it->first, b = it->second;
    it = shared_.erase(it);
    if (a < s) shared_[a] = s;
    if (b > e) shared_[e] = b;
  }
  if (on) shared_[s] = e;
}

// The shared parts of [addr, addr+len) get private zero pages again (no longer the shared object's).
void Engine::unshare(Napi::Env env, uint64_t addr, uint64_t len) {
  uint64_t end = addr + len;
  auto it = shared_.lower_bound(addr);
  if (it != shared_.begin() && std::prev(it)->second > addr) --it;
  bool any = false;
  for (; it != shared_.end() && it->first < end; ++it) {
    uint64_t s = std::max(it->first, addr), e = std::min(it->second, end);
    if (s >= e) continue;
    any = true;
    eachBlock(s, e - s, [&](uint64_t, uint8_t* host, uint64_t n) {
      void* p = mmap(host, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
      if (p == MAP_FAILED) throw Napi::Error::New(env, "pbash: host mmap failed while unsharing guest memory");
    });
  }
  if (any) {
    markShared(addr, end, false);
    if (uc_) uc_ctl_flush_tlb(uc_);
  }
}

}  // namespace pbash
