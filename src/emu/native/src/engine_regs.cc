// Registers by Unicorn id (JS gets the name -> id table from the addon), batches, and CPU contexts.
// Inside a syscall handler Unicorn's RIP still points at the SYSCALL and gets +2 afterwards; JS sees and
// sets Linux's view (RIP after the SYSCALL), so every RIP access there is adjusted by 2.
#include <cstring>

#include "engine.h"

namespace pbash {

static constexpr uint64_t kSyscallLen = 2;
static int regId(Napi::Value v) { return v.As<Napi::Number>().Int32Value(); }

Napi::Value Engine::regGet(const Napi::CallbackInfo& info) {
  uc_engine* uc = live(info.Env());
  int id = regId(info[0]);
  uint64_t v[2] = {0, 0};  // 16-bit FPU registers fill only the low bytes
  check(info.Env(), uc_reg_read(uc, id, v), "uc_reg_read");
  if (id == UC_X86_REG_RIP && inSyscall_) v[0] += kSyscallLen;
  return Napi::BigInt::New(info.Env(), v[0]);
}

Napi::Value Engine::regSet(const Napi::CallbackInfo& info) {
  uc_engine* uc = live(info.Env());
  int id = regId(info[0]);
  uint64_t v[2] = {0, 0};
  if (info[1].IsBigInt()) {
    bool lossless;
    v[0] = info[1].As<Napi::BigInt>().Uint64Value(&lossless);
  } else {
    v[0] = static_cast<uint64_t>(info[1].As<Napi::Number>().Int64Value());  // negative numbers wrap
  }
  if (id == UC_X86_REG_RIP && inSyscall_) v[0] -= kSyscallLen;
  check(info.Env(), uc_reg_write(uc, id, v), "uc_reg_write");
  return info.Env().Undefined();
}

// regGetBytes(id, size): wide registers (xmm: 16 bytes, st: 10 bytes of float80) as bytes.
Napi::Value Engine::regGetBytes(const Napi::CallbackInfo& info) {
  uc_engine* uc = live(info.Env());
  uint8_t buf[64] = {0};
  size_t size = info[1].As<Napi::Number>().Uint32Value();
  if (size > sizeof buf) throw Napi::RangeError::New(info.Env(), "pbash: register too wide");
  check(info.Env(), uc_reg_read(uc, regId(info[0]), buf), "uc_reg_read");
  Napi::Uint8Array out = Napi::Uint8Array::New(info.Env(), size);
  memcpy(out.Data(), buf, size);
  return out;
}

Napi::Value Engine::regSetBytes(const Napi::CallbackInfo& info) {
  uc_engine* uc = live(info.Env());
  uint8_t buf[64] = {0};
  Napi::Uint8Array in = info[1].As<Napi::Uint8Array>();
  if (in.ByteLength() > sizeof buf) throw Napi::RangeError::New(info.Env(), "pbash: register too wide");
  memcpy(buf, in.Data(), in.ByteLength());
  check(info.Env(), uc_reg_write(uc, regId(info[0]), buf), "uc_reg_write");
  return info.Env().Undefined();
}

// regReadBatch(ids: Int32Array, out: BigUint64Array) / regWriteBatch(ids, values): one Unicorn call.
static void batchPtrs(const Napi::CallbackInfo& info, int*& ids, void** ptrs, size_t& n) {
  Napi::Int32Array idArr = info[0].As<Napi::Int32Array>();
  Napi::BigUint64Array vals = info[1].As<Napi::BigUint64Array>();
  n = idArr.ElementLength();
  if (n > 64 || vals.ElementLength() < n) throw Napi::RangeError::New(info.Env(), "pbash: bad register batch");
  ids = idArr.Data();
  for (size_t i = 0; i < n; i++) ptrs[i] = &vals.Data()[i];
}

Napi::Value Engine::regReadBatch(const Napi::CallbackInfo& info) {
  uc_engine* uc = live(info.Env());
  int* ids;
  void* ptrs[64];
  size_t n;
  batchPtrs(info, ids, ptrs, n);
  check(info.Env(), uc_reg_read_batch(uc, ids, ptrs, int(n)), "uc_reg_read_batch");
  if (inSyscall_)
    for (size_t i = 0; i < n; i++)
      if (ids[i] == UC_X86_REG_RIP) *static_cast<uint64_t*>(ptrs[i]) += kSyscallLen;
  return info.Env().Undefined();
}

Napi::Value Engine::regWriteBatch(const Napi::CallbackInfo& info) {
  uc_engine* uc = live(info.Env());
  int* ids;
  void* ptrs[64];
  size_t n;
  batchPtrs(info, ids, ptrs, n);
  uint64_t copy[64];  // adjust RIP on a copy: never write into the caller's array
  for (size_t i = 0; i < n; i++) {
    copy[i] = *static_cast<uint64_t*>(ptrs[i]);
    if (inSyscall_ && ids[i] == UC_X86_REG_RIP) copy[i] -= kSyscallLen;
    ptrs[i] = &copy[i];
  }
  check(info.Env(), uc_reg_write_batch(uc, ids, ptrs, int(n)), "uc_reg_write_batch");
  return info.Env().Undefined();
}

// saveContext(): all CPU state (GPRs, flags, segments, x87/SSE) as an opaque object. Contexts do not
// hold engine pointers, so one saved on an engine can be restored on another (fork).
Napi::Value Engine::saveContext(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uc_engine* uc = live(env);
  Napi::Object obj = Context::ctor(env).New({});
  Context* c = Context::Unwrap(obj);
  check(env, uc_context_alloc(uc, &c->ctx), "uc_context_alloc");
  check(env, uc_context_save(uc, c->ctx), "uc_context_save");
  if (inSyscall_) {
    uint64_t pc;
    uc_context_reg_read(c->ctx, UC_X86_REG_RIP, &pc);
    pc += kSyscallLen;
    uc_context_reg_write(c->ctx, UC_X86_REG_RIP, &pc);
  }
  return obj;
}

Napi::Value Engine::restoreContext(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uc_engine* uc = live(env);
  if (!info[0].IsObject() || !info[0].As<Napi::Object>().InstanceOf(Context::ctor(env)))
    throw Napi::TypeError::New(env, "pbash: restoreContext needs an object made by saveContext");
  Context* c = Context::Unwrap(info[0].As<Napi::Object>());
  check(env, uc_context_restore(uc, c->ctx), "uc_context_restore");
  if (inSyscall_) {
    uint64_t pc = rip() - kSyscallLen;
    uc_reg_write(uc, UC_X86_REG_RIP, &pc);
  }
  return env.Undefined();
}

Napi::Function Context::define(Napi::Env env) { return DefineClass(env, "CpuContext", {}); }

Napi::Function Context::ctor(Napi::Env env) { return env.GetInstanceData<AddonData>()->context.Value(); }

Context::~Context() {
  if (ctx) uc_context_free(ctx);
}

}  // namespace pbash
