#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "actors/enrich.h"
#include "actors/scoring.h"
#include "api/ingest_sink.h"
#include "behave/burst.h"
#include "behave/suppression.h"
#include "behave/window_rule.h"
#include "behave/windows.h"
#include "common/clock.h"
#include "detect/engine.h"
#include "normalize/normalize.h"
#include "store/store.h"

namespace warden {

struct PipelineOptions {
  int workers = 0;                          // detection threads; 0 = one per core
  std::size_t queue_capacity = 100000;      // exchanges waiting for detection; more → refused
  std::size_t chunk_size = 64;              // exchanges a worker takes at once
  std::size_t max_write_exchanges = 20000;  // exchanges merged into one store transaction
  NormalizeOptions normalize;               // includes the actor identity rules

  AggregationConfig aggregation;  // cool-down default, samples per event, per-policy rules
  std::size_t window_shards = 64;
  // Identical SINGLE findings (actor, host, method, template, policy) within this many seconds
  // of the first fold into its event; 0 = one event per finding.
  std::int64_t burst_interval_seconds = 60;
  // Points per event (the store decays scores with the same configuration).
  ScoringConfig scoring;
  // How often the writer thread expires actor statuses, forgets idle windows and bursts and
  // reloads suppression rules (store clock seconds), and applies retention.
  std::int64_t maintenance_interval_seconds = 60;
  std::int64_t retention_interval_seconds = 3600;  // 0 = never
  RetentionPolicy retention;
};

// Pipeline runs normalize → detect → behave for submitted exchanges on worker threads and
// writes the results (events, samples, actors and their score ledger, window snapshots,
// per-minute rollups) through one writer thread that batches many submissions into one
// transaction. Submit() acknowledges through its callback only after the write committed
// ("written" guarantee). The compiled policy set is immutable and swapped atomically by
// SetPolicies().
//
// Detection workers do no blocking I/O: enrichment is in memory, aggregation windows live in a
// WindowTable (sharded by actor, a lock per shard), suppression rules in an immutable
// SuppressionSet swapped on reload. The writer thread owns burst folding (it sees events in
// commit order), turns surviving events into actor touches and score-ledger rows, persists the
// window snapshots in the same transaction as the events, and runs the periodic maintenance.
// Start() restores the persisted windows and loads the suppression rules.
//
// Threads: `workers` detection threads (each owns a ScanScratch) and one writer thread.
// Locks: `in_mu_` guards `in_queue_`, `queued_exchanges_` and `stopping_`; `out_mu_` guards
// `out_queue_` and `workers_running_`; `policies_mu_` guards `rules_`; `suppressions_mu_`
// guards `suppressions_`. `folder_` and the maintenance times belong to the writer thread.
class Pipeline final : public IngestSink {
 public:
  struct Stats {
    std::uint64_t accepted = 0;   // exchanges taken by Submit
    std::uint64_t refused = 0;    // exchanges refused because the queue was full
    std::uint64_t processed = 0;  // exchanges through detection
    std::uint64_t findings = 0;
    std::uint64_t events = 0;      // events written (SINGLE and AGGREGATED)
    std::uint64_t aggregated = 0;  // of them, AGGREGATED
    std::uint64_t folded = 0;      // findings folded into an earlier event
    std::uint64_t suppressed = 0;  // findings an ignore hid
    std::uint64_t write_batches = 0;
    std::uint64_t write_errors = 0;
  };

  // `store`, `enricher` (may be null) and `clock` are not owned and must outlive the pipeline.
  Pipeline(Store* store, const Enricher* enricher, const Clock* clock, PipelineOptions options);
  ~Pipeline() override;

  void SetPolicies(std::shared_ptr<const CompiledPolicySet> policies);
  std::shared_ptr<const CompiledPolicySet> policies() const;

  // Restores the aggregation windows and loads the suppression rules from the store (failures
  // are logged: the pipeline then starts with empty state), then starts the threads.
  void Start();
  // Processes and writes everything already accepted, then joins the threads. Idempotent.
  void Stop();

  Status Submit(std::vector<Exchange> exchanges, std::function<void(Status)> done) override;

  // Reloads the suppression rules from the store now (after an ignore, for instance; the
  // writer also does it every maintenance interval). Thread-safe.
  Status ReloadSuppressions();

  Stats stats() const;
  std::size_t window_count() const { return windows_.size(); }

 private:
  struct Ticket;
  struct Chunk {
    std::vector<Exchange> exchanges;
    std::shared_ptr<Ticket> ticket;
  };
  struct Processed;
  // The compiled set and the window rules of its policies, swapped together.
  struct RuleBook {
    std::shared_ptr<const CompiledPolicySet> set;
    std::unordered_map<std::string, std::vector<WindowRule>> rules;  // policies with windows
  };

  void WorkerLoop();
  void WriterLoop();
  Processed Process(Chunk& chunk, ScanScratch& scratch);
  std::shared_ptr<const RuleBook> rules() const;
  std::shared_ptr<const SuppressionSet> suppressions() const;
  // Writer thread: folds bursts, derives actor touches and ledger rows, writes.
  Status WriteTaken(std::vector<std::unique_ptr<Processed>>& taken);
  // Writer thread: periodic work when due.
  void MaintainIfDue();

  Store* store_;
  const Enricher* enricher_;
  const Clock* clock_;
  PipelineOptions options_;

  mutable std::mutex policies_mu_;
  std::shared_ptr<const RuleBook> rules_;

  mutable std::mutex suppressions_mu_;
  std::shared_ptr<const SuppressionSet> suppressions_;

  WindowTable windows_;
  BurstFolder folder_;                 // writer thread only
  std::int64_t next_maintenance_ = 0;  // writer thread only
  std::int64_t next_retention_ = 0;    // writer thread only

  std::mutex in_mu_;
  std::condition_variable in_cv_;
  std::deque<Chunk> in_queue_;
  std::size_t queued_exchanges_ = 0;
  bool stopping_ = false;
  bool started_ = false;

  std::mutex out_mu_;
  std::condition_variable out_cv_;
  std::deque<std::unique_ptr<Processed>> out_queue_;
  int workers_running_ = 0;

  std::vector<std::thread> workers_;
  std::thread writer_;

  std::atomic<std::uint64_t> accepted_{0}, refused_{0}, processed_{0}, findings_{0}, events_{0},
      aggregated_{0}, folded_{0}, suppressed_{0}, write_batches_{0}, write_errors_{0};
};

}  // namespace warden
