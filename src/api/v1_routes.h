#pragma once

#include <functional>
#include <string>

#include "common/clock.h"

namespace warden {

class KeyRing;
class PolicyService;
class Router;
class Store;

// What the /api/v1 routes need. Pointers are not owned and must outlive the router.
struct V1Deps {
  Store* store = nullptr;
  PolicyService* policies = nullptr;
  KeyRing* keys = nullptr;
  const Clock* clock = nullptr;
  std::string version;
  // Called after an ignore rule was created or removed, so that detection applies it at once
  // (the pipeline's ReloadSuppressions). May be empty: rules then apply at its next reload.
  std::function<void()> suppressions_changed;
};

// Registers Warden's own API (docs/api-v1.md) on `router`, including GET /api/v1/openapi.json,
// which describes every route on the router at the time of the call — register it last.
void AddV1Routes(Router* router, const V1Deps& deps);

// The groups AddV1Routes registers (each in its own file).
void AddV1SystemRoutes(Router* router, const V1Deps& deps);
void AddV1PolicyRoutes(Router* router, const V1Deps& deps);
void AddV1EventRoutes(Router* router, const V1Deps& deps);
void AddV1IgnoreRuleRoutes(Router* router, const V1Deps& deps);
void AddV1ActorRoutes(Router* router, const V1Deps& deps);
void AddV1EndpointRoutes(Router* router, const V1Deps& deps);
void AddV1StatsRoutes(Router* router, const V1Deps& deps);
void AddV1AdminRoutes(Router* router, const V1Deps& deps);  // keys, settings, audit

}  // namespace warden
