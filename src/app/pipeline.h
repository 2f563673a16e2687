#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "actors/geo.h"
#include "api/ingest_sink.h"
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
  NormalizeOptions normalize;
};

// Pipeline runs normalize → detect → events for submitted exchanges on worker threads and
// writes the results (events, samples, actors, per-minute rollups) through one writer thread
// that batches many submissions into one transaction. Submit() acknowledges through its
// callback only after the write committed ("written" guarantee). The compiled policy set is
// immutable and swapped atomically by SetPolicies().
//
// Threads: `workers` detection threads (each owns a ScanScratch) and one writer thread.
// Locks: `in_mu_` guards `in_queue_`, `queued_exchanges_` and `stopping_`; `out_mu_` guards
// `out_queue_`; `policies_mu_` guards `policies_`.
class Pipeline final : public IngestSink {
 public:
  struct Stats {
    std::uint64_t accepted = 0;   // exchanges taken by Submit
    std::uint64_t refused = 0;    // exchanges refused because the queue was full
    std::uint64_t processed = 0;  // exchanges through detection
    std::uint64_t findings = 0;
    std::uint64_t events = 0;
    std::uint64_t write_batches = 0;
    std::uint64_t write_errors = 0;
  };

  // `store`, `geo` (may be null) and `clock` are not owned and must outlive the pipeline.
  Pipeline(Store* store, const GeoCountryDb* geo, const Clock* clock, PipelineOptions options);
  ~Pipeline() override;

  void SetPolicies(std::shared_ptr<const CompiledPolicySet> policies);
  std::shared_ptr<const CompiledPolicySet> policies() const;

  void Start();
  // Processes and writes everything already accepted, then joins the threads. Idempotent.
  void Stop();

  Status Submit(std::vector<Exchange> exchanges, std::function<void(Status)> done) override;

  Stats stats() const;

 private:
  struct Ticket;
  struct Chunk {
    std::vector<Exchange> exchanges;
    std::shared_ptr<Ticket> ticket;
  };
  struct Processed;

  void WorkerLoop();
  void WriterLoop();
  Processed Process(Chunk& chunk, ScanScratch& scratch);

  Store* store_;
  const GeoCountryDb* geo_;
  const Clock* clock_;
  PipelineOptions options_;

  mutable std::mutex policies_mu_;
  std::shared_ptr<const CompiledPolicySet> policies_;

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
      write_batches_{0}, write_errors_{0};
};

}  // namespace warden
