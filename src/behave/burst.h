#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "model/event.h"

namespace warden {

// BurstFolder turns a burst of identical SINGLE findings — same actor, host, method, endpoint
// template and policy — into one event whose `count` grows, instead of one event per request.
// A burst starts with an event; findings detected less than `interval_seconds` from that event's
// detection time (either side: workers finish out of order) fold into it; the next finding after
// it starts a new event. Interval 0 disables folding.
//
// Not thread-safe: owned by the pipeline's writer thread, which sees events in commit order, so
// an event is always written before anything folds into it. Bursts are not persisted: after a
// restart the next finding starts a new event.
class BurstFolder {
 public:
  explicit BurstFolder(std::int64_t interval_seconds) : interval_(interval_seconds) {}

  // For a SINGLE event: the fold into the open burst it belongs to, or a fold with an empty
  // event_id when it starts a new burst (it is then remembered). AGGREGATED events never fold.
  // `exploit_upgrade` is set when this finding is the first of its burst to prove the exploit.
  EventFold Fold(const Event& e, bool* exploit_upgrade);

  // Forgets every burst (after a failed write: their events may not exist).
  void Clear() { bursts_.clear(); }

  // Forgets bursts that ended before `now`.
  std::size_t Sweep(std::int64_t now);

  std::size_t size() const { return bursts_.size(); }
  std::int64_t interval_seconds() const { return interval_; }

 private:
  struct Burst {
    std::string event_id;
    std::int64_t started_at = 0;
    bool successful_exploit = false;
  };
  std::int64_t interval_;
  std::unordered_map<std::string, Burst> bursts_;
};

}  // namespace warden
