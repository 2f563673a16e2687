#pragma once

#include <functional>
#include <vector>

#include "common/status.h"
#include "model/exchange.h"

namespace warden {

// IngestSink takes parsed exchanges from a source (the ingest API, files, streams) into the
// detection pipeline. Implemented by the pipeline in app; thread-safe.
class IngestSink {
 public:
  virtual ~IngestSink() = default;

  // Queues `exchanges`. On success `done` is called exactly once, from another thread, after the
  // exchanges were processed and their results durably written (or with the error that stopped
  // that). When the queue cannot take them, returns ResourceExhausted at once and never calls
  // `done`; nothing was accepted.
  virtual Status Submit(std::vector<Exchange> exchanges, std::function<void(Status)> done) = 0;
};

}  // namespace warden
