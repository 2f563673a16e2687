#pragma once

#include "common/clock.h"
#include "ingest/formats.h"

namespace warden {

class IngestSink;
class Router;
class Store;

// What the Akto-compatible routes need. Pointers are not owned and must outlive the router.
struct AktoRoutesDeps {
  Store* store = nullptr;
  IngestSink* sink = nullptr;
  const Clock* clock = nullptr;
  ParseOptions ingest_options;  // body cap for ingested records
};

// Registers Akto's threat API on `router`: POST /api/ingestData (Akto batch; sensor/admin),
// /api/fetchSuspectSampleData, /api/fetchThreatActors, /api/fetchThreatApis (readers).
// They accept Akto's request bodies (unknown fields ignored) and answer with Akto's field
// names. Errors: 400 naming the field, 429 when the pipeline is full.
void AddAktoRoutes(Router* router, const AktoRoutesDeps& deps);

}  // namespace warden
