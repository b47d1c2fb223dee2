// Ends a run after its time slice. Unicorn's own uc_emu_start timeout creates a thread per run that
// polls every 2 us and is joined at the end (0.3-4 ms per run measured here); this is one sleeping
// thread per JS thread, armed and disarmed with a mutex and a condition variable.
#pragma once
#include <unicorn/unicorn.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace pbash {

class SliceTimer {
 public:
  // The timer of the calling thread (one run at a time per thread).
  static SliceTimer& forThisThread();
  void arm(uc_engine* uc, uint64_t us);
  bool disarm();  // true when the slice ran out (uc_emu_stop was called)
  ~SliceTimer();

 private:
  void loop();
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
  uc_engine* target_ = nullptr;
  std::chrono::steady_clock::time_point deadline_;
  bool fired_ = false, quit_ = false;
};

}  // namespace pbash
