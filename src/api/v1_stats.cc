// /api/v1/stats: the dashboard's charts — summary, timeline, countries, top APIs, top rules,
// threat types and actor counts. Every route takes from/to (default: the last 24 hours).
#include <algorithm>
#include <map>

#include "api/json_args.h"
#include "api/policy_service.h"
#include "api/query_args.h"
#include "api/router.h"
#include "api/v1_common.h"
#include "api/v1_routes.h"
#include "common/strings.h"
#include "store/store.h"

namespace warden {

namespace json = boost::json;

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kMaxFilledDays = 400;  // longer ranges list only days with data

DashboardQuery RangeQuery(const TimeRange& r) {
  DashboardQuery q;
  q.start_ts = r.from;
  q.end_ts = r.to;
  return q;
}

// Calls fn(day) for every UTC day of the range (or nothing when it is too long to fill).
template <typename Fn>
bool ForEachDay(const TimeRange& r, Fn fn) {
  std::int64_t first = *r.from / kDay * kDay;
  std::int64_t last = *r.to / kDay * kDay;
  if ((last - first) / kDay + 1 > kMaxFilledDays) return false;
  for (std::int64_t d = first; d <= last; d += kDay) fn(d);
  return true;
}

const std::map<std::string, std::string>& StandardLabels() {
  static const std::map<std::string, std::string> labels = {
      {"API1:2023", "Broken Object Level Authorization"},
      {"API2:2023", "Broken Authentication"},
      {"API3:2023", "Broken Object Property Level Authorization"},
      {"API4:2023", "Unrestricted Resource Consumption"},
      {"API5:2023", "Broken Function Level Authorization"},
      {"API6:2023", "Unrestricted Access to Sensitive Business Flows"},
      {"API7:2023", "Server Side Request Forgery"},
      {"API8:2023", "Security Misconfiguration"},
      {"API9:2023", "Improper Inventory Management"},
      {"API10:2023", "Unsafe Consumption of APIs"},
      {"A01:2021", "Broken Access Control"},
      {"A02:2021", "Cryptographic Failures"},
      {"A03:2021", "Injection"},
      {"A04:2021", "Insecure Design"},
      {"A05:2021", "Security Misconfiguration"},
      {"A06:2021", "Vulnerable and Outdated Components"},
      {"A07:2021", "Identification and Authentication Failures"},
      {"A08:2021", "Software and Data Integrity Failures"},
      {"A09:2021", "Security Logging and Monitoring Failures"},
      {"A10:2021", "Server-Side Request Forgery"},
      {"CWE-22", "Path Traversal"},
      {"CWE-78", "OS Command Injection"},
      {"CWE-79", "Cross-site Scripting"},
      {"CWE-89", "SQL Injection"},
      {"CWE-94", "Code Injection"},
      {"CWE-200", "Exposure of Sensitive Information"},
      {"CWE-287", "Improper Authentication"},
      {"CWE-502", "Deserialization of Untrusted Data"},
      {"CWE-611", "XML External Entity Reference"},
      {"CWE-918", "Server-Side Request Forgery"},
  };
  return labels;
}

void HandleSummary(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  TimeRange r = StatsRange(args, deps);
  if (RespondIfError(args.status(), respond)) return;
  DashboardQuery q = RangeQuery(r);
  auto totals = deps.store->CountEventTotals(q);
  if (RespondIfError(totals.status(), respond)) return;
  const std::vector<KeyCount>* severities = &totals->by_severity;
  const std::vector<CategoryCount>* categories = &totals->by_category;
  ThreatApiQuery apis_query;
  apis_query.start_ts = r.from;
  apis_query.end_ts = r.to;
  apis_query.limit = 0;
  auto apis = deps.store->ListThreatApis(apis_query);
  if (RespondIfError(apis.status(), respond)) return;

  json::object o;
  o["from"] = *r.from;
  o["to"] = *r.to;
  o["events"] = totals->events;
  o["actors"] = totals->actors;
  o["criticalActors"] = totals->critical_actors;
  o["apisUnderThreat"] = apis->total;
  o["successfulExploits"] = totals->successful_exploits;
  json::array by_severity;
  for (const KeyCount& k : *severities) {
    by_severity.push_back({{"severity", JsonText(k.key)}, {"count", k.count}});
  }
  o["bySeverity"] = std::move(by_severity);
  // The store counts (category, sub-category) pairs; the summary wants categories.
  std::vector<std::pair<std::string, std::int64_t>> by_category;
  for (const CategoryCount& c : *categories) {
    auto it = std::find_if(by_category.begin(), by_category.end(),
                           [&](const auto& p) { return p.first == c.category; });
    if (it == by_category.end()) {
      by_category.emplace_back(c.category, c.count);
    } else {
      it->second += c.count;
    }
  }
  std::stable_sort(by_category.begin(), by_category.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  json::array cats;
  for (const auto& [name, count] : by_category) {
    cats.push_back({{"category", JsonText(name)}, {"count", count}});
  }
  o["byCategory"] = std::move(cats);
  json::array by_status;
  for (const KeyCount& k : totals->by_status) {
    by_status.push_back({{"status", JsonText(k.key)}, {"count", k.count}});
  }
  o["byStatus"] = std::move(by_status);
  respond(JsonResponse(o));
}

void HandleTimeline(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  TimeRange r = StatsRange(args, deps);
  if (RespondIfError(args.status(), respond)) return;
  auto days = deps.store->ActivityTimeline(RangeQuery(r));
  if (RespondIfError(days.status(), respond)) return;
  auto day_json = [](const TimelineDay& d) {
    json::array counts;
    std::int64_t total = 0;
    for (const KeyCount& k : d.sub_categories) {
      counts.push_back({{"subCategory", JsonText(k.key)}, {"count", k.count}});
      total += k.count;
    }
    return json::object{{"ts", d.day}, {"total", total}, {"counts", std::move(counts)}};
  };
  json::array items;
  auto it = days->begin();
  bool filled = ForEachDay(r, [&](std::int64_t day) {
    if (it != days->end() && it->day == day) {
      items.push_back(day_json(*it++));
    } else {
      items.push_back(day_json(TimelineDay{.day = day}));
    }
  });
  if (!filled) {
    for (const TimelineDay& d : *days) items.push_back(day_json(d));
  }
  respond(JsonResponse(json::object{{"items", std::move(items)}}));
}

void HandleCountries(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  TimeRange r = StatsRange(args, deps);
  if (RespondIfError(args.status(), respond)) return;
  auto countries = deps.store->ActorsPerCountry(RangeQuery(r));
  if (RespondIfError(countries.status(), respond)) return;
  json::array items;
  for (const KeyCount& k : *countries) {
    items.push_back({{"country", JsonText(k.key)}, {"actors", k.count}});
  }
  respond(JsonResponse(json::object{{"items", std::move(items)}}));
}

void HandleTopApis(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  TimeRange r = StatsRange(args, deps);
  std::int64_t limit = args.Int("limit", 1, 100).value_or(10);
  if (RespondIfError(args.status(), respond)) return;
  ThreatApiQuery q;
  q.start_ts = r.from;
  q.end_ts = r.to;
  q.sort = ThreatApiSortField::kThreatRequests;
  q.limit = limit;
  auto apis = deps.store->ListThreatApis(q);
  if (RespondIfError(apis.status(), respond)) return;
  json::array items;
  for (const ThreatApi& a : apis->apis) items.push_back(ThreatApiJson(a));
  respond(JsonResponse(json::object{{"items", std::move(items)}}));
}

void HandleTopRules(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  TimeRange r = StatsRange(args, deps);
  std::int64_t limit = args.Int("limit", 1, 100).value_or(10);
  if (RespondIfError(args.status(), respond)) return;
  DashboardQuery q = RangeQuery(r);
  q.limit = limit;
  auto rules = deps.store->TopThreatRules(q);
  if (RespondIfError(rules.status(), respond)) return;
  PolicyNames names = LoadPolicyNames(deps);
  json::array items;
  for (const ThreatRuleStat& s : *rules) {
    auto name = names.find(s.filter_id);
    items.push_back({{"policyId", JsonText(s.filter_id)},
                     {"name", JsonText(name == names.end() ? s.filter_id : name->second)},
                     {"events", s.events},
                     {"apis", s.apis},
                     {"actors", s.actors},
                     {"detections", s.detections},
                     {"lastSeen", s.last_seen}});
  }
  respond(JsonResponse(json::object{{"items", std::move(items)}}));
}

void HandleThreatTypes(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  TimeRange r = StatsRange(args, deps);
  std::vector<std::string> scheme_arg =
      args.Enum("scheme", {"warden", "owasp_api_2023", "owasp_2021", "cwe"});
  std::int64_t limit = args.Int("limit", 1, 100).value_or(6);
  if (RespondIfError(args.status(), respond)) return;
  std::string scheme = scheme_arg.empty() ? "warden" : scheme_arg.front();
  ThreatTypeScheme s = scheme == "owasp_api_2023" ? ThreatTypeScheme::kOwaspApi2023
                       : scheme == "owasp_2021"   ? ThreatTypeScheme::kOwasp2021
                       : scheme == "cwe"          ? ThreatTypeScheme::kCwe
                                                  : ThreatTypeScheme::kCategory;
  DashboardQuery q = RangeQuery(r);
  q.limit = limit;
  auto types = deps.store->TopThreatTypes(s, q);
  if (RespondIfError(types.status(), respond)) return;
  // Warden categories are labelled with their policies' display names.
  std::map<std::string, std::string> category_labels;
  if (s == ThreatTypeScheme::kCategory && deps.policies != nullptr) {
    for (const PolicyRecord& p : deps.policies->List()) {
      const Category& c = p.policy.info.category;
      if (!c.display_name.empty()) category_labels.emplace(c.name, c.display_name);
    }
  }
  json::array items;
  for (const KeyCount& k : *types) {
    std::string label = k.key;
    const auto& table = s == ThreatTypeScheme::kCategory ? category_labels : StandardLabels();
    if (auto it = table.find(k.key); it != table.end()) {
      label = s == ThreatTypeScheme::kCategory ? it->second : k.key + " " + it->second;
    }
    items.push_back({{"key", JsonText(k.key)},
                     {"label", JsonText(label)},
                     {"count", k.count},
                     {"actors", k.actors}});
  }
  respond(JsonResponse(json::object{{"scheme", scheme}, {"items", std::move(items)}}));
}

void HandleActors(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  TimeRange r = StatsRange(args, deps);
  if (RespondIfError(args.status(), respond)) return;
  DashboardQuery q = RangeQuery(r);
  auto daily = deps.store->DailyActorCounts(q);
  if (RespondIfError(daily.status(), respond)) return;
  auto fresh = deps.store->CountNewActorsPerDay(q);
  if (RespondIfError(fresh.status(), respond)) return;
  auto levels = deps.store->ActorsByThreatLevel();
  if (RespondIfError(levels.status(), respond)) return;
  auto totals = deps.store->CountNewVsExistingActors(q);
  if (RespondIfError(totals.status(), respond)) return;

  std::map<std::int64_t, std::int64_t> new_on;
  for (const TimeCount& t : *fresh) new_on[t.ts] = t.events;
  std::map<std::int64_t, DailyActors> by_day;
  for (const DailyActors& d : *daily) by_day[d.day] = d;
  json::array days;
  json::array new_vs;
  auto add = [&](std::int64_t day) {
    DailyActors d = by_day.count(day) ? by_day[day] : DailyActors{.day = day};
    std::int64_t n = new_on.count(day) ? new_on[day] : 0;
    days.push_back({{"ts", day}, {"total", d.total}, {"critical", d.critical}});
    // Actors are made by events, so a new actor is active on its first day.
    new_vs.push_back(
        {{"ts", day}, {"new", n}, {"existing", std::max<std::int64_t>(0, d.total - n)}});
  };
  if (!ForEachDay(r, add)) {
    for (const auto& [day, d] : by_day) add(day);
  }
  json::array by_level;
  for (const KeyCount& k : *levels) {
    by_level.push_back({{"threatLevel", JsonText(k.key)}, {"count", k.count}});
  }
  json::object o;
  o["daily"] = std::move(days);
  o["newVsExisting"] = std::move(new_vs);
  o["byThreatLevel"] = std::move(by_level);
  o["newActors"] = totals->new_actors;
  o["existingActors"] = totals->existing_actors;
  respond(JsonResponse(o));
}

constexpr char kRangeDoc[] = R"json({"parameters": [
  {"name": "from", "in": "query", "schema": {"type": "integer"}, "description": "default: 24 h before to"},
  {"name": "to", "in": "query", "schema": {"type": "integer"}, "description": "default: now"}
]})json";

constexpr char kLimitDoc[] = R"json({"parameters": [
  {"name": "from", "in": "query", "schema": {"type": "integer"}, "description": "default: 24 h before to"},
  {"name": "to", "in": "query", "schema": {"type": "integer"}, "description": "default: now"},
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}}
]})json";

constexpr char kThreatTypesDoc[] = R"json({"parameters": [
  {"name": "scheme", "in": "query", "schema": {"type": "string", "enum": ["warden", "owasp_api_2023", "owasp_2021", "cwe"], "default": "warden"}},
  {"name": "from", "in": "query", "schema": {"type": "integer"}, "description": "default: 24 h before to"},
  {"name": "to", "in": "query", "schema": {"type": "integer"}, "description": "default: now"},
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 6}}
],
"responses": {"200": {"description": "{scheme, items: [{key, label, count, actors}]}"}}})json";

}  // namespace

void AddV1StatsRoutes(Router* router, const V1Deps& deps) {
  struct StatsRoute {
    const char* path;
    const char* summary;
    void (*handle)(const V1Deps&, const HttpRequest&, const Responder&);
    const char* doc;
  };
  const StatsRoute routes[] = {
      {"/api/v1/stats/summary",
       "Totals: events, actors, APIs, exploits; by severity, category, status", HandleSummary,
       kRangeDoc},
      {"/api/v1/stats/timeline", "Events per UTC day and sub-category", HandleTimeline, kRangeDoc},
      {"/api/v1/stats/countries", "Actors per country", HandleCountries, kRangeDoc},
      {"/api/v1/stats/top-apis", "The most attacked endpoints", HandleTopApis, kLimitDoc},
      {"/api/v1/stats/top-rules", "Policies by events, with the APIs they hit", HandleTopRules,
       kLimitDoc},
      {"/api/v1/stats/threat-types", "Events per threat type under a scheme", HandleThreatTypes,
       kThreatTypesDoc},
      {"/api/v1/stats/actors",
       "Actors per day (all, critical, new vs existing) and by threat level", HandleActors,
       kRangeDoc},
  };
  for (const StatsRoute& r : routes) {
    auto handle = r.handle;
    router->Add({"GET", r.path, kAnyReader, r.summary,
                 [deps, handle](const HttpRequest& req, const Principal&, Responder respond) {
                   handle(deps, req, respond);
                 },
                 r.doc});
  }
}

}  // namespace warden
