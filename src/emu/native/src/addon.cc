// Module entry: the engine class, the context class, shared memory, Unicorn's x86 register ids by name, host fs and socket calls.
#include "engine.h"
#include "shared_memory.h"

namespace pbash {
void defineHostFs(Napi::Env env, Napi::Object exports);
void defineHostSocket(Napi::Env env, Napi::Object exports);
}

namespace pbash {

static Napi::Object regIds(Napi::Env env) {
  static const struct { const char* name; int id; } kRegs[] = {
    {"rax", UC_X86_REG_RAX}, {"rbx", UC_X86_REG_RBX}, {"rcx", UC_X86_REG_RCX}, {"rdx", UC_X86_REG_RDX},
    {"rsi", UC_X86_REG_RSI}, {"rdi", UC_X86_REG_RDI}, {"rbp", UC_X86_REG_RBP}, {"rsp", UC_X86_REG_RSP},
    {"r8", UC_X86_REG_R8}, {"r9", UC_X86_REG_R9}, {"r10", UC_X86_REG_R10}, {"r11", UC_X86_REG_R11},
    {"r12", UC_X86_REG_R12}, {"r13", UC_X86_REG_R13}, {"r14", UC_X86_REG_R14}, {"r15", UC_X86_REG_R15},
    {"rip", UC_X86_REG_RIP}, {"eflags", UC_X86_REG_EFLAGS}, {"fs_base", UC_X86_REG_FS_BASE},
    {"gs_base", UC_X86_REG_GS_BASE}, {"cs", UC_X86_REG_CS}, {"ss", UC_X86_REG_SS}, {"ds", UC_X86_REG_DS},
    {"es", UC_X86_REG_ES}, {"fs", UC_X86_REG_FS}, {"gs", UC_X86_REG_GS},
    {"mxcsr", UC_X86_REG_MXCSR}, {"fpcw", UC_X86_REG_FPCW}, {"fpsw", UC_X86_REG_FPSW},
    {"fptag", UC_X86_REG_FPTAG}, {"fop", UC_X86_REG_FOP}, {"fip", UC_X86_REG_FIP}, {"fdp", UC_X86_REG_FDP},
  };
  Napi::Object o = Napi::Object::New(env);
  for (auto& r : kRegs) o.Set(r.name, r.id);
  char name[8];
  for (int i = 0; i < 16; i++) {
    snprintf(name, sizeof name, "xmm%d", i);
    o.Set(name, UC_X86_REG_XMM0 + i);
  }
  for (int i = 0; i < 8; i++) {
    snprintf(name, sizeof name, "st%d", i);
    o.Set(name, UC_X86_REG_ST0 + i);
  }
  return o;
}

static Napi::Object init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  env.SetInstanceData(data);  // freed with the env
  Napi::Function engine = Engine::define(env), context = Context::define(env);
  data->engine = Napi::Persistent(engine);
  data->context = Napi::Persistent(context);
  Napi::Function shared = SharedMemory::define(env);
  data->shared = Napi::Persistent(shared);
  exports.Set("SharedMemory", shared);
  exports.Set("NativeEngine", engine);
  exports.Set("CpuContext", context);
  exports.Set("regIds", regIds(env));
  defineHostFs(env, exports);
  defineHostSocket(env, exports);
  unsigned major, minor;
  uc_version(&major, &minor);
  exports.Set("unicornVersion", std::to_string(major) + "." + std::to_string(minor));
  return exports;
}

}  // namespace pbash

static Napi::Object Init(Napi::Env env, Napi::Object exports) { return pbash::init(env, exports); }
NODE_API_MODULE(pbash_cpu, Init)
