// /api/v1/me and /api/v1/openapi.json, and AddV1Routes, which registers every /api/v1 group.
#include "api/json_args.h"
#include "api/openapi.h"
#include "api/router.h"
#include "api/v1_routes.h"

namespace warden {

namespace json = boost::json;

void AddV1SystemRoutes(Router* router, const V1Deps&) {
  router->Add({"GET", "/api/v1/me", kAnyReaderOrSensor, "The calling key: id, name and role",
               [](const HttpRequest&, const Principal& p, Responder respond) {
                 json::object o;
                 o["keyId"] = p.key_id;
                 o["name"] = p.key_name;
                 o["role"] = RoleName(p.role);
                 respond(JsonResponse(o));
               }});
}

void AddV1Routes(Router* router, const V1Deps& deps) {
  AddV1SystemRoutes(router, deps);
  if (deps.policies != nullptr) AddV1PolicyRoutes(router, deps);
  if (deps.store != nullptr) {
    AddV1EventRoutes(router, deps);
    AddV1IgnoreRuleRoutes(router, deps);
    AddV1ActorRoutes(router, deps);
    AddV1EndpointRoutes(router, deps);
    AddV1StatsRoutes(router, deps);
    AddV1AdminRoutes(router, deps);
  }
  // Last: the document describes the routes registered so far, itself included.
  std::string version = deps.version;
  router->Add({"GET",
               "/api/v1/openapi.json",
               {},
               "This OpenAPI document",
               [router, version](const HttpRequest&, const Principal&, Responder respond) {
                 respond(HttpResponse::Json(200, BuildOpenApi(*router, version)));
               }});
}

}  // namespace warden
