// /api/v1/events: list, detail, curl/raw renderings, CSV export.
#include "api/json_args.h"
#include "api/policy_service.h"
#include "api/query_args.h"
#include "api/router.h"
#include "api/sample_render.h"
#include "api/v1_routes.h"
#include "common/strings.h"
#include "store/store.h"

namespace warden {

namespace json = boost::json;

namespace {

json::string Str(std::string_view s) { return json::string(SanitizeUtf8(s)); }

json::object EventJson(const Event& e) {
  json::object o;
  o["id"] = Str(e.id);
  o["refId"] = Str(e.ref_id);
  o["actor"] = Str(e.actor);
  o["policyId"] = Str(e.filter_id);
  o["url"] = Str(e.url);
  o["endpoint"] = Str(e.endpoint_template);
  o["method"] = Str(e.method);
  o["host"] = Str(e.host);
  o["apiCollectionId"] = e.api_collection_id;
  o["ip"] = Str(e.ip);
  o["country"] = Str(e.country);
  o["type"] = DetectionTypeName(e.type);
  o["eventType"] = EventTypeName(e.event_type);
  o["category"] = Str(e.category);
  o["subCategory"] = Str(e.sub_category);
  o["severity"] = SeverityName(e.severity);
  o["status"] = EventStatusName(e.status);
  o["successfulExploit"] = e.successful_exploit;
  o["location"] = Str(e.location);
  o["matched"] = Str(e.matched);
  o["count"] = e.count;
  o["detectedAt"] = e.detected_at;
  auto sample = ParseStoredSample(e.payload);
  o["statusCode"] = sample ? sample->status_code : 0;
  return o;
}

json::array HeaderPairs(const std::vector<std::pair<std::string, std::string>>& headers) {
  json::array a;
  for (const auto& [n, v] : headers) a.push_back(json::array{Str(n), Str(v)});
  return a;
}

// Reads the list filters shared by the list, the CSV export and bulk status changes.
EventQuery ReadEventQuery(QueryArgs& args) {
  EventQuery q;
  EventFilter& f = q.filter;
  for (const auto& s : args.Enum("status", {"ACTIVE", "UNDER_REVIEW", "IGNORED", "TRAINING"})) {
    f.statuses.push_back(*ParseEventStatus(s));
  }
  for (const auto& s : args.Enum("severity", {"LOW", "MEDIUM", "HIGH", "CRITICAL"})) {
    f.severities.push_back(*ParseSeverity(s));
  }
  for (const auto& s : args.Enum("type", {"Rule-Based", "Anomaly"})) {
    f.types.push_back(*ParseDetectionType(s));
  }
  f.actors = args.List("actor");
  f.ips = args.List("ip");
  f.urls = args.List("url");
  f.hosts = args.List("host");
  f.filter_ids = args.List("policy");
  f.sub_categories = args.List("subCategory");
  f.successful_exploit = args.Bool("successfulExploit");
  f.search_text = args.String("q").value_or("");
  TimeRange range = ReadTimeRange(args);
  f.start_ts = range.from;
  f.end_ts = range.to;
  std::string sort = args.Enum("sort", {"detectedAt", "-detectedAt", "severity", "-severity"})
                         .empty()
                         ? "-detectedAt"
                         : args.List("sort").front();
  q.sort = sort.find("severity") != std::string::npos ? EventSortField::kSeverity
                                                      : EventSortField::kDetectedAt;
  q.descending = sort.front() == '-';
  return q;
}

std::string CsvField(std::string_view s) {
  std::string v = SanitizeUtf8(s);
  // Cells starting with these run as formulas in spreadsheets (CSV injection).
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' ||
                     v[0] == '\r')) {
    v.insert(v.begin(), '\'');
  }
  bool quote = v.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void HandleList(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  EventQuery q = ReadEventQuery(args);
  PageRequest page = ReadPage(args);
  if (!args.ok()) {
    respond(ErrorResponse(args.status()));
    return;
  }
  q.skip = page.offset;
  q.limit = page.limit;
  auto result = deps.store->ListEvents(q);
  if (!result.ok()) {
    respond(ErrorResponse(result.status()));
    return;
  }
  json::array items;
  for (const auto& e : result->events) items.push_back(EventJson(e));
  json::object o;
  o["items"] = std::move(items);
  o["total"] = result->total;
  std::string next = NextCursor(page, result->total);
  o["nextCursor"] = next.empty() ? json::value(nullptr) : json::value(next);
  respond(JsonResponse(o));
}

void HandleCsv(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  EventQuery q = ReadEventQuery(args);
  std::int64_t limit = args.Int("limit", 1, 100000).value_or(1000);
  if (!args.ok()) {
    respond(ErrorResponse(args.status()));
    return;
  }
  std::string csv =
      "id,detectedAt,severity,status,policyId,category,subCategory,actor,ip,country,method,host,"
      "url,endpoint,location,matched,successfulExploit,count\r\n";
  std::int64_t written = 0;
  while (written < limit) {
    q.skip = written;
    q.limit = std::min<std::int64_t>(1000, limit - written);
    auto page = deps.store->ListEvents(q);
    if (!page.ok()) {
      respond(ErrorResponse(page.status()));
      return;
    }
    for (const auto& e : page->events) {
      csv += CsvField(e.id) + "," + std::to_string(e.detected_at) + "," +
             std::string(SeverityName(e.severity)) + "," + std::string(EventStatusName(e.status)) +
             "," + CsvField(e.filter_id) + "," + CsvField(e.category) + "," +
             CsvField(e.sub_category) + "," + CsvField(e.actor) + "," + CsvField(e.ip) + "," +
             CsvField(e.country) + "," + CsvField(e.method) + "," + CsvField(e.host) + "," +
             CsvField(e.url) + "," + CsvField(e.endpoint_template) + "," + CsvField(e.location) +
             "," + CsvField(e.matched) + "," + (e.successful_exploit ? "true" : "false") + "," +
             std::to_string(e.count) + "\r\n";
    }
    written += static_cast<std::int64_t>(page->events.size());
    if (static_cast<std::int64_t>(page->events.size()) < q.limit) break;
  }
  HttpResponse r;
  r.content_type = "text/csv; charset=utf-8";
  r.headers.push_back({"Content-Disposition", "attachment; filename=\"warden-events.csv\""});
  r.body = std::move(csv);
  respond(std::move(r));
}

void HandleDetail(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  auto e = deps.store->GetEvent(req.path_params.at("id"));
  if (!e.ok()) {
    respond(ErrorResponse(e.status()));
    return;
  }
  json::object o = EventJson(*e);
  if (auto s = ParseStoredSample(e->payload)) {
    o["sample"] = {{"method", Str(s->method)},
                   {"url", Str(s->url)},
                   {"httpVersion", Str(s->http_version)},
                   {"requestHeaders", HeaderPairs(s->request_headers)},
                   {"requestBody", Str(s->request_body)},
                   {"requestBodyTruncated", s->request_body_truncated},
                   {"statusCode", s->status_code},
                   {"responseHeaders", HeaderPairs(s->response_headers)},
                   {"responseBody", Str(s->response_body)},
                   {"responseBodyTruncated", s->response_body_truncated}};
  }
  if (deps.policies != nullptr) {
    auto p = deps.policies->Get(e->filter_id);
    if (p.ok()) {
      const PolicyInfo& i = p->policy.info;
      json::array refs;
      for (const auto& r : i.references) refs.push_back(Str(r));
      o["policyName"] = Str(i.name);
      o["policy"] = {{"id", Str(p->policy.id)},         {"name", Str(i.name)},
                     {"description", Str(i.description)}, {"details", Str(i.details)},
                     {"impact", Str(i.impact)},           {"remediation", Str(i.remediation)},
                     {"references", std::move(refs)}};
    }
  }
  respond(JsonResponse(o));
}

void HandleRender(const V1Deps& deps, const HttpRequest& req, const Responder& respond, bool curl) {
  auto e = deps.store->GetEvent(req.path_params.at("id"));
  if (!e.ok()) {
    respond(ErrorResponse(e.status()));
    return;
  }
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

constexpr char kListDoc[] = R"json({"parameters": [
  {"name": "status", "in": "query", "schema": {"type": "string"}, "description": "ACTIVE, UNDER_REVIEW, IGNORED (comma-separated)"},
  {"name": "severity", "in": "query", "schema": {"type": "string"}},
  {"name": "type", "in": "query", "schema": {"type": "string"}},
  {"name": "actor", "in": "query", "schema": {"type": "string"}},
  {"name": "ip", "in": "query", "schema": {"type": "string"}},
  {"name": "url", "in": "query", "schema": {"type": "string"}},
  {"name": "host", "in": "query", "schema": {"type": "string"}},
  {"name": "policy", "in": "query", "schema": {"type": "string"}},
  {"name": "subCategory", "in": "query", "schema": {"type": "string"}},
  {"name": "successfulExploit", "in": "query", "schema": {"type": "boolean"}},
  {"name": "q", "in": "query", "schema": {"type": "string"}},
  {"name": "from", "in": "query", "schema": {"type": "integer"}},
  {"name": "to", "in": "query", "schema": {"type": "integer"}},
  {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["detectedAt", "-detectedAt", "severity", "-severity"]}},
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
  {"name": "cursor", "in": "query", "schema": {"type": "string"}}
]})json";

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
               R"json({"responses": {"200": {"description": "CSV", "content": {"text/csv": {}}}}})json"});
  router->Add({"GET", "/api/v1/events/{id}", kAnyReader,
               "One event with its stored request/response and its policy",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleDetail(deps, req, respond);
               }});
  router->Add({"GET", "/api/v1/events/{id}/curl", kAnyReader,
               "The event's request as a curl command",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleRender(deps, req, respond, true);
               },
               R"json({"parameters": [{"name": "base", "in": "query", "schema": {"type": "string"},
                   "description": "scheme://host[:port] to send to (default https://<host>)"}],
                   "responses": {"200": {"description": "text", "content": {"text/plain": {}}}}})json"});
  router->Add({"GET", "/api/v1/events/{id}/raw", kAnyReader,
               "The event's request as raw HTTP/1.1",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleRender(deps, req, respond, false);
               },
               R"json({"responses": {"200": {"description": "text", "content": {"text/plain": {}}}}})json"});
}

}  // namespace warden
