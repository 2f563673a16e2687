#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "behave/window_rule.h"
#include "common/status.h"

namespace warden {

// The persisted form of one window: enough to rebuild it after a restart. `version` grows with
// every change so that a writer receiving snapshots out of order keeps the newest.
struct WindowSnapshot {
  std::string actor;
  std::string policy_id;
  std::string rule;   // WindowRule::name
  std::string state;  // JSON, see windows.cc
  std::int64_t version = 0;
  std::int64_t updated_at = 0;  // request time of the last change
};

// One observation of a policy match for a window rule.
struct WindowHit {
  std::string_view actor;
  std::string_view policy_id;
  const WindowRule* rule = nullptr;
  std::int64_t at = 0;              // request time, Unix seconds; binned by minute
  bool counts = true;               // incrementFilter satisfied (or none)
  bool may_breach = true;           // thresholdBreachFilter satisfied (or none)
  std::string_view distinct_value;  // rule->distinct: the value; empty = nothing to count
  std::string_view sample_ref;      // the stored sample of this request ("" = none)
};

// What an observation did.
struct WindowResult {
  bool breached = false;
  std::int64_t observed = 0;             // matches (or distinct values) in the window at this hit
  std::vector<std::string> sample_refs;  // on breach: newest first, at most max_samples
  WindowSnapshot snapshot;               // the window after the hit, to persist
};

// WindowTable holds the aggregation windows of every (actor, policy, rule), in memory, sharded
// by actor: each shard has its own mutex, which guards that shard's map and every window in it,
// so detection workers observing different actors rarely contend. Owned by the pipeline; all
// methods are thread-safe.
//
// Semantics (docs/events-and-actors.md): time is the request's own timestamp in 1-minute bins;
// the window of a hit at minute m is bins m-W+1..m. A hit adds 1 to its bin (or its value to the
// bin's distinct set) when `counts`; when the window's total reaches the rule's threshold, the
// hit `may_breach` and the cool-down is over, the rule breaches: one result with `breached`,
// the bins are cleared (counting starts again) and the cool-down runs from this hit. Hits during
// the cool-down are counted, so a still-running attack fires again as soon as it ends. Bins older
// than the window of the newest hit are dropped; a late hit older than that is not counted.
class WindowTable {
 public:
  struct Options {
    std::size_t shards = 64;
    int max_samples = 10;
  };
  WindowTable() : WindowTable(Options{}) {}
  explicit WindowTable(Options options);

  WindowResult Observe(const WindowHit& hit);

  // Rebuilds a window from its snapshot (at start-up). InvalidArgument when the state is not
  // valid JSON of the expected shape; a snapshot older than the window in memory is ignored.
  Status Restore(const WindowSnapshot& snapshot);

  // Forgets windows idle at `now`: no bin inside their window and no cool-down running.
  // Returns how many were dropped.
  std::size_t Sweep(std::int64_t now);

  std::size_t size() const;

 private:
  struct Bin {
    std::int64_t minute = 0;  // Unix minutes (seconds / 60)
    std::int64_t count = 0;
    std::vector<std::string> values;  // distinct rules: at most the threshold, unsorted
  };
  struct Window {
    std::deque<Bin> bins;  // ascending minute
    int window_minutes = 1;
    std::int64_t cooldown_until = 0;  // seconds
    std::deque<std::string> samples;  // newest first
    std::int64_t version = 0;
    std::int64_t updated_at = 0;
    bool distinct = false;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Window> windows;  // guarded by mu
  };

  static std::string Key(std::string_view actor, std::string_view policy, std::string_view rule);
  Shard& ShardFor(std::string_view actor);
  static std::string Serialize(const Window& w);
  WindowSnapshot Snapshot(std::string_view actor, std::string_view policy, std::string_view rule,
                          const Window& w) const;

  Options options_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace warden
