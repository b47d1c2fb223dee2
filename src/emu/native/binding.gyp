# The CPU addon: Unicorn (>= 2.1.4, located by rootfs-tools/fetch-unicorn.mjs) behind N-API.
# Paths come from the fetch step's paths.json through a command expansion, so no host path lives here.
{
  "targets": [{
    "target_name": "pbash_cpu",
    "sources": [
      "src/addon.cc", "src/engine.cc", "src/engine_memory.cc", "src/engine_regs.cc",
      "src/engine_code.cc", "src/perm_table.cc", "src/host_block.cc", "src/slice_timer.cc",
      "src/host_fs.cc", "src/host_socket.cc", "src/engine_shared.cc", "src/shared_memory.cc"
    ],
    "include_dirs": [
      "<!(node -p \"require('node-addon-api').include_dir\")",
      "<!(node ../../../rootfs-tools/fetch-unicorn.mjs --gyp include)"
    ],
    "libraries": ["<!@(node ../../../rootfs-tools/fetch-unicorn.mjs --gyp libraries)"],
    # --exclude-libs: keep the statically linked QEMU/Unicorn symbols private to this addon.
    # --no-relax: Debian's libunicorn.a is assembled by a newer binutils that emits GOTPCRELX on
    # `push foo@GOTPCREL(%rip)`; bookworm's ld 2.40 "relaxes" that into `call foo` (the load helpers then
    # call themselves forever). Without relaxation the GOT is used as written: correct with any ld.
    "ldflags": ["-Wl,--exclude-libs,ALL", "-Wl,--no-relax", "<!@(node ../../../rootfs-tools/fetch-unicorn.mjs --gyp ldflags)"],
    "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
    "cflags": ["-O2", "-fvisibility=hidden", "-Wall"],
    "cflags!": ["-fno-exceptions"],
    "cflags_cc": ["-std=c++17"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"]
  }]
}
