// /api/v1/endpoints: the API inventory, the APIs under threat (list, CSV), one endpoint with its
// totals, rules and recent events, its calls over time and the distribution of its callers.
// Endpoint ids are opaque (v1_common.h EncodeEndpointId).
#include <algorithm>

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

struct CallInterval {
  const char* name;
  std::int64_t seconds;
  std::int64_t bucket_seconds;  // about 15 to 60 buckets per chart
};

constexpr CallInterval kIntervals[] = {
    {"15m", 15 * 60, 60},        {"30m", 30 * 60, 60},         {"1h", 3600, 120},
    {"3h", 3 * 3600, 300},       {"6h", 6 * 3600, 600},        {"12h", 12 * 3600, 1800},
    {"1d", 86400, 3600},         {"7d", 7 * 86400, 6 * 3600},
};

// ?interval= (default 1d).
const CallInterval& ReadInterval(QueryArgs& args) {
  std::vector<std::string> names;
  for (const auto& i : kIntervals) names.emplace_back(i.name);
  std::vector<std::string> got = args.Enum("interval", names);
  for (const auto& i : kIntervals) {
    if (!got.empty() && got.front() == i.name) return i;
  }
  return kIntervals[6];
}

json::object InventoryJson(const Endpoint& ep) {
  json::object o;
  o["id"] = EncodeEndpointId(ep.key);
  o["host"] = JsonText(ep.key.host);
  o["method"] = JsonText(ep.key.method);
  o["endpoint"] = JsonText(ep.key.endpoint_template);
  o["apiCollectionId"] = ep.key.collection_id;
  o["firstSeen"] = ep.first_seen;
  o["lastSeen"] = ep.last_seen;
  o["totalRequests"] = ep.total_requests;
  return o;
}

ThreatApiQuery ReadThreatQuery(QueryArgs& args) {
  ThreatApiQuery q;
  q.search_text = args.String("q").value_or("");
  q.hosts = args.List("host");
  q.latest_attack = args.List("policy");
  q.actor_countries = args.List("country");
  q.organizations = args.List("organization");
  TimeRange range = ReadTimeRange(args);
  q.start_ts = range.from;
  q.end_ts = range.to;
  std::vector<std::string> sort =
      args.Enum("sort", {"-threatRequests", "-totalRequests", "-actorsCount", "-lastSeen",
                         "threatRequests", "totalRequests", "actorsCount", "lastSeen"});
  std::string s = sort.empty() ? "-threatRequests" : sort.front();
  q.descending = s.front() == '-';
  std::string_view field = q.descending ? std::string_view(s).substr(1) : s;
  q.sort = field == "totalRequests" ? ThreatApiSortField::kTotalRequests
           : field == "actorsCount" ? ThreatApiSortField::kActorsCount
           : field == "lastSeen"    ? ThreatApiSortField::kLastSeen
                                    : ThreatApiSortField::kThreatRequests;
  return q;
}

void HandleInventory(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  EndpointQuery q;
  q.search_text = args.String("q").value_or("");
  q.hosts = args.List("host");
  PageRequest page = ReadPage(args);
  if (RespondIfError(args.status(), respond)) return;
  q.skip = page.offset;
  q.limit = page.limit;
  auto result = deps.store->QueryEndpoints(q);
  if (RespondIfError(result.status(), respond)) return;
  json::array items;
  for (const Endpoint& ep : result->endpoints) items.push_back(InventoryJson(ep));
  respond(JsonResponse(PageJson(std::move(items), result->total, page)));
}

void HandleThreats(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  ThreatApiQuery q = ReadThreatQuery(args);
  PageRequest page = ReadPage(args);
  if (RespondIfError(args.status(), respond)) return;
  q.skip = page.offset;
  q.limit = page.limit;
  auto result = deps.store->ListThreatApis(q);
  if (RespondIfError(result.status(), respond)) return;
  json::array items;
  for (const ThreatApi& api : result->apis) items.push_back(ThreatApiJson(api));
  respond(JsonResponse(PageJson(std::move(items), result->total, page)));
}

std::string ThreatApiCsvLine(const ThreatApi& a) {
  std::string rules;
  for (const KeyCount& r : a.rules) {
    rules += (rules.empty() ? "" : " ") + r.key + ":" + std::to_string(r.count);
  }
  return EncodeEndpointId(EndpointKey{.collection_id = a.collection_id,
                                      .host = a.host,
                                      .method = a.method,
                                      .endpoint_template = a.endpoint}) +
         "," + CsvField(a.host) + "," + CsvField(a.method) + "," + CsvField(a.endpoint) + "," +
         std::to_string(a.collection_id) + "," + std::to_string(a.total_requests) + "," +
         std::to_string(a.threat_requests) + "," + std::to_string(a.requests_count) + "," +
         std::to_string(a.actors_count) + "," + CsvField(a.last_filter_id) + "," +
         std::to_string(a.discovered_at) + "," + std::to_string(a.last_seen) + "," +
         CsvField(rules) + "\r\n";
}

// Streams the list query as CSV, a page per store call by offset (threat APIs are groups of
// events sorted on aggregates, which have no stored key to continue from).
void HandleThreatsCsv(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  ThreatApiQuery q = ReadThreatQuery(args);
  std::int64_t limit = args.Int("limit", 1, kCsvMaxRows).value_or(kCsvDefaultRows);
  if (RespondIfError(args.status(), respond)) return;
  auto read_page = [store = deps.store, q](std::int64_t max_rows,
                                           std::string* out) mutable -> Result<std::int64_t> {
    q.limit = max_rows;
    auto page = store->ListThreatApis(q);
    if (!page.ok()) return page.status();
    for (const ThreatApi& a : page->apis) *out += ThreatApiCsvLine(a);
    auto rows = static_cast<std::int64_t>(page->apis.size());
    q.skip += rows;
    return rows;
  };
  RespondCsvStream(
      "id,host,method,endpoint,apiCollectionId,totalRequests,threatRequests,events,actorsCount,"
      "lastRule,firstSeen,lastSeen,rules\r\n",
      limit, std::move(read_page), "warden-threat-apis.csv", respond);
}

// The endpoint of `{id}`, or an error answered (400 naming `id`, 404 when never seen).
std::optional<Endpoint> LoadEndpoint(const V1Deps& deps, const HttpRequest& req,
                                     const Responder& respond) {
  auto key = DecodeEndpointId(req.path_params.at("id"));
  if (RespondIfError(key.status(), respond)) return std::nullopt;
  auto ep = deps.store->GetEndpoint(*key);
  if (RespondIfError(ep.status(), respond)) return std::nullopt;
  return *ep;
}

void HandleDetail(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  TimeRange range = ReadTimeRange(args);
  if (RespondIfError(args.status(), respond)) return;
  auto ep = LoadEndpoint(deps, req, respond);
  if (!ep) return;
  const EndpointKey& k = ep->key;
  ThreatApiQuery q;
  q.collection_ids = {k.collection_id};
  q.hosts = {k.host};
  q.methods = {k.method};
  q.urls = {k.endpoint_template};
  q.start_ts = range.from;
  q.end_ts = range.to;
  q.limit = 10;
  auto threats = deps.store->ListThreatApis(q);
  if (RespondIfError(threats.status(), respond)) return;
  ThreatApi api{.endpoint = k.endpoint_template,
                .method = k.method,
                .host = k.host,
                .collection_id = k.collection_id};
  for (const ThreatApi& t : threats->apis) {
    if (t.endpoint == k.endpoint_template) api = t;
  }
  api.total_requests = ep->total_requests;
  json::object o = ThreatApiJson(api);
  o["trafficFirstSeen"] = ep->first_seen;
  o["trafficLastSeen"] = ep->last_seen;

  EventQuery eq;
  eq.filter.collection_ids = {k.collection_id};
  eq.filter.hosts = {k.host};
  eq.filter.methods = {k.method};
  eq.filter.urls = {k.endpoint_template};
  eq.filter.start_ts = range.from;
  eq.filter.end_ts = range.to;
  eq.limit = 20;
  auto events = deps.store->ListEvents(eq);
  if (RespondIfError(events.status(), respond)) return;
  auto items = EventsJson(deps, events->events, LoadPolicyNames(deps));
  if (RespondIfError(items.status(), respond)) return;
  o["recentEvents"] = json::array(items->begin(), items->end());

  auto calls = deps.store->EndpointCallCounts(k);
  if (RespondIfError(calls.status(), respond)) return;
  json::array counts;
  for (const IntervalCount& c : *calls) {
    counts.push_back({{"interval", c.interval}, {"calls", c.calls}, {"callers", c.actors}});
  }
  o["callCounts"] = std::move(counts);
  respond(JsonResponse(o));
}

void HandleCalls(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  const CallInterval& interval = ReadInterval(args);
  if (RespondIfError(args.status(), respond)) return;
  auto ep = LoadEndpoint(deps, req, respond);
  if (!ep) return;
  std::int64_t now = Now(deps);
  std::int64_t b = interval.bucket_seconds;
  std::int64_t last = now / b * b;
  std::int64_t first = (now - interval.seconds) / b * b;
  auto series = deps.store->EndpointCallSeries(
      ep->key, CallSeriesQuery{.start_ts = first, .end_ts = now, .bucket_seconds = b});
  if (RespondIfError(series.status(), respond)) return;
  json::array items;
  auto it = series->begin();
  for (std::int64_t ts = first; ts <= last; ts += b) {
    std::int64_t count = 0;
    std::int64_t errors = 0;
    if (it != series->end() && it->ts == ts) {
      count = it->requests;
      errors = it->errors;
      ++it;
    }
    items.push_back({{"ts", ts}, {"count", count}, {"errors", errors}});
  }
  json::object o;
  o["interval"] = interval.name;
  o["bucketSeconds"] = b;
  o["items"] = std::move(items);
  respond(JsonResponse(o));
}

std::string BucketLabel(const CallBucket& b) {
  if (b.max_calls == 0) return std::to_string(b.min_calls) + "+";
  if (b.min_calls == b.max_calls) return std::to_string(b.min_calls);
  return std::to_string(b.min_calls) + "-" + std::to_string(b.max_calls);
}

void HandleCallers(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  const CallInterval& interval = ReadInterval(args);
  std::int64_t top = args.Int("top", 1, 100).value_or(10);
  if (RespondIfError(args.status(), respond)) return;
  auto ep = LoadEndpoint(deps, req, respond);
  if (!ep) return;
  std::int64_t now = Now(deps);
  DashboardQuery q;
  q.start_ts = now - interval.seconds;
  q.end_ts = now;
  q.limit = top;
  auto buckets = deps.store->CallerDistribution(&ep->key, q);
  if (RespondIfError(buckets.status(), respond)) return;
  auto callers = deps.store->TopCallers(&ep->key, q);
  if (RespondIfError(callers.status(), respond)) return;
  json::array items;
  for (const CallBucket& b : *buckets) {
    items.push_back({{"calls", BucketLabel(b)}, {"callers", b.actors}});
  }
  json::array top_callers;
  for (const KeyCount& c : *callers) {
    top_callers.push_back({{"actor", JsonText(c.key)}, {"calls", c.count}});
  }
  json::object o;
  o["interval"] = interval.name;
  o["items"] = std::move(items);
  o["topCallers"] = std::move(top_callers);
  respond(JsonResponse(o));
}

constexpr char kInventoryDoc[] = R"json({"parameters": [
  {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "substring of the endpoint template or host"},
  {"name": "host", "in": "query", "schema": {"type": "string"}},
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
  {"name": "cursor", "in": "query", "schema": {"type": "string"}}
],
"responses": {"200": {"description": "{items: [{id, host, method, endpoint, apiCollectionId, firstSeen, lastSeen, totalRequests}], total, nextCursor}, newest lastSeen first"}}})json";

constexpr char kThreatsDoc[] = R"json({"parameters": [
  {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "substring of the endpoint"},
  {"name": "host", "in": "query", "schema": {"type": "string"}},
  {"name": "policy", "in": "query", "schema": {"type": "string"}},
  {"name": "country", "in": "query", "schema": {"type": "string"}, "description": "actor country (ISO-2, comma-separated)"},
  {"name": "organization", "in": "query", "schema": {"type": "string"}, "description": "organisation of the IP that sent the event (exact)"},
  {"name": "from", "in": "query", "schema": {"type": "integer"}},
  {"name": "to", "in": "query", "schema": {"type": "integer"}},
  {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["-threatRequests", "-totalRequests", "-actorsCount", "-lastSeen", "threatRequests", "totalRequests", "actorsCount", "lastSeen"], "default": "-threatRequests"}},
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
  {"name": "cursor", "in": "query", "schema": {"type": "string"}}
],
"responses": {"200": {"description": "{items: [ThreatApi], total, nextCursor}"}}})json";

constexpr char kDetailDoc[] = R"json({"parameters": [
  {"name": "from", "in": "query", "schema": {"type": "integer"}},
  {"name": "to", "in": "query", "schema": {"type": "integer"}}
],
"responses": {"200": {"description": "ThreatApi plus trafficFirstSeen, trafficLastSeen, recentEvents, callCounts"}, "400": {"description": "Malformed id (field id)"}, "404": {"description": "No such endpoint"}}})json";

constexpr char kCallsDoc[] = R"json({"parameters": [
  {"name": "interval", "in": "query", "schema": {"type": "string", "enum": ["15m", "30m", "1h", "3h", "6h", "12h", "1d", "7d"], "default": "1d"}}
],
"responses": {"200": {"description": "{interval, bucketSeconds, items: [{ts, count, errors}]}; errors = 4xx and 5xx answers"}, "400": {"description": "Malformed id (field id)"}, "404": {"description": "No such endpoint"}}})json";

constexpr char kCallersDoc[] = R"json({"parameters": [
  {"name": "interval", "in": "query", "schema": {"type": "string", "enum": ["15m", "30m", "1h", "3h", "6h", "12h", "1d", "7d"], "default": "1d"}},
  {"name": "top", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}}
],
"responses": {"200": {"description": "{interval, items: [{calls: \"1\"|\"2-5\"|…|\"1001+\", callers}], topCallers: [{actor, calls}]}"}, "400": {"description": "Malformed id (field id)"}, "404": {"description": "No such endpoint"}}})json";

}  // namespace

void AddV1EndpointRoutes(Router* router, const V1Deps& deps) {
  router->Add({"GET", "/api/v1/endpoints", kAnyReader, "The API inventory",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleInventory(deps, req, respond);
               },
               kInventoryDoc});
  router->Add({"GET", "/api/v1/endpoints/threats", kAnyReader, "APIs under threat",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleThreats(deps, req, respond);
               },
               kThreatsDoc});
  router->Add({"GET", "/api/v1/endpoints/threats/export.csv", kAnyReader,
               "APIs under threat as CSV",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleThreatsCsv(deps, req, respond);
               },
               kCsvExportDoc});
  router->Add({"GET", "/api/v1/endpoints/{id}", kAnyReader,
               "One endpoint with its totals, rules and recent events",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleDetail(deps, req, respond);
               },
               kDetailDoc});
  router->Add({"GET", "/api/v1/endpoints/{id}/calls", kAnyReader,
               "Calls to an endpoint over time",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleCalls(deps, req, respond);
               },
               kCallsDoc});
  router->Add({"GET", "/api/v1/endpoints/{id}/callers", kAnyReader,
               "Callers of an endpoint by number of calls, and the top callers",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleCallers(deps, req, respond);
               },
               kCallersDoc});
}

}  // namespace warden
