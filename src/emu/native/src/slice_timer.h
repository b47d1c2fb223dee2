// Marks the end of a run's time slice. Unicorn's own uc_emu_start timeout creates a thread per run that
// polls every 2 us and is joined at the end (0.3-4 ms per run measured here); this is one sleeping
// thread per JS thread, armed and disarmed with a mutex and a condition variable.
// It never calls uc_emu_stop from its thread: Unicorn 2.1.4 checks for exit requests after every guest
// memory access and leaves mid-instruction, restarting the instruction on the next run, so a
// read-modify-write (`add %rax,(%rdi)`) interrupted after its store is executed twice. Measured: with
// 20 us slices, dynamic programs crashed or hung a few times in ten. The timer only raises a flag that
// the CPU thread checks at every block start (a block hook) and every syscall, where stopping is exact.
#pragma once
#include <atomic>
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
  void arm(std::atomic<bool>* flag, uint64_t us);
  bool disarm();  // true when the slice ran out (the flag was raised)
  ~SliceTimer();

 private:
  void loop();
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
  std::atomic<bool>* target_ = nullptr;
  std::chrono::steady_clock::time_point deadline_;
  bool fired_ = false, quit_ = false;
};

}  // namespace pbash
