// Engine lifecycle, the three C hooks, and run(): the hot path of every syscall lives here.
#include "engine.h"
#include "slice_timer.h"

namespace pbash {

// uc_emu_start's `until`, ignored: the engine uses an empty exit set (UC_CTL_UC_USE_EXITS), because
// with a plain `until` Unicorn ends every run by looking up `until - 1` as code through our TLB fill
// hook, which fails and turns the run's result into UC_ERR_EXCEPTION.
static constexpr uint64_t kNoExit = 0;
// A physical page no memory backs (guest memory is identity-mapped below 2^47): exactFaultAddress() maps
// the faulting page there, so the re-run access reaches the unmapped-memory hook with its page offset.
static constexpr uint64_t kTrapPage = 1ull << 48;
// One run at a time per thread: a JS syscall handler must not start another guest (no nested runs).
static thread_local bool g_anyRunning = false;
static const int kSysRegs[7] = {UC_X86_REG_RAX, UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX,
                                UC_X86_REG_R10, UC_X86_REG_R8, UC_X86_REG_R9};

void check(Napi::Env env, uc_err err, const char* what) {
  if (err != UC_ERR_OK) throw Napi::Error::New(env, std::string("pbash: ") + what + ": " + uc_strerror(err));
}

uint64_t toU64(Napi::Value v, const char* what) {
  if (v.IsBigInt()) {
    bool lossless;
    return v.As<Napi::BigInt>().Uint64Value(&lossless);
  }
  double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
  if (!(d >= 0 && d <= 18446744073709551615.0) || d != static_cast<double>(static_cast<uint64_t>(d)))
    throw Napi::TypeError::New(v.Env(), std::string("pbash: ") + what + " must be a non-negative integer");
  return static_cast<uint64_t>(d);
}

Napi::Function Engine::define(Napi::Env env) {
  return DefineClass(env, "NativeEngine", {
    InstanceMethod<&Engine::close>("close"),
    InstanceMethod<&Engine::onSyscall>("onSyscall"),
    InstanceMethod<&Engine::sysArgsBuffer>("sysArgsBuffer"),
    InstanceMethod<&Engine::stop>("stop"),
    InstanceMethod<&Engine::run>("run"),
    InstanceMethod<&Engine::mapMemory>("mapMemory"),
    InstanceMethod<&Engine::unmapMemory>("unmapMemory"),
    InstanceMethod<&Engine::protect>("protect"),
    InstanceMethod<&Engine::protAt>("protAt"),
    InstanceMethod<&Engine::mapShared>("mapShared"),
    InstanceMethod<&Engine::discard>("discard"),
    InstanceMethod<&Engine::residency>("residency"),
    InstanceMethod<&Engine::flushCode>("flushCode"),
    InstanceMethod<&Engine::load>("load"),
    InstanceMethod<&Engine::copyFrom>("copyFrom"),
    InstanceMethod<&Engine::recycle>("recycle"),
    InstanceMethod<&Engine::hasCode>("hasCode"),
    InstanceMethod<&Engine::regGet>("regGet"),
    InstanceMethod<&Engine::regSet>("regSet"),
    InstanceMethod<&Engine::regGetBytes>("regGetBytes"),
    InstanceMethod<&Engine::regSetBytes>("regSetBytes"),
    InstanceMethod<&Engine::regReadBatch>("regReadBatch"),
    InstanceMethod<&Engine::regWriteBatch>("regWriteBatch"),
    InstanceMethod<&Engine::saveContext>("saveContext"),
    InstanceMethod<&Engine::restoreContext>("restoreContext"),
  });
}

Engine::Engine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Engine>(info) {
  Napi::Env env = info.Env();
  check(env, uc_open(UC_ARCH_X86, UC_MODE_64, &uc_), "uc_open");
  try {
    // Virtual TLB + fill hook: real page permissions, and data pages without EXEC keep stores on the fast path.
    check(env, uc_ctl_tlb_mode(uc_, UC_TLB_VIRTUAL), "uc_ctl(UC_CTL_TLB_TYPE)");
    check(env, uc_ctl_exits_enable(uc_), "uc_ctl(UC_CTL_UC_USE_EXITS)");
    uc_hook h;
    check(env, uc_hook_add(uc_, &h, UC_HOOK_TLB_FILL, reinterpret_cast<void*>(hookTlbFill), this, 1, 0),
          "uc_hook_add(TLB_FILL)");
    check(env, uc_hook_add(uc_, &h, UC_HOOK_INSN, reinterpret_cast<void*>(hookSyscall), this, 1, 0,
                           UC_X86_INS_SYSCALL), "uc_hook_add(SYSCALL)");
    check(env, uc_hook_add(uc_, &h, UC_HOOK_INTR, reinterpret_cast<void*>(hookIntr), this, 1, 0),
          "uc_hook_add(INTR)");
    check(env, uc_hook_add(uc_, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(hookBlock), this, 1, 0),
          "uc_hook_add(BLOCK)");
    check(env, uc_context_alloc(uc_, &fresh_), "uc_context_alloc");
    check(env, uc_context_save(uc_, fresh_), "uc_context_save");

  } catch (...) {
    if (fresh_) uc_context_free(fresh_);
    fresh_ = nullptr;
    uc_close(uc_);
    uc_ = nullptr;
    throw;
  }
  // The syscall argument block: JS-owned memory (stable address), read by JS without any call.
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, 8 * sizeof(uint64_t));
  sysArgs_ = static_cast<uint64_t*>(ab.Data());
  sysArgsRef_ = Napi::Persistent(ab);
}

Engine::~Engine() { shutdown(); }

void Engine::shutdown() {
  if (uc_) uc_close(uc_);  // unmaps everything; host blocks are ours and survive it
  uc_ = nullptr;
  if (fresh_) uc_context_free(fresh_);
  fresh_ = nullptr;
  for (auto& [addr, block] : blocks_) block->release();
  blocks_.clear();
  syscallFn_.Reset();
}

uc_engine* Engine::live(Napi::Env env) {
  if (!uc_ || closePending_) throw Napi::Error::New(env, "pbash: the CPU engine is closed");
  return uc_;
}

uint64_t Engine::rip() {
  uint64_t v = 0;
  uc_reg_read(uc_, UC_X86_REG_RIP, &v);
  return v;
}

Napi::Value Engine::close(const Napi::CallbackInfo& info) {
  if (running_) {
    // Called from inside a syscall handler: finish the run first, then close (never free under Unicorn).
    closePending_ = true;
    uc_emu_stop(uc_);
  } else {
    shutdown();
  }
  return info.Env().Undefined();
}

Napi::Value Engine::onSyscall(const Napi::CallbackInfo& info) {
  live(info.Env());
  if (!info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "pbash: onSyscall needs a function");
  syscallFn_ = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value Engine::sysArgsBuffer(const Napi::CallbackInfo& info) { return sysArgsRef_.Value(); }

Napi::Value Engine::stop(const Napi::CallbackInfo& info) {
  if (running_ && uc_) {
    userStop_ = true;
    uc_emu_stop(uc_);
  }
  return info.Env().Undefined();
}

// SYSCALL: registers to the shared block in one batch read, one call into JS, result to RAX.
void Engine::hookSyscall(uc_engine* uc, void* self) {
  auto* e = static_cast<Engine*>(self);
  if (e->jsThrew_ || e->closePending_) return;
  void* ptrs[7];
  for (int i = 0; i < 7; i++) ptrs[i] = &e->sysArgs_[i];
  uc_reg_read_batch(uc, const_cast<int*>(kSysRegs), ptrs, 7);

  napi_env env = e->runEnv_;
  napi_handle_scope scope;  // one scope per call: a long run makes millions of calls
  napi_open_handle_scope(env, &scope);
  napi_value fn, recv, res;
  napi_valuetype t = napi_undefined;
  bool ok = !e->syscallFn_.IsEmpty();
  if (!ok) napi_throw_error(env, nullptr, "pbash: a syscall ran but no onSyscall handler is registered");
  e->inSyscall_ = true;
  ok = ok && napi_get_reference_value(env, e->syscallFn_, &fn) == napi_ok && napi_get_undefined(env, &recv) == napi_ok &&
       napi_call_function(env, recv, fn, 0, nullptr, &res) == napi_ok && napi_typeof(env, res, &t) == napi_ok;
  e->inSyscall_ = false;
  if (ok && !e->closePending_) {
    int64_t rax;
    bool lossless;
    if (t == napi_number) {
      napi_get_value_int64(env, res, &rax);
      uc_reg_write(uc, UC_X86_REG_RAX, &rax);
    } else if (t == napi_bigint) {
      napi_get_value_bigint_int64(env, res, &rax, &lossless);  // wraps: 2^64-1n is -1
      uc_reg_write(uc, UC_X86_REG_RAX, &rax);
    } else if (t != napi_undefined) {
      napi_throw_type_error(env, nullptr, "pbash: a syscall handler must return a number, a bigint or undefined");
      ok = false;
    }
  }
  if (!ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_error(env, nullptr, "pbash: calling the syscall handler failed");
    e->jsThrew_ = true;  // run() returns with the exception pending: it reaches run()'s caller
    uc_emu_stop(uc);
  } else if (e->sliceOver_.load(std::memory_order_relaxed)) {
    uc_emu_stop(uc);  // the slice ended: stop after this syscall (exact)
  }
  napi_close_handle_scope(env, scope);
}

// Block start: once the slice is over, stop before the block runs (exact, on the CPU thread).
void Engine::hookBlock(uc_engine* uc, uint64_t, uint32_t, void* self) {
  auto* e = static_cast<Engine*>(self);
  if (e->sliceOver_.load(std::memory_order_relaxed)) uc_emu_stop(uc);
  if (e->probing_ && e->probeBlocks_++ > 0) uc_emu_stop(uc);  // the probe runs one instruction's block at most
}

// Interrupts and CPU exceptions (#DE 0, #BP 3, #GP 13, int n...): record and stop; the kernel signals.
void Engine::hookIntr(uc_engine* uc, uint32_t intno, void* self) {
  auto* e = static_cast<Engine*>(self);
  e->intr_ = true;
  e->intno_ = intno;
  uc_emu_stop(uc);
}

// Identity translation with the page's own permissions; no entry -> the access faults (uc_emu_start fails).
// A page handed out executable may get translated code: it is marked P_CODE until its code is dropped.
bool Engine::hookTlbFill(uc_engine*, uint64_t addr, uc_mem_type type, uc_tlb_entry* out, void* self) {
  auto* e = static_cast<Engine*>(self);
  uint8_t b = e->perms_.get(addr);
  if (e->invalidating_ && (b & P_MAPPED)) {
    // invalidateCode's code-page lookup, not a guest access. It is an instruction fetch: an answer without
    // EXEC fails it, and Unicorn then skips the invalidation (or, inside a syscall hook, longjmps out as a
    // page fault: UC_ERR_EXCEPTION). The entry is flushed right after: EXEC on a data page never reaches
    // guest stores.
    out->paddr = addr;
    out->perms = static_cast<uc_prot>(UC_PROT_READ | UC_PROT_EXEC);
    return true;
  }
  uint8_t prot = b & P_PROT;
  if (prot & (P_WRITE | P_EXEC)) prot |= P_READ;  // x86: writable or executable pages are readable
  uint8_t need = type == UC_MEM_WRITE ? P_WRITE : type == UC_MEM_FETCH ? P_EXEC : P_READ;
  if ((b & P_MAPPED) && (prot & need)) {
    out->paddr = addr;
    out->perms = static_cast<uc_prot>(prot);  // UC_PROT_* has our bit values; never EXEC on a data page (slow stores)
    if ((prot & P_EXEC) && !(b & P_CODE)) e->perms_.update(addr, 4096, P_CODE, P_CODE);
    return true;
  }
  if (e->probing_ && addr == e->faultAddr_) {
    out->paddr = kTrapPage;
    out->perms = static_cast<uc_prot>(UC_PROT_READ | UC_PROT_WRITE);
    return true;
  }
  if (!e->invalidating_ && !e->probing_) {
    e->faulted_ = true;
    e->faultAddr_ = addr;
    e->faultType_ = type;
    e->faultMapped_ = (b & P_MAPPED) != 0;
  }
  return false;
}

Napi::Value Engine::run(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uc_engine* uc = live(env);
  if (g_anyRunning) throw Napi::Error::New(env, "pbash: run() called while a guest is running (from a syscall handler?)");
  uint64_t start = toU64(info[0], "rip");
  uint64_t timeout = info[1].IsUndefined() ? 0 : toU64(info[1], "timeoutUs");
  userStop_ = jsThrew_ = faulted_ = intr_ = false;
  runEnv_ = env;
  running_ = g_anyRunning = true;
  SliceTimer& timer = SliceTimer::forThisThread();
  sliceOver_.store(false, std::memory_order_relaxed);
  if (timeout) timer.arm(&sliceOver_, timeout);
  uc_err err = uc_emu_start(uc, start, kNoExit, 0, 0);
  timedOut_ = timeout && timer.disarm();
  if (faulted_ && !jsThrew_ && !userStop_ && !closePending_) exactFaultAddress();
  running_ = g_anyRunning = false;
  runEnv_ = nullptr;
  if (jsThrew_) {
    if (closePending_) shutdown();
    return env.Undefined();  // the handler's exception is pending and propagates from here
  }
  Napi::Value reason = stopReason(env, err);
  if (closePending_) shutdown();
  return reason;
}

// The fill hook is given page addresses only, but si_addr is the faulting byte (x86's CR2). Unicorn restores
// the state to the faulting instruction, so running it again repeats the same accesses: with the faulting page
// mapped to kTrapPage, the one that faulted stops in hookTrap with its page offset, the instruction undone
// again and nothing after it run. Stores before it in the same instruction write the same bytes again.
void Engine::exactFaultAddress() {
  uint64_t pc = rip();
  if (faultType_ == UC_MEM_FETCH) {  // the fetch address: the instruction, or the part of it in the next page
    if (pc > faultAddr_ && pc < faultAddr_ + 4096) faultAddr_ = pc;
    return;
  }
  probing_ = true;
  trapped_ = false;
  probeBlocks_ = 0;
  sliceOver_.store(false, std::memory_order_relaxed);
  // The trap hook lives only as long as the probe: any UC_HOOK_MEM_* hook installed sends every guest
  // load and store through Unicorn's slow path (a compute loop ran 10x slower with it always there).
  uc_hook trap;
  if (uc_hook_add(uc_, &trap, UC_HOOK_MEM_READ_UNMAPPED | UC_HOOK_MEM_WRITE_UNMAPPED,
                  reinterpret_cast<void*>(hookTrap), this, 1, 0) == UC_ERR_OK) {
    uc_emu_start(uc_, pc, kNoExit, 0, 0);
    uc_hook_del(uc_, trap);
  }
  probing_ = false;
  uc_ctl_flush_tlb(uc_);  // the trap mapping must not outlive the probe
  if (trapped_ && trapOffset_ < 4096) faultAddr_ += trapOffset_;
  if (rip() != pc) uc_reg_write(uc_, UC_X86_REG_RIP, &pc);  // not expected: the CPU state is the fault's
}

// The probe's access reached the trap page: note where, and let the access fail (the instruction is undone).
bool Engine::hookTrap(uc_engine* uc, uc_mem_type, uint64_t addr, int, int64_t, void* self) {
  auto* e = static_cast<Engine*>(self);
  if (e->probing_ && addr >= kTrapPage && addr < kTrapPage + 4096) {
    e->trapped_ = true;
    e->trapOffset_ = addr - kTrapPage;
    uc_emu_stop(uc);
  }
  return false;
}

Napi::Value Engine::stopReason(Napi::Env env, uc_err err) {
  Napi::Object r = Napi::Object::New(env);
  auto kind = [&](const char* k) { r.Set("kind", k); };
  double pc = static_cast<double>(rip());
  bool memErr = err == UC_ERR_EXCEPTION || (err >= UC_ERR_READ_UNMAPPED && err <= UC_ERR_FETCH_UNALIGNED);
  if (userStop_ || closePending_) {
    kind("stopped");
  } else if (faulted_ && memErr) {
    kind("fault");
    r.Set("addr", static_cast<double>(faultAddr_));
    r.Set("access", faultType_ == UC_MEM_WRITE ? "write" : faultType_ == UC_MEM_FETCH ? "exec" : "read");
    r.Set("mapped", faultMapped_);
    r.Set("rip", pc);
  } else if (intr_) {
    kind("interrupt");
    r.Set("intno", intno_);
    r.Set("rip", pc);
  } else if (err == UC_ERR_INSN_INVALID) {
    kind("illegal");
    r.Set("rip", pc);
  } else if (err != UC_ERR_OK) {
    kind("error");
    r.Set("code", static_cast<int>(err));
    r.Set("message", uc_strerror(err));
    r.Set("rip", pc);
  } else if (timedOut_) {
    kind("timeout");
  } else {
    // Unicorn runs the guest at CPL 0, so HLT halts (RIP after it) instead of raising #GP at it as in
    // user mode: report the #GP at the one-byte HLT.
    kind("interrupt");
    r.Set("intno", 13);
    r.Set("rip", pc - 1);
  }
  return r;
}

}  // namespace pbash
