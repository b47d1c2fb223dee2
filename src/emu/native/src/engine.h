// One Unicorn x86-64 engine (one guest address space) as a JS object. Hooks live in C: the TLB fill
// answers from the permission table, SYSCALL enters JS once, interrupts are recorded and stop the run.
#pragma once
#include <atomic>
#include <napi.h>
#include <unicorn/unicorn.h>

#include <cstdint>
#include <map>

#include "host_block.h"
#include "perm_table.h"

namespace pbash {

class Engine : public Napi::ObjectWrap<Engine> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit Engine(const Napi::CallbackInfo& info);
  ~Engine() override;

 private:
  // engine.cc: lifecycle, hooks, run
  Napi::Value close(const Napi::CallbackInfo& info);
  Napi::Value onSyscall(const Napi::CallbackInfo& info);
  Napi::Value sysArgsBuffer(const Napi::CallbackInfo& info);
  Napi::Value stop(const Napi::CallbackInfo& info);
  Napi::Value run(const Napi::CallbackInfo& info);
  Napi::Value stopReason(Napi::Env env, uc_err err);
  // engine_memory.cc: mappings, protections, translated-code invalidation
  Napi::Value mapMemory(const Napi::CallbackInfo& info);
  Napi::Value unmapMemory(const Napi::CallbackInfo& info);
  Napi::Value protect(const Napi::CallbackInfo& info);
  Napi::Value discard(const Napi::CallbackInfo& info);
  Napi::Value residency(const Napi::CallbackInfo& info);
  Napi::Value flushCode(const Napi::CallbackInfo& info);
  Napi::Value protAt(const Napi::CallbackInfo& info);
  // engine_shared.cc: pages of the blocks that show a SharedMemory (MAP_SHARED between engines)
  Napi::Value mapShared(const Napi::CallbackInfo& info);
  void markShared(uint64_t start, uint64_t end, bool on);
  void unshare(Napi::Env env, uint64_t addr, uint64_t len);  // back to private zero pages
  // engine_code.cc: translated code kept across memory changes that leave its bytes alone (engine reuse)
  Napi::Value load(const Napi::CallbackInfo& info);
  Napi::Value copyFrom(const Napi::CallbackInfo& info);
  Napi::Value recycle(const Napi::CallbackInfo& info);
  Napi::Value hasCode(const Napi::CallbackInfo& info);
  void invalidateCode(uint64_t addr, uint64_t len);  // every page of the range
  void invalidateCodeLosing(uint64_t addr, uint64_t len, uint8_t prot);  // protect()'s rule
  template <class Keep> void dropCodeUnless(uint64_t addr, uint64_t len, Keep keep);

  // fn(guest address, host pointer, byte count) for each part of [addr, addr+len) that a block backs.
  template <class F>
  void eachBlock(uint64_t addr, uint64_t len, F fn) {
    uint64_t end = addr + len;
    auto it = blocks_.upper_bound(addr);
    if (it != blocks_.begin()) --it;
    for (; it != blocks_.end() && it->first < end; ++it) {
      uint64_t bs = it->first, be = bs + it->second->len();
      uint64_t s = addr > bs ? addr : bs, e = end < be ? end : be;
      if (s < e) fn(s, it->second->host() + (s - bs), e - s);
    }
  }
  // engine_regs.cc: registers and contexts
  Napi::Value regGet(const Napi::CallbackInfo& info);
  Napi::Value regSet(const Napi::CallbackInfo& info);
  Napi::Value regGetBytes(const Napi::CallbackInfo& info);
  Napi::Value regSetBytes(const Napi::CallbackInfo& info);
  Napi::Value regReadBatch(const Napi::CallbackInfo& info);
  Napi::Value regWriteBatch(const Napi::CallbackInfo& info);
  Napi::Value saveContext(const Napi::CallbackInfo& info);
  Napi::Value restoreContext(const Napi::CallbackInfo& info);

  static void hookSyscall(uc_engine* uc, void* self);
  static void hookIntr(uc_engine* uc, uint32_t intno, void* self);
  static void hookBlock(uc_engine* uc, uint64_t addr, uint32_t size, void* self);
  static bool hookTlbFill(uc_engine* uc, uint64_t addr, uc_mem_type type, uc_tlb_entry* out, void* self);
  static bool hookTrap(uc_engine* uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void* self);
  void exactFaultAddress();  // faultAddr_: the faulting byte, not its page (a re-run of the instruction)

  uc_engine* live(Napi::Env env);  // the engine, or a JS error after close()
  void shutdown();                 // uc_close + release every block (idempotent)
  uint64_t rip();

  uc_engine* uc_ = nullptr;
  uc_context* fresh_ = nullptr;  // the CPU state of a new engine, restored by recycle()
  PermTable perms_;
  std::map<uint64_t, HostBlock*> blocks_;  // guest address -> block mapped there (exact ranges)
  std::map<uint64_t, uint64_t> shared_;    // start -> end of the ranges showing shared memory
  Napi::FunctionReference syscallFn_;
  Napi::Reference<Napi::ArrayBuffer> sysArgsRef_;
  uint64_t* sysArgs_ = nullptr;  // 8 x u64 shared with JS: nr, a0..a5, spare

  // State of the current run(); reset at its start.
  napi_env runEnv_ = nullptr;
  bool running_ = false, userStop_ = false, jsThrew_ = false, closePending_ = false;
  bool inSyscall_ = false;     // inside the JS syscall handler: RIP reads/writes are adjusted by 2
  bool invalidating_ = false;  // flushCode in progress: the fill hook lets Unicorn look the code page up
  bool faulted_ = false, faultMapped_ = false, intr_ = false, timedOut_ = false;
  std::atomic<bool> sliceOver_{false};  // raised by the slice timer; acted on by the CPU thread
  uint64_t faultAddr_ = 0;
  bool probing_ = false, trapped_ = false;  // exactFaultAddress() in progress; its access reached the trap
  uint64_t trapOffset_ = 0;
  int probeBlocks_ = 0;
  uc_mem_type faultType_ = UC_MEM_READ;
  uint32_t intno_ = 0;
};

// The classes' constructors, per env (instance data), so worker threads work too.
struct AddonData {
  Napi::FunctionReference engine, context, shared;
};

// Engine-independent CPU state (uc_context), freed with its JS object.
class Context : public Napi::ObjectWrap<Context> {
 public:
  static Napi::Function define(Napi::Env env);
  static Napi::Function ctor(Napi::Env env);
  explicit Context(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Context>(info) {}
  ~Context() override;
  uc_context* ctx = nullptr;
};

// Throw a JS Error naming the failed Unicorn call.
void check(Napi::Env env, uc_err err, const char* what);
uint64_t toU64(Napi::Value v, const char* what);  // a Number (integral, >= 0) or BigInt

}  // namespace pbash
