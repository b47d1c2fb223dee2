#include "perm_table.h"

#include <cstdlib>
#include <cstring>

namespace pbash {

static constexpr uint64_t kLeafPages = 1 << 12;
static inline uintptr_t uniform(uint8_t v) { return (uintptr_t(v) << 1) | 1; }

PermTable::PermTable() { memset(top_, 0, sizeof top_); }

PermTable::~PermTable() {
  for (uintptr_t* mid : top_) {
    if (!mid) continue;
    for (uint64_t i = 0; i < 4096; i++)
      if (mid[i] && !(mid[i] & 1)) free(reinterpret_cast<void*>(mid[i]));
    free(mid);
  }
}

void PermTable::update(uint64_t addr, uint64_t len, uint8_t mask, uint8_t value) {
  uint64_t p = addr >> 12, end = (addr + len) >> 12;
  while (p < end) {
    uintptr_t*& mid = top_[p >> 24];
    if (!mid) {
      mid = static_cast<uintptr_t*>(calloc(4096, sizeof(uintptr_t)));  // all entries: 0 = no access
      if (!mid) abort();
    }
    uintptr_t& e = mid[(p >> 12) & 0xfff];
    uint64_t first = p & 0xfff, n = kLeafPages - first;
    if (n > end - p) n = end - p;
    if (n == kLeafPages && (e == 0 || (e & 1))) {
      // Whole 16 MiB chunk with a uniform value: stays uniform, no leaf.
      e = uniform(uint8_t(((e >> 1) & ~mask) | value));
    } else {
      if (e == 0 || (e & 1)) {
        auto* leaf = static_cast<uint8_t*>(malloc(kLeafPages));
        if (!leaf) abort();
        memset(leaf, e ? int(e >> 1) : 0, kLeafPages);
        e = reinterpret_cast<uintptr_t>(leaf);
      }
      auto* leaf = reinterpret_cast<uint8_t*>(e);
      for (uint64_t i = first; i < first + n; i++) leaf[i] = uint8_t((leaf[i] & ~mask) | value);
      // Collapse a leaf that became uniform (e.g. after unmapping), so memory returns.
      bool same = true;
      for (uint64_t i = 1; i < kLeafPages && same; i++) same = leaf[i] == leaf[0];
      if (same) {
        uint8_t v = leaf[0];
        free(leaf);
        e = uniform(v);
      }
    }
    p += n;
  }
}

uint64_t PermTable::find(uint64_t addr, uint64_t end, uint8_t bits) const {
  if (end > kLimit) end = kLimit;
  uint64_t p = addr >> 12, last = end >> 12;
  while (p < last) {
    const uintptr_t* mid = top_[p >> 24];
    uintptr_t e = mid ? mid[(p >> 12) & 0xfff] : 0;
    uint64_t chunkEnd = ((p >> 12) + 1) << 12;
    if (chunkEnd > last) chunkEnd = last;
    if (e == 0 || (e & 1)) {
      if (uint8_t(e >> 1) & bits) return p << 12;
      p = chunkEnd;
      continue;
    }
    const uint8_t* leaf = reinterpret_cast<const uint8_t*>(e);
    for (; p < chunkEnd; p++)
      if (leaf[p & 0xfff] & bits) return p << 12;
  }
  return end;
}

}  // namespace pbash
