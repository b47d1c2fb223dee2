// Guest memory: host blocks mapped with uc_mem_map_ptr, the permission table, and code invalidation.
#include <sys/mman.h>

#include <vector>

#include "engine.h"

namespace pbash {

static constexpr uint64_t kPage = 4096;

// A page-aligned, non-empty range inside user space, or a RangeError.
static void range(Napi::Env env, uint64_t addr, uint64_t len, const char* what) {
  if ((addr | len) & (kPage - 1) || len == 0 || addr >= PermTable::kLimit || len > PermTable::kLimit - addr)
    throw Napi::RangeError::New(env, std::string("pbash: ") + what + ": range must be page-aligned, non-empty and below 2^47");
}

// mapMemory(addr, len, prot = 0): a fresh zeroed block at addr. Returns the external ArrayBuffer over it.
Napi::Value Engine::mapMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uc_engine* uc = live(env);
  uint64_t addr = toU64(info[0], "addr"), len = toU64(info[1], "len");
  uint8_t prot = info[2].IsUndefined() ? 0 : uint8_t(toU64(info[2], "prot") & P_PROT);
  range(env, addr, len, "mapMemory");
  if (len > HostBlock::kMaxView)
    throw Napi::RangeError::New(env, "pbash: mapMemory: at most 4 GiB per block (the largest ArrayBuffer); map bigger regions as several blocks");
  HostBlock* b = HostBlock::create(env, len);
  uc_err err = uc_mem_map_ptr(uc, addr, len, UC_PROT_ALL, b->host());
  if (err != UC_ERR_OK) {
    b->release();
    check(env, err, "uc_mem_map_ptr");  // UC_ERR_MAP: overlaps an existing mapping
  }
  blocks_[addr] = b;
  perms_.update(addr, len, 0xff, P_MAPPED | prot);
  uc_ctl_flush_tlb(uc);
  return b->arrayBuffer(env);
}

// unmapMemory(addr, len): exactly one block previously returned by mapMemory.
Napi::Value Engine::unmapMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uc_engine* uc = live(env);
  uint64_t addr = toU64(info[0], "addr"), len = toU64(info[1], "len");
  auto it = blocks_.find(addr);
  if (it == blocks_.end() || it->second->len() != len)
    throw Napi::RangeError::New(env, "pbash: unmapMemory: not exactly a block made by mapMemory");
  invalidateCode(addr, len);  // Unicorn's own unmap-time invalidation skips non-executable pages
  check(env, uc_mem_unmap(uc, addr, len), "uc_mem_unmap");
  perms_.update(addr, len, 0xff, 0);
  markShared(addr, addr + len, false);  // its host range goes with the block
  uc_ctl_flush_tlb(uc);
  it->second->release();
  blocks_.erase(it);
  return env.Undefined();
}

// protect(addr, len, prot): page permissions (PROT bits) for mapped pages; takes effect at once.
Napi::Value Engine::protect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uc_engine* uc = live(env);
  uint64_t addr = toU64(info[0], "addr"), len = toU64(info[1], "len");
  uint8_t prot = uint8_t(toU64(info[2], "prot") & P_PROT);
  range(env, addr, len, "protect");
  invalidateCodeLosing(addr, len, prot);
  perms_.update(addr, len, P_PROT, prot);
  uc_ctl_flush_tlb(uc);
  return env.Undefined();
}

// protAt(addr): the table byte for one page (PROT bits | 8 when mapped); for tests and diagnostics.
Napi::Value Engine::protAt(const Napi::CallbackInfo& info) {
  live(info.Env());
  return Napi::Number::New(info.Env(), perms_.get(toU64(info[0], "addr")));
}

// discard(addr, len): drop the host pages (they read back as zero); holes in the range are skipped.
// Shared pages stop being shared (the shared object keeps its bytes).
Napi::Value Engine::discard(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  live(env);
  uint64_t addr = toU64(info[0], "addr"), len = toU64(info[1], "len");
  range(env, addr, len, "discard");
  invalidateCode(addr, len);  // the bytes change (to zero)
  unshare(env, addr, len);
  eachBlock(addr, len, [&](uint64_t, uint8_t* host, uint64_t n) {
    if (madvise(host, n, MADV_DONTNEED) != 0) throw Napi::Error::New(env, "pbash: madvise(MADV_DONTNEED) failed");
  });
  return env.Undefined();
}

// residency(addr, len): one byte per page, 1 when host memory backs it now (mincore).
Napi::Value Engine::residency(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  live(env);
  uint64_t addr = toU64(info[0], "addr"), len = toU64(info[1], "len");
  range(env, addr, len, "residency");
  Napi::Uint8Array out = Napi::Uint8Array::New(env, len / kPage);  // zeroed: holes stay 0
  std::vector<unsigned char> vec;
  eachBlock(addr, len, [&](uint64_t guest, uint8_t* host, uint64_t n) {
    vec.resize(n / kPage);
    if (mincore(host, n, vec.data()) != 0) throw Napi::Error::New(env, "pbash: mincore failed");
    for (size_t i = 0; i < vec.size(); i++) out[(guest - addr) / kPage + i] = vec[i] & 1;
  });
  return out;
}

// flushCode(addr, len): forget translated code for the range (the kernel rewrote memory under it).
Napi::Value Engine::flushCode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  live(env);
  uint64_t addr = toU64(info[0], "addr"), len = toU64(info[1], "len");
  range(env, addr, len, "flushCode");
  invalidateCode(addr, len);
  return env.Undefined();
}

}  // namespace pbash
