// /api/v1/ignore-rules: the suppression rules that keep findings from becoming events (and count
// what they hide): list, create, delete.
#include "api/json_args.h"
#include "api/query_args.h"
#include "api/router.h"
#include "api/v1_common.h"
#include "api/v1_routes.h"
#include "common/strings.h"
#include "store/store.h"

namespace warden {

namespace json = boost::json;

namespace {

constexpr std::int64_t kMaxTs = 4'102'444'800;  // 2100-01-01

void HandleList(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  PageRequest page = ReadPage(args);
  bool expired = args.Bool("expired").value_or(true);
  if (RespondIfError(args.status(), respond)) return;
  auto rules = deps.store->ListSuppressions(expired);
  if (RespondIfError(rules.status(), respond)) return;
  std::int64_t now = Now(deps);
  json::array all;
  for (const Suppression& s : *rules) all.push_back(IgnoreRuleJson(s, now));
  respond(JsonResponse(SlicePageJson(all, page)));
}

void HandleCreate(const V1Deps& deps, const HttpRequest& req, const Principal& who,
                  const Responder& respond) {
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  Suppression rule;
  rule.filter_id = args.String("policyId").value_or("");
  rule.endpoint_template = args.String("endpoint").value_or("");
  rule.host = args.String("host").value_or("");
  rule.actor = args.String("actor").value_or("");
  std::optional<std::int64_t> expires_at = args.Int("expiresAt", 0, kMaxTs);
  rule.reason = args.String("reason").value_or("");
  if (RespondIfError(args.status(), respond)) return;
  if (TrimSpace(rule.filter_id).empty()) {
    respond(HttpResponse::Error(400, "policyId: required", "policyId"));
    return;
  }
  if (TrimSpace(rule.endpoint_template).empty()) {
    respond(HttpResponse::Error(400, "endpoint: required (an endpoint template)", "endpoint"));
    return;
  }
  std::int64_t now = Now(deps);
  if (expires_at && *expires_at != 0 && *expires_at <= now) {
    respond(HttpResponse::Error(400, "expiresAt: must be in the future", "expiresAt"));
    return;
  }
  rule.expires_at = expires_at.value_or(0);
  rule.created_by = By(who);
  auto made = deps.store->CreateSuppression(rule);
  if (!made.ok()) {
    // The store names its own fields; answer with the API's names.
    Status st = made.status();
    if (st.field() == "filter_id") st = Status::InvalidArgument(st.message(), "policyId");
    if (st.field() == "endpoint_template") st = Status::InvalidArgument(st.message(), "endpoint");
    respond(ErrorResponse(st));
    return;
  }
  if (deps.suppressions_changed) deps.suppressions_changed();
  json::object detail;
  detail["policyId"] = JsonText(made->filter_id);
  detail["endpoint"] = JsonText(made->endpoint_template);
  if (!made->host.empty()) detail["host"] = JsonText(made->host);
  if (!made->actor.empty()) detail["actor"] = JsonText(made->actor);
  if (made->expires_at != 0) detail["expiresAt"] = made->expires_at;
  if (!made->reason.empty()) detail["reason"] = JsonText(made->reason);
  RecordAudit(deps, who, "ignore_rule.create", made->id, std::move(detail));
  respond(JsonResponse(IgnoreRuleJson(*made, now), 201));
}

void HandleDelete(const V1Deps& deps, const HttpRequest& req, const Principal& who,
                  const Responder& respond) {
  const std::string& id = req.path_params.at("id");
  if (RespondIfError(deps.store->DeleteSuppression(id), respond)) return;
  if (deps.suppressions_changed) deps.suppressions_changed();
  RecordAudit(deps, who, "ignore_rule.delete", id);
  respond(JsonResponse(json::object{{"id", JsonText(id)}, {"deleted", true}}));
}

constexpr char kListDoc[] = R"json({"parameters": [
  {"name": "expired", "in": "query", "schema": {"type": "boolean", "default": true}, "description": "include expired rules"},
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
  {"name": "cursor", "in": "query", "schema": {"type": "string"}}
],
"responses": {"200": {"description": "{items: [IgnoreRule], total, nextCursor}, newest first"}}})json";

constexpr char kCreateDoc[] = R"json({
  "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["policyId", "endpoint"], "properties": {
    "policyId": {"type": "string"},
    "endpoint": {"type": "string", "description": "endpoint template, e.g. /users/{int}"},
    "host": {"type": "string", "description": "empty = any host"},
    "actor": {"type": "string", "description": "empty = any actor"},
    "expiresAt": {"type": "integer", "description": "Unix seconds; absent or 0 = never"},
    "reason": {"type": "string"}}}}}},
  "responses": {"201": {"description": "The rule (an identical unexpired rule is extended)"}}})json";

constexpr char kDeleteDoc[] = R"json({"responses": {"200": {"description": "{id, deleted: true}"}, "404": {"description": "No such rule"}}})json";

}  // namespace

void AddV1IgnoreRuleRoutes(Router* router, const V1Deps& deps) {
  router->Add({"GET", "/api/v1/ignore-rules", kAnyReader, "List ignore rules, newest first",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleList(deps, req, respond);
               },
               kListDoc});
  router->Add({"POST", "/api/v1/ignore-rules", kWriters, "Create an ignore rule",
               [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                 HandleCreate(deps, req, who, respond);
               },
               kCreateDoc});
  router->Add({"DELETE", "/api/v1/ignore-rules/{id}", kWriters, "Remove an ignore rule",
               [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                 HandleDelete(deps, req, who, respond);
               },
               kDeleteDoc});
}

}  // namespace warden
