// /api/v1/events: list, detail, curl/raw renderings, CSV export, status changes (one, bulk),
// ignoring (an ignore rule from an event) and the actor-and-policy timeline of an event.
#include <algorithm>
#include <set>

#include "api/json_args.h"
#include "api/policy_service.h"
#include "api/query_args.h"
#include "api/router.h"
#include "api/sample_render.h"
#include "api/v1_common.h"
#include "api/v1_routes.h"
#include "common/strings.h"
#include "store/store.h"

namespace warden {

namespace json = boost::json;

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kMaxTimelineBuckets = 5000;
constexpr std::size_t kMaxBulkIds = 10000;

json::array HeaderPairs(const std::vector<std::pair<std::string, std::string>>& headers) {
  json::array a;
  for (const auto& [n, v] : headers) a.push_back(json::array{JsonText(n), JsonText(v)});
  return a;
}

// The event and its JSON, or an error answered.
std::optional<json::object> LoadEventJson(const V1Deps& deps, const std::string& id,
                                          const Responder& respond) {
  auto e = deps.store->GetEvent(id);
  if (RespondIfError(e.status(), respond)) return std::nullopt;
  auto items = EventsJson(deps, {*e}, LoadPolicyNames(deps));
  if (RespondIfError(items.status(), respond)) return std::nullopt;
  return std::move(items->front());
}

void HandleList(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  EventQuery q = ReadEventQuery(args);
  PageRequest page = ReadPage(args);
  if (RespondIfError(args.status(), respond)) return;
  q.skip = page.offset;
  q.limit = page.limit;
  auto result = deps.store->ListEvents(q);
  if (RespondIfError(result.status(), respond)) return;
  auto items = EventsJson(deps, result->events, LoadPolicyNames(deps));
  if (RespondIfError(items.status(), respond)) return;
  json::array a(items->begin(), items->end());
  respond(JsonResponse(PageJson(std::move(a), result->total, page)));
}

std::string EventCsvLine(const Event& e, const PolicyNames& names) {
  auto name = names.find(e.filter_id);
  return CsvField(e.id) + "," + std::to_string(e.detected_at) + "," +
         std::string(SeverityName(e.severity)) + "," + std::string(EventStatusName(e.status)) +
         "," + CsvField(e.filter_id) + "," +
         CsvField(name == names.end() ? std::string() : name->second) + "," + CsvField(e.category) +
         "," + CsvField(e.sub_category) + "," + CsvField(e.actor) + "," + CsvField(e.ip) + "," +
         CsvField(e.country) + "," + CsvField(e.method) + "," + CsvField(e.host) + "," +
         CsvField(e.url) + "," + CsvField(e.endpoint_template) + "," + CsvField(e.location) + "," +
         CsvField(e.matched) + "," + (e.successful_exploit ? "true" : "false") + "," +
         std::to_string(e.count) + "\r\n";
}

// Streams the list query as CSV. In the detectedAt order (the default) each page continues
// after the last row of the previous one (keyset), so deep pages cost no more than the first
// and rows detected meanwhile do not shift the export; the severity order pages by offset.
void HandleCsv(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  EventQuery q = ReadEventQuery(args);
  std::int64_t limit = args.Int("limit", 1, kCsvMaxRows).value_or(kCsvDefaultRows);
  if (RespondIfError(args.status(), respond)) return;
  q.count_total = false;
  const bool keyset = q.sort == EventSortField::kDetectedAt;
  auto read_page = [store = deps.store, q, names = LoadPolicyNames(deps), keyset](
                       std::int64_t max_rows, std::string* out) mutable -> Result<std::int64_t> {
    q.limit = max_rows;
    auto page = store->ListEvents(q);
    if (!page.ok()) return page.status();
    for (const auto& e : page->events) *out += EventCsvLine(e, names);
    auto rows = static_cast<std::int64_t>(page->events.size());
    if (keyset && rows > 0) {
      q.after = EventSeekKey{.detected_at = page->events.back().detected_at,
                             .id = page->events.back().id};
    } else if (!keyset) {
      q.skip += rows;
    }
    return rows;
  };
  RespondCsvStream(
      "id,detectedAt,severity,status,policyId,policyName,category,subCategory,actor,ip,country,"
      "method,host,url,endpoint,location,matched,successfulExploit,count\r\n",
      limit, std::move(read_page), "warden-events.csv", respond);
}

void HandleDetail(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  auto e = deps.store->GetEvent(req.path_params.at("id"));
  if (RespondIfError(e.status(), respond)) return;
  auto items = EventsJson(deps, {*e}, LoadPolicyNames(deps));
  if (RespondIfError(items.status(), respond)) return;
  json::object o = std::move(items->front());
  o["sample"] = nullptr;
  if (auto s = ParseStoredSample(e->payload)) {
    o["sample"] = {{"method", JsonText(s->method)},
                   {"url", JsonText(s->url)},
                   {"httpVersion", JsonText(s->http_version)},
                   {"requestHeaders", HeaderPairs(s->request_headers)},
                   {"requestBody", JsonText(s->request_body)},
                   {"requestBodyTruncated", s->request_body_truncated},
                   {"statusCode", s->status_code},
                   {"responseHeaders", HeaderPairs(s->response_headers)},
                   {"responseBody", JsonText(s->response_body)},
                   {"responseBodyTruncated", s->response_body_truncated}};
  }
  o["policy"] = nullptr;
  if (deps.policies != nullptr) {
    auto p = deps.policies->Get(e->filter_id);
    if (p.ok()) {
      const PolicyInfo& i = p->policy.info;
      o["policyName"] = JsonText(i.name);
      o["policy"] = {
          {"id", JsonText(p->policy.id)},
          {"name", JsonText(i.name)},
          {"description", JsonText(i.description)},
          {"details", JsonText(i.details)},
          {"impact", JsonText(i.impact)},
          {"remediation", JsonText(i.remediation)},
          {"references", JsonTexts(i.references)},
          {"owaspApi2023", JsonTexts(i.category.owasp_api_2023)},
          {"owasp2021", JsonTexts(i.category.owasp_2021)},
          {"cwe", JsonTexts(i.category.cwe.empty() ? i.cwe : i.category.cwe)},
      };
    }
  }
  respond(JsonResponse(o));
}

void HandleRender(const V1Deps& deps, const HttpRequest& req, const Responder& respond, bool curl) {
  auto e = deps.store->GetEvent(req.path_params.at("id"));
  if (RespondIfError(e.status(), respond)) return;
  auto s = ParseStoredSample(e->payload);
  if (!s) {
    respond(HttpResponse::Error(404, "this event has no stored request"));
    return;
  }
  HttpResponse r;
  r.content_type = "text/plain; charset=utf-8";
  r.body = curl ? CurlCommand(*s, req.QueryParam("base")) + "\n" : RawHttpRequest(*s);
  respond(std::move(r));
}

// A status an operator may set ("status" field of PATCH and bulk changes).
std::optional<EventStatus> ReadStatus(JsonArgs& args, bool required, Status* error) {
  auto s = args.String("status");
  if (!s) {
    if (required) *error = Status::InvalidArgument("status: required", "status");
    return std::nullopt;
  }
  for (EventStatus st : {EventStatus::kActive, EventStatus::kUnderReview, EventStatus::kIgnored}) {
    if (EqualsIgnoreCase(*s, EventStatusName(st))) return st;
  }
  *error = Status::InvalidArgument("status: must be ACTIVE, UNDER_REVIEW or IGNORED", "status");
  return std::nullopt;
}

void HandlePatch(const V1Deps& deps, const HttpRequest& req, const Principal& who,
                 const Responder& respond) {
  const std::string& id = req.path_params.at("id");
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  Status error;
  std::optional<EventStatus> status = ReadStatus(args, false, &error);
  std::optional<std::string> ticket = args.String("jiraTicketUrl");
  std::string comment = args.String("comment").value_or("");
  if (RespondIfError(args.status(), respond) || RespondIfError(error, respond)) return;
  if (ticket && RespondIfError(CheckHttpUrl(*ticket, "jiraTicketUrl"), respond)) return;
  if (!status && !ticket && comment.empty()) {
    respond(HttpResponse::Error(400, "give status, jiraTicketUrl or comment", "status"));
    return;
  }
  auto before = deps.store->GetEvent(id);
  if (RespondIfError(before.status(), respond)) return;
  if (status || ticket) {
    EventTriage triage;
    triage.ids = {id};
    triage.status = status;
    triage.ticket_url = ticket;
    triage.by = By(who);
    triage.reason = comment;
    // A status set here changes the status only; ignore rules come from /ignore.
    triage.suppress = false;
    auto done = deps.store->TriageEvents(triage);
    if (RespondIfError(done.status(), respond)) return;
  }
  json::object detail;
  detail["from"] = EventStatusName(before->status);
  if (status) detail["status"] = EventStatusName(*status);
  if (ticket) detail["jiraTicketUrl"] = JsonText(*ticket);
  if (!comment.empty()) detail["comment"] = JsonText(comment);
  RecordAudit(deps, who, "event.update", id, std::move(detail));
  if (auto o = LoadEventJson(deps, id, respond)) respond(JsonResponse(*o));
}

// The keys a bulk `filter` may hold: those of the list query.
const std::set<std::string>& FilterKeys() {
  static const std::set<std::string> keys = {
      "status", "severity",          "type", "actor", "ip",  "url", "host",
      "policy", "successfulExploit", "q",    "from",  "to", "subCategory"};
  return keys;
}

void HandleBulkStatus(const V1Deps& deps, const HttpRequest& req, const Principal& who,
                      const Responder& respond) {
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  Status error;
  std::optional<EventStatus> status = ReadStatus(args, true, &error);
  std::vector<std::string> ids = args.Strings("ids");
  std::string comment = args.String("comment").value_or("");
  if (RespondIfError(args.status(), respond) || RespondIfError(error, respond)) return;
  if (ids.size() > kMaxBulkIds) {
    respond(HttpResponse::Error(400, "ids: at most 10000 per call", "ids"));
    return;
  }
  std::optional<EventFilter> filter;
  std::string filter_text;
  if (const json::value* f = body->if_contains("filter"); f != nullptr && !f->is_null()) {
    if (!f->is_object()) {
      respond(HttpResponse::Error(400, "filter: must be an object", "filter"));
      return;
    }
    for (const auto& kv : f->as_object()) {
      if (FilterKeys().count(std::string(kv.key())) == 0) {
        std::string field = "filter." + std::string(kv.key());
        respond(HttpResponse::Error(400, field + ": not a filter of the event list", field));
        return;
      }
    }
    auto qargs = QueryArgsFromJson(f->as_object(), "filter");
    if (RespondIfError(qargs.status(), respond)) return;
    EventQuery q = ReadEventQuery(*qargs);
    if (!qargs->ok()) {
      std::string field = "filter." + qargs->status().field();
      respond(HttpResponse::Error(400, "filter." + qargs->status().message(), field));
      return;
    }
    filter = q.filter;
    filter_text = json::serialize(*f);
  }
  if (ids.empty() && !filter) {
    respond(HttpResponse::Error(400, "give ids or a filter", "ids"));
    return;
  }
  EventTriage triage;
  triage.ids = ids;
  triage.filter = filter;
  triage.status = status;
  triage.by = By(who);
  triage.reason = comment;
  triage.suppress = false;
  auto done = deps.store->TriageEvents(triage);
  if (RespondIfError(done.status(), respond)) return;
  json::object detail;
  detail["status"] = EventStatusName(*status);
  detail["updated"] = done->updated;
  if (!comment.empty()) detail["comment"] = JsonText(comment);
  std::string target;
  for (const auto& i : ids) target += (target.empty() ? "" : ",") + i;
  if (filter) {
    detail["filter"] = json::parse(filter_text);
    target += (target.empty() ? "filter " : " filter ") + filter_text;
  }
  RecordAudit(deps, who, "events.status", target, std::move(detail));
  respond(JsonResponse(json::object{{"updated", done->updated}}));
}

void HandleIgnore(const V1Deps& deps, const HttpRequest& req, const Principal& who,
                  const Responder& respond) {
  const std::string& id = req.path_params.at("id");
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  std::string scope = args.String("scope").value_or("endpoint");
  std::optional<std::int64_t> expires_in = args.Int("expiresIn", 60, 10 * 365 * kDay);
  std::string reason = args.String("reason").value_or("");
  if (RespondIfError(args.status(), respond)) return;
  if (scope != "endpoint" && scope != "actor") {
    respond(HttpResponse::Error(400, "scope: must be endpoint or actor", "scope"));
    return;
  }
  auto event = deps.store->GetEvent(id);
  if (RespondIfError(event.status(), respond)) return;
  std::int64_t now = Now(deps);
  EventStatusChange change;
  change.ids = {id};
  change.status = EventStatus::kIgnored;
  change.by = By(who);
  change.reason = reason;
  change.suppress = true;
  change.suppress_actor_only = scope == "actor";
  change.suppress_until = expires_in ? now + *expires_in : 0;
  auto done = deps.store->UpdateEventStatus(change);
  if (RespondIfError(done.status(), respond)) return;
  if (done->suppressions.empty()) {
    respond(HttpResponse::Error(500, "no ignore rule was made"));
    return;
  }
  if (deps.suppressions_changed) deps.suppressions_changed();
  const Suppression& rule = done->suppressions.front();
  json::object detail;
  detail["ruleId"] = JsonText(rule.id);
  detail["scope"] = scope;
  detail["policyId"] = JsonText(rule.filter_id);
  detail["endpoint"] = JsonText(rule.endpoint_template);
  if (rule.expires_at != 0) detail["expiresAt"] = rule.expires_at;
  if (!reason.empty()) detail["reason"] = JsonText(reason);
  RecordAudit(deps, who, "event.ignore", id, std::move(detail));
  respond(JsonResponse(IgnoreRuleJson(rule, now), 201));
}

void HandleTimeline(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  std::vector<std::string> bucket_name = args.Enum("bucket", {"hour", "day"});
  TimeRange range = ReadTimeRange(args);
  if (RespondIfError(args.status(), respond)) return;
  std::int64_t bucket = !bucket_name.empty() && bucket_name.front() == "hour" ? 3600 : kDay;
  std::int64_t to = range.to.value_or(std::max(Now(deps), range.from.value_or(0)));
  std::int64_t from = range.from.value_or(std::max<std::int64_t>(0, to - 30 * kDay));
  std::int64_t first = from / bucket * bucket;
  std::int64_t last = to / bucket * bucket;
  if ((last - first) / bucket + 1 > kMaxTimelineBuckets) {
    respond(HttpResponse::Error(400, "from: the range holds more than 5000 buckets", "from"));
    return;
  }
  auto e = deps.store->GetEvent(req.path_params.at("id"));
  if (RespondIfError(e.status(), respond)) return;
  EventFilter f;
  f.actors = {e->actor};
  f.filter_ids = {e->filter_id};
  f.start_ts = from;
  f.end_ts = to;
  auto counts = deps.store->CountEventsOverTime(f, bucket);
  if (RespondIfError(counts.status(), respond)) return;
  json::array items;
  auto it = counts->begin();
  for (std::int64_t ts = first; ts <= last; ts += bucket) {
    std::int64_t events = 0;
    std::int64_t detections = 0;
    if (it != counts->end() && it->ts == ts) {
      events = it->events;
      detections = it->detections;
      ++it;
    }
    items.push_back({{"ts", ts}, {"count", detections}, {"events", events}});
  }
  json::object o;
  o["actor"] = JsonText(e->actor);
  o["policyId"] = JsonText(e->filter_id);
  o["bucketSeconds"] = bucket;
  o["items"] = std::move(items);
  respond(JsonResponse(o));
}

constexpr char kListDoc[] = R"json({"parameters": [
  {"name": "status", "in": "query", "schema": {"type": "string"}, "description": "ACTIVE, UNDER_REVIEW, IGNORED (comma-separated)"},
  {"name": "severity", "in": "query", "schema": {"type": "string"}, "description": "LOW, MEDIUM, HIGH, CRITICAL (comma-separated)"},
  {"name": "type", "in": "query", "schema": {"type": "string"}, "description": "Rule-Based, Anomaly"},
  {"name": "actor", "in": "query", "schema": {"type": "string"}},
  {"name": "ip", "in": "query", "schema": {"type": "string"}},
  {"name": "url", "in": "query", "schema": {"type": "string"}, "description": "raw path or endpoint template"},
  {"name": "host", "in": "query", "schema": {"type": "string"}},
  {"name": "policy", "in": "query", "schema": {"type": "string"}},
  {"name": "subCategory", "in": "query", "schema": {"type": "string"}},
  {"name": "successfulExploit", "in": "query", "schema": {"type": "boolean"}},
  {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "substring of policy, host, actor, url"},
  {"name": "from", "in": "query", "schema": {"type": "integer"}},
  {"name": "to", "in": "query", "schema": {"type": "integer"}},
  {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["detectedAt", "-detectedAt", "severity", "-severity"]}},
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
  {"name": "cursor", "in": "query", "schema": {"type": "string"}}
],
"responses": {"200": {"description": "{items: [Event], total, nextCursor}"}}})json";

constexpr char kPatchDoc[] = R"json({
  "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {
    "status": {"type": "string", "enum": ["ACTIVE", "UNDER_REVIEW", "IGNORED"]},
    "jiraTicketUrl": {"type": "string", "description": "http(s) link; empty clears it"},
    "comment": {"type": "string"}}}}}},
  "responses": {"200": {"description": "The event"}, "404": {"description": "No such event"}}})json";

constexpr char kBulkDoc[] = R"json({
  "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {
    "ids": {"type": "array", "items": {"type": "string"}},
    "filter": {"type": "object", "description": "the keys of the list query"},
    "status": {"type": "string", "enum": ["ACTIVE", "UNDER_REVIEW", "IGNORED"]},
    "comment": {"type": "string"}}}}}},
  "responses": {"200": {"description": "{updated: N}"}}})json";

constexpr char kIgnoreDoc[] = R"json({
  "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {
    "scope": {"type": "string", "enum": ["endpoint", "actor"], "default": "endpoint"},
    "expiresIn": {"type": "integer", "minimum": 60, "description": "seconds; absent = never"},
    "reason": {"type": "string"}}}}}},
  "responses": {"201": {"description": "The ignore rule (IgnoreRule)"}, "404": {"description": "No such event"}}})json";

constexpr char kTimelineDoc[] = R"json({"parameters": [
  {"name": "bucket", "in": "query", "schema": {"type": "string", "enum": ["hour", "day"], "default": "day"}},
  {"name": "from", "in": "query", "schema": {"type": "integer"}, "description": "default: 30 days before to"},
  {"name": "to", "in": "query", "schema": {"type": "integer"}, "description": "default: now"}
],
"responses": {"200": {"description": "{items: [{ts, count, events}]}: count = detections"}, "404": {"description": "No such event"}}})json";

constexpr char kDetailDoc[] = R"json({"responses": {"200": {"description": "Event plus sample and policy"}, "404": {"description": "No such event"}}})json";

constexpr char kTextDoc[] = R"json({"responses": {"200": {"description": "text", "content": {"text/plain": {}}}, "404": {"description": "No such event or no stored request"}}})json";

}  // namespace

void AddV1EventRoutes(Router* router, const V1Deps& deps) {
  router->Add({"GET", "/api/v1/events", kAnyReader, "List threat events",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleList(deps, req, respond);
               },
               kListDoc});
  router->Add({"GET", "/api/v1/events/export.csv", kAnyReader, "Threat events as CSV",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleCsv(deps, req, respond);
               },
               kCsvExportDoc});
  router->Add({"POST", "/api/v1/events/status", kWriters,
               "Set the status of many events (ids or a list filter)",
               [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                 HandleBulkStatus(deps, req, who, respond);
               },
               kBulkDoc});
  router->Add({"GET", "/api/v1/events/{id}", kAnyReader,
               "One event with its stored request/response and its policy",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleDetail(deps, req, respond);
               },
               kDetailDoc});
  router->Add({"PATCH", "/api/v1/events/{id}", kWriters,
               "Change an event's status, ticket link, or comment on it",
               [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                 HandlePatch(deps, req, who, respond);
               },
               kPatchDoc});
  router->Add({"POST", "/api/v1/events/{id}/ignore", kWriters,
               "Ignore an event: an ignore rule for its endpoint (or actor) and policy",
               [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                 HandleIgnore(deps, req, who, respond);
               },
               kIgnoreDoc});
  router->Add({"GET", "/api/v1/events/{id}/timeline", kAnyReader,
               "How often the event's actor tried its policy over time",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleTimeline(deps, req, respond);
               },
               kTimelineDoc});
  router->Add({"GET", "/api/v1/events/{id}/curl", kAnyReader,
               "The event's request as a curl command",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleRender(deps, req, respond, true);
               },
               R"json({"parameters": [{"name": "base", "in": "query", "schema": {"type": "string"},
                   "description": "scheme://host[:port] to send to (default https://<host>)"}],
                   "responses": {"200": {"description": "text", "content": {"text/plain": {}}},
                                 "404": {"description": "No such event or no stored request"}}})json"});
  router->Add({"GET", "/api/v1/events/{id}/raw", kAnyReader,
               "The event's request as raw HTTP/1.1",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleRender(deps, req, respond, false);
               },
               kTextDoc});
}

}  // namespace warden
