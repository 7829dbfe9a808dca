// Runs one function on a team of threads (the caller is member 0) with a spinning barrier between
// phases: a batch's phases last tens to hundreds of microseconds, too short to sleep between.
#pragma once
#include <atomic>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define PEEPHOLE_PAUSE() _mm_pause()
#else
#define PEEPHOLE_PAUSE() ((void)0)
#endif

#include "dense.h"

namespace peephole {

class SpinBarrier {
 public:
  explicit SpinBarrier(int size) : size_(size) {}

  void wait() {
    const int generation = generation_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) == size_ - 1) {
      arrived_.store(0, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
      return;
    }
    // Spin briefly, then yield: on a machine busier than the team, spinning starves the others.
    for (int spins = 0; generation_.load(std::memory_order_acquire) == generation; ++spins) {
      if (spins < kSpinsBeforeYield) PEEPHOLE_PAUSE();
      else std::this_thread::yield();
    }
  }

  static void waitOn(void* state) { static_cast<SpinBarrier*>(state)->wait(); }

 private:
  static constexpr int kSpinsBeforeYield = 20000;
  const int size_;
  std::atomic<int> arrived_{0};
  std::atomic<int> generation_{0};
};

// Calls body(team) on `size` threads, member 0 on the caller, and joins them.
template <typename Body>
void runTeam(int size, Body body) {
  SpinBarrier barrier(size);
  auto member = [&](int index) {
    Team team;
    team.index = index;
    team.size = size;
    team.barrier = &SpinBarrier::waitOn;
    team.barrierState = &barrier;
    body(team);
  };
  std::vector<std::thread> others;
  others.reserve(size - 1);
  for (int index = 1; index < size; ++index) others.emplace_back(member, index);
  member(0);
  for (auto& thread : others) thread.join();
}

}  // namespace peephole
