#pragma once

#include <atomic>
#include <cstdint>

namespace warden {

// Clock is the only source of "now" in Warden, so tests can inject time.
// Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual std::int64_t NowMillis() const = 0;
  std::int64_t NowSeconds() const { return NowMillis() / 1000; }
};

// The wall clock.
class SystemClock final : public Clock {
 public:
  std::int64_t NowMillis() const override;
  // A process-wide instance.
  static const SystemClock& Instance();
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t start_millis = 0) : now_(start_millis) {}
  std::int64_t NowMillis() const override { return now_.load(std::memory_order_relaxed); }
  void SetMillis(std::int64_t ms) { now_.store(ms, std::memory_order_relaxed); }
  void AdvanceMillis(std::int64_t ms) { now_.fetch_add(ms, std::memory_order_relaxed); }
  void AdvanceSeconds(std::int64_t s) { AdvanceMillis(s * 1000); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace warden
