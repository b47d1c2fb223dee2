// Page permission table for the 47-bit user address space (4 KiB pages), read by the TLB fill hook.
// Three levels: top (11 bits) -> mid (12 bits) -> leaf (12 bits, one byte per page). A mid entry is
// either a leaf pointer or a tagged uniform value, so a GiB-sized reservation costs a few KiB, not a
// byte per page.
#pragma once
#include <cstdint>

namespace pbash {

// P_CODE: the page may hold translated code (the TLB has let it be executable since its code was last
// dropped): set by the fill hook, cleared when the engine invalidates the page's code.
enum : uint8_t { P_READ = 1, P_WRITE = 2, P_EXEC = 4, P_PROT = 7, P_MAPPED = 8, P_CODE = 16 };

class PermTable {
 public:
  static constexpr uint64_t kLimit = 1ull << 47;  // first address past user space
  PermTable();
  ~PermTable();
  PermTable(const PermTable&) = delete;
  PermTable& operator=(const PermTable&) = delete;

  // The byte for the page holding addr (0 outside user space).
  uint8_t get(uint64_t addr) const {
    if (addr >= kLimit) return 0;
    uint64_t p = addr >> 12;
    const uintptr_t* mid = top_[p >> 24];
    if (!mid) return 0;
    uintptr_t e = mid[(p >> 12) & 0xfff];
    if (e & 1) return uint8_t(e >> 1);
    return e ? reinterpret_cast<const uint8_t*>(e)[p & 0xfff] : 0;
  }
  // For every page in [addr, addr+len): byte = (byte & ~mask) | value. Page-aligned, inside kLimit.
  void update(uint64_t addr, uint64_t len, uint8_t mask, uint8_t value);
  // The first page in [addr, end) whose byte has any of `bits`, else end (uniform 16 MiB chunks at once).
  uint64_t find(uint64_t addr, uint64_t end, uint8_t bits) const;

 private:
  uintptr_t* top_[1 << 11];
};

}  // namespace pbash
