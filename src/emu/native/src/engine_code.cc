// Translated code kept across memory changes that leave its bytes alone. Unicorn's translation cache
// belongs to one engine, so every execve and fork used to translate ld.so, libc and the program again
// (about half of a spawn's time). Engines are reused instead (src/emu/mm/engine-pool.ts): code survives
// a change of the memory under it exactly when the bytes it was translated from are unchanged.
//
// The rules that keep reused code exact:
// - P_CODE marks every page that may hold code (the fill hook sets it when it hands a page out
//   executable); writes that change a P_CODE page's bytes drop its code first: load() and copyFrom()
//   compare, discard() and flushCode() always drop, guest stores are caught by Unicorn itself.
// - Code runs only from executable pages, so code may stay on a page that is not: Unicorn looks a block
//   up with both its pages checked for EXEC (every permission change flushes the TLB and its jump cache),
//   and direct jumps between blocks stay inside one page (it never chains into a block spanning two).
// - protect() keeps code only on pages executable before and after: a page that gains EXEC may have been
//   rewritten by JS while it was not executable (JS flushes code only on executable pages).
#include <sys/mman.h>

#include <cstring>
#include <vector>

#include "engine.h"

namespace pbash {

static constexpr uint64_t kPage = 4096;
static const uint8_t kZero[kPage] = {};

// Drop the code of the P_CODE pages of [addr, addr+len) for which keep(page) is false, in runs split at
// block boundaries (ram addresses are contiguous only inside one block). UC_CTL_TB_REMOVE_CACHE looks
// the run's first page up as code through the TLB (the fill hook answers it while invalidating_).
template <class Keep>
void Engine::dropCodeUnless(uint64_t addr, uint64_t len, Keep keep) {
  bool any = false;
  invalidating_ = true;
  eachBlock(addr, len, [&](uint64_t guest, uint8_t*, uint64_t n) {
    uint64_t end = guest + n, p = guest;
    auto drop = [&](uint64_t q) { uint8_t b = perms_.get(q); return (b & P_CODE) && !keep(q, b); };
    while (p < end) {
      p = perms_.find(p, end, P_CODE);
      while (p < end && !drop(p)) p = perms_.find(p + kPage, end, P_CODE);
      uint64_t s = p;
      while (p < end && drop(p)) p += kPage;
      if (s < p) {
        uc_ctl_remove_cache(uc_, s, p);
        perms_.update(s, p - s, P_CODE, 0);
        any = true;
      }
    }
  });
  invalidating_ = false;
  if (any) uc_ctl_flush_tlb(uc_);
}

void Engine::invalidateCode(uint64_t addr, uint64_t len) {
  dropCodeUnless(addr, len, [](uint64_t, uint8_t) { return false; });
}

void Engine::invalidateCodeLosing(uint64_t addr, uint64_t len, uint8_t prot) {
  dropCodeUnless(addr, len, [&](uint64_t, uint8_t b) { return (b & P_EXEC) && (prot & P_EXEC); });
}

// Does the page at host pointer h hold exactly src[0..n) followed by zeros?
static bool samePage(const uint8_t* h, const uint8_t* src, uint64_t n) {
  return memcmp(h, src, n) == 0 && memcmp(h + n, kZero, kPage - n) == 0;
}

// load(addr, bytes, prot): the pages [addr, addr + bytes rounded up to pages) become `bytes` followed by
// zeros, with page permissions `prot`; code survives on the pages whose bytes do not change. The range
// must be backed (Backing.ensure). Mapping a file (AddressSpace.fillFromFile) goes through here.
Napi::Value Engine::load(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uc_engine* uc = live(env);
  uint64_t addr = toU64(info[0], "addr");
  if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    throw Napi::TypeError::New(env, "pbash: load needs a Uint8Array");
  Napi::Uint8Array data = info[1].As<Napi::Uint8Array>();
  uint8_t prot = uint8_t(toU64(info[2], "prot") & P_PROT);
  uint64_t n = data.ByteLength(), len = (n + kPage - 1) & ~(kPage - 1);
  if (addr & (kPage - 1) || len == 0 || addr >= PermTable::kLimit || len > PermTable::kLimit - addr)
    throw Napi::RangeError::New(env, "pbash: load: the range must be page-aligned, non-empty and below 2^47");
  uint64_t backed = 0;
  eachBlock(addr, len, [&](uint64_t, uint8_t*, uint64_t k) { backed += k; });
  if (backed != len) throw Napi::RangeError::New(env, "pbash: load: the range is not backed by blocks");
  const uint8_t* src = data.Data();
  auto bytesAt = [&](uint64_t p) { uint64_t o = p - addr; return o < n ? (n - o < kPage ? n - o : kPage) : 0; };
  // Which pages keep their bytes: only those may keep code. Decided before anything is written.
  std::vector<uint8_t> same(len / kPage, 0);
  eachBlock(addr, len, [&](uint64_t guest, uint8_t* host, uint64_t k) {
    for (uint64_t o = 0; o < k; o += kPage) {
      uint64_t p = guest + o;
      if (perms_.get(p) & P_CODE) same[(p - addr) / kPage] = samePage(host + o, src + (p - addr), bytesAt(p));
    }
  });
  dropCodeUnless(addr, len, [&](uint64_t p, uint8_t) { return same[(p - addr) / kPage] != 0; });
  eachBlock(addr, len, [&](uint64_t guest, uint8_t* host, uint64_t k) {
    for (uint64_t o = 0; o < k; o += kPage) {
      uint64_t p = guest + o, m = bytesAt(p);
      if (same[(p - addr) / kPage]) continue;
      memcpy(host + o, src + (p - addr), m);
      memset(host + o + m, 0, kPage - m);
    }
  });
  perms_.update(addr, len, P_PROT, prot);
  uc_ctl_flush_tlb(uc);
  return env.Undefined();
}

// copyFrom(source, addr, len): [addr, addr+len), backed by blocks in both engines, becomes a copy of the
// source engine's: bytes (pages not resident there read as zero) and page permissions. Code survives on
// the pages whose bytes do not change. fork(2) copies an address space this way (src/emu/mm/fork.ts).
Napi::Value Engine::copyFrom(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uc_engine* uc = live(env);
  if (!info[0].IsObject() || !info[0].As<Napi::Object>().InstanceOf(env.GetInstanceData<AddonData>()->engine.Value()))
    throw Napi::TypeError::New(env, "pbash: copyFrom needs another engine");
  Engine* from = Engine::Unwrap(info[0].As<Napi::Object>());
  from->live(env);
  if (from == this) throw Napi::Error::New(env, "pbash: copyFrom: an engine cannot copy from itself");
  uint64_t addr = toU64(info[1], "addr"), len = toU64(info[2], "len");
  if ((addr | len) & (kPage - 1) || len == 0 || addr >= PermTable::kLimit || len > PermTable::kLimit - addr)
    throw Napi::RangeError::New(env, "pbash: copyFrom: the range must be page-aligned, non-empty and below 2^47");
  uint64_t backedHere = 0, backedThere = 0;
  eachBlock(addr, len, [&](uint64_t, uint8_t*, uint64_t k) { backedHere += k; });
  from->eachBlock(addr, len, [&](uint64_t, uint8_t*, uint64_t k) { backedThere += k; });
  if (backedHere != len || backedThere != len)
    throw Napi::RangeError::New(env, "pbash: copyFrom: the range is not backed in both engines");

  // Per page: the source's host pointer (null: not resident, reads as zero) and this engine's.
  uint64_t pages = len / kPage;
  std::vector<const uint8_t*> srcPage(pages, nullptr);
  std::vector<uint8_t*> dstPage(pages, nullptr);
  std::vector<unsigned char> resident;
  from->eachBlock(addr, len, [&](uint64_t guest, uint8_t* host, uint64_t k) {
    resident.resize(k / kPage);
    if (mincore(host, k, resident.data()) != 0) throw Napi::Error::New(env, "pbash: mincore failed");
    for (uint64_t i = 0; i < k / kPage; i++)
      if (resident[i] & 1) srcPage[(guest - addr) / kPage + i] = host + i * kPage;
  });
  eachBlock(addr, len, [&](uint64_t guest, uint8_t* host, uint64_t k) {
    for (uint64_t i = 0; i < k / kPage; i++) dstPage[(guest - addr) / kPage + i] = host + i * kPage;
  });
  std::vector<uint8_t> same(pages, 0);
  for (uint64_t i = 0; i < pages; i++) {
    if (!(perms_.get(addr + i * kPage) & P_CODE)) continue;
    same[i] = samePage(dstPage[i], srcPage[i] ? srcPage[i] : kZero, kPage);
  }
  dropCodeUnless(addr, len, [&](uint64_t p, uint8_t) { return same[(p - addr) / kPage] != 0; });
  // Bytes: resident source pages are copied; the others are zero here too (dropped if resident).
  resident.resize(pages);
  eachBlock(addr, len, [&](uint64_t guest, uint8_t* host, uint64_t k) {
    if (mincore(host, k, resident.data() + (guest - addr) / kPage) != 0) throw Napi::Error::New(env, "pbash: mincore failed");
  });
  for (uint64_t i = 0; i < pages;) {
    if (same[i]) { i++; continue; }
    if (srcPage[i]) { memcpy(dstPage[i], srcPage[i], kPage); i++; continue; }
    uint64_t j = i;
    while (j < pages && !same[j] && !srcPage[j] && dstPage[j] == dstPage[i] + (j - i) * kPage) j++;
    bool any = false;
    for (uint64_t q = i; q < j && !any; q++) any = resident[q] & 1;
    if (any && madvise(dstPage[i], (j - i) * kPage, MADV_DONTNEED) != 0)
      throw Napi::Error::New(env, "pbash: madvise(MADV_DONTNEED) failed");
    i = j;
  }
  // Permissions, in runs of equal protection.
  for (uint64_t i = 0; i < pages;) {
    uint8_t prot = from->perms_.get(addr + i * kPage) & P_PROT;
    uint64_t j = i + 1;
    while (j < pages && (from->perms_.get(addr + j * kPage) & P_PROT) == prot) j++;
    perms_.update(addr + i * kPage, (j - i) * kPage, P_PROT, prot);
    i = j;
  }
  uc_ctl_flush_tlb(uc);
  return env.Undefined();
}

// recycle(): make the engine as good as new for another process, keeping its translated code: CPU state
// of a new engine, every page without access, pages that may hold code keep their bytes (load and
// copyFrom decide later whether the code is still good), all others dropped (zero). Blocks stay mapped.
Napi::Value Engine::recycle(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uc_engine* uc = live(env);
  if (running_) throw Napi::Error::New(env, "pbash: recycle: the engine is running");
  while (!shared_.empty()) {  // the next process must not see the last one's shared memory
    auto [s, e] = *shared_.begin();
    invalidateCode(s, e - s);
    unshare(env, s, e - s);
  }
  for (auto& [start, block] : blocks_) {
    uint8_t* host = block->host();
    uint64_t n = block->len();
    for (uint64_t o = 0; o < n;) {
      if (perms_.get(start + o) & P_CODE) { o += kPage; continue; }
      uint64_t s = o;
      o = perms_.find(start + o, start + n, P_CODE) - start;
      if (madvise(host + s, o - s, MADV_DONTNEED) != 0) throw Napi::Error::New(env, "pbash: madvise(MADV_DONTNEED) failed");
    }
    perms_.update(start, n, P_PROT, 0);
  }
  uc_ctl_flush_tlb(uc);
  check(env, uc_context_restore(uc, fresh_), "uc_context_restore");
  return env.Undefined();
}

// hasCode(addr, len): whether any page of the range may hold translated code.
Napi::Value Engine::hasCode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  live(env);
  uint64_t addr = toU64(info[0], "addr"), len = toU64(info[1], "len");
  if ((addr | len) & (kPage - 1) || addr >= PermTable::kLimit || len > PermTable::kLimit - addr)
    throw Napi::RangeError::New(env, "pbash: hasCode: the range must be page-aligned and below 2^47");
  return Napi::Boolean::New(env, perms_.find(addr, addr + len, P_CODE) < addr + len);
}

}  // namespace pbash
