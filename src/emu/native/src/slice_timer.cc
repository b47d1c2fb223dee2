#include "slice_timer.h"

namespace pbash {

SliceTimer& SliceTimer::forThisThread() {
  thread_local SliceTimer timer;
  return timer;
}

void SliceTimer::arm(std::atomic<bool>* flag, uint64_t us) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
  target_ = flag;
  deadline_ = std::chrono::steady_clock::now() + std::chrono::microseconds(us);
  fired_ = false;
  cv_.notify_one();
}

bool SliceTimer::disarm() {
  std::lock_guard<std::mutex> lock(mu_);
  target_ = nullptr;  // under the lock: once this returns, the timer cannot touch a later run
  bool fired = fired_;
  fired_ = false;
  return fired;
}

void SliceTimer::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!quit_) {
    if (!target_) {
      cv_.wait(lock);
    } else if (std::chrono::steady_clock::now() < deadline_) {
      cv_.wait_until(lock, deadline_);
    } else {
      target_->store(true, std::memory_order_relaxed);  // the CPU thread stops itself (see header)
      fired_ = true;
      target_ = nullptr;
    }
  }
}

SliceTimer::~SliceTimer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    quit_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace pbash
