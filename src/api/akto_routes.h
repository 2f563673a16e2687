#pragma once

#include <functional>

#include "common/clock.h"
#include "ingest/formats.h"

namespace warden {

class IngestSink;
class PolicyService;
class Router;
class Store;

// What the Akto-compatible routes need. Pointers are not owned and must outlive the router.
struct AktoRoutesDeps {
  Store* store = nullptr;
  IngestSink* sink = nullptr;
  // Backs the YAML template and remediation routes; without it they answer 503.
  PolicyService* policies = nullptr;
  const Clock* clock = nullptr;
  ParseOptions ingest_options;  // body cap for ingested records
  // Called after updateMaliciousEventStatus made or removed ignore rules, so that detection
  // applies them at once (the pipeline's ReloadSuppressions). May be empty.
  std::function<void()> suppressions_changed;
};

// Registers Akto's threat API on `router` (docs/api.md), every route POST /api/<name>:
//   ingestData (sensor, admin);
//   fetchSuspectSampleData, fetchThreatActors, fetchThreatApis, fetchFiltersThreatTable,
//   fetchFiltersForThreatActors, getThreatActivityTimeline, fetchAggregateMaliciousRequests,
//   fetchCountBySeverity, fetchThreatCategoryCount, getDailyThreatActorsCount,
//   getActorsCountPerCounty, fetchRemediationInfo, fetchFilterYamlTemplate (readers);
//   updateMaliciousEventStatus, modifyThreatActorStatus, bulkModifyThreatActorStatus
//   (analyst, admin); saveFilterYamlTemplate, deleteFilterYamlTemplate (admin).
// They accept Akto's request bodies (unknown fields ignored) and answer with Akto's field
// names. Errors: 400 naming the field, 404 for an unknown id, 429 when the pipeline is full.
void AddAktoRoutes(Router* router, const AktoRoutesDeps& deps);

}  // namespace warden
