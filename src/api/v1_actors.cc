// /api/v1/actors: list (filters, sorts, CSV), detail with insight, distributions and 90-day
// timeline, evidence (events with their score contribution), IPs, status log, score ledger,
// and status changes (one, bulk).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "actors/status.h"
#include "api/actor_insight.h"
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

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kInsightDays = 90;
constexpr std::size_t kMaxBulkIds = 10000;

const std::vector<std::string>& StatusNames() {
  static const std::vector<std::string> names = {"ACTIVE", "MONITORED", "RESOLVED", "ALLOW",
                                                 "SNOOZE", "SUSPEND",   "DENY"};
  return names;
}

std::optional<ThreatLevel> ParseLevel(std::string_view s) {
  for (ThreatLevel t :
       {ThreatLevel::kLow, ThreatLevel::kMedium, ThreatLevel::kHigh, ThreatLevel::kCritical}) {
    if (EqualsIgnoreCase(s, ThreatLevelName(t))) return t;
  }
  return std::nullopt;
}

json::object ActorJson(const Actor& a, const std::vector<std::string>& hosts, const IpInfo& ip) {
  json::object o;
  o["id"] = JsonText(a.id);
  o["kind"] = ActorKindName(a.kind);
  o["latestIp"] = JsonText(a.latest_ip);
  o["country"] = JsonText(a.country);
  o["firstSeen"] = a.first_seen;
  o["lastSeen"] = a.last_seen;
  o["latestEndpoint"] = JsonText(a.latest_api_endpoint);
  o["latestMethod"] = JsonText(a.latest_api_method);
  o["latestHost"] = JsonText(a.latest_api_host);
  o["latestAttack"] = JsonText(a.latest_attack);
  o["latestSubCategory"] = JsonText(a.latest_sub_category);
  o["maxSeverity"] = SeverityName(a.max_severity);
  o["eventCount"] = a.event_count;
  o["score"] = std::round(a.score * 100) / 100;
  o["threatLevel"] = ThreatLevelName(a.threat_level);
  o["status"] = ActorStatusName(a.status);
  o["statusExpiresAt"] =
      a.status_expires_at > 0 ? json::value(a.status_expires_at) : json::value(nullptr);
  o["statusChangedAt"] = a.status_changed_at;
  o["ipReputation"] = JsonText(ip.reputation);
  o["ipType"] = JsonText(ip.ip_type);
  o["hosts"] = JsonTexts(hosts);
  o["ipCount"] = a.ip_count;
  return o;
}

json::object DetailActorJson(const ActorDetail& d) {
  std::vector<std::string> hosts;
  for (const ActorHost& h : d.hosts) hosts.push_back(h.host);
  IpInfo latest;
  for (const ActorIp& ip : d.ips) {
    if (ip.ip == d.actor.latest_ip) latest = ip.info;
  }
  return ActorJson(d.actor, hosts, latest);
}

ActorQuery ReadActorQuery(QueryArgs& args) {
  ActorQuery q;
  for (const auto& s : args.Enum("status", StatusNames())) {
    q.statuses.push_back(*ParseActorStatus(s));
  }
  for (const auto& s : args.Enum("threatLevel", {"LOW", "MEDIUM", "HIGH", "CRITICAL"})) {
    q.threat_levels.push_back(*ParseLevel(s));
  }
  q.countries = args.List("country");
  q.hosts = args.List("host");
  q.latest_attack = args.List("policy");
  q.search_text = args.String("q").value_or("");
  TimeRange range = ReadTimeRange(args);
  q.start_ts = range.from;
  q.end_ts = range.to;
  std::vector<std::string> sort = args.Enum(
      "sort", {"-lastSeen", "lastSeen", "-score", "score", "-eventCount", "eventCount",
               "-firstSeen", "firstSeen"});
  std::string s = sort.empty() ? "-lastSeen" : sort.front();
  q.sort_descending = s.front() == '-';
  std::string_view field = q.sort_descending ? std::string_view(s).substr(1) : s;
  q.sort = field == "score"        ? ActorSortField::kScore
           : field == "eventCount" ? ActorSortField::kEventCount
           : field == "firstSeen"  ? ActorSortField::kFirstSeen
                                   : ActorSortField::kLastSeen;
  q.activity_limit = 0;
  return q;
}

void HandleList(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  ActorQuery q = ReadActorQuery(args);
  PageRequest page = ReadPage(args);
  if (RespondIfError(args.status(), respond)) return;
  q.skip = page.offset;
  q.limit = page.limit;
  auto result = deps.store->ListActors(q);
  if (RespondIfError(result.status(), respond)) return;
  json::array items;
  for (const ActorSummary& a : result->actors) {
    items.push_back(ActorJson(a.actor, a.hosts, a.latest_ip_info));
  }
  respond(JsonResponse(PageJson(std::move(items), result->total, page)));
}

std::string ActorCsvLine(const ActorSummary& s) {
  const Actor& a = s.actor;
  std::string hosts;
  for (const auto& h : s.hosts) hosts += (hosts.empty() ? "" : " ") + h;
  char score[32];
  std::snprintf(score, sizeof(score), "%.2f", a.score);
  return CsvField(a.id) + "," + std::string(ActorKindName(a.kind)) + "," +
         std::string(ActorStatusName(a.status)) + "," +
         (a.status_expires_at > 0 ? std::to_string(a.status_expires_at) : "") + "," +
         std::string(ThreatLevelName(a.threat_level)) + "," + score + "," +
         std::to_string(a.event_count) + "," + std::to_string(a.first_seen) + "," +
         std::to_string(a.last_seen) + "," + CsvField(a.latest_ip) + "," + CsvField(a.country) +
         "," + CsvField(s.latest_ip_info.ip_type) + "," + CsvField(s.latest_ip_info.reputation) +
         "," + std::to_string(a.ip_count) + "," + CsvField(a.latest_api_host) + "," +
         CsvField(a.latest_api_method) + "," + CsvField(a.latest_api_endpoint) + "," +
         CsvField(a.latest_attack) + "," + CsvField(hosts) + "\r\n";
}

// Streams the list query as CSV, a page per store call by offset (the actor sorts include the
// decaying score, which has no stable key to continue from).
void HandleCsv(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  ActorQuery q = ReadActorQuery(args);
  std::int64_t limit = args.Int("limit", 1, kCsvMaxRows).value_or(kCsvDefaultRows);
  if (RespondIfError(args.status(), respond)) return;
  auto read_page = [store = deps.store, q](std::int64_t max_rows,
                                           std::string* out) mutable -> Result<std::int64_t> {
    q.limit = max_rows;
    auto page = store->ListActors(q);
    if (!page.ok()) return page.status();
    for (const ActorSummary& s : page->actors) *out += ActorCsvLine(s);
    auto rows = static_cast<std::int64_t>(page->actors.size());
    q.skip += rows;
    return rows;
  };
  RespondCsvStream(
      "id,kind,status,statusExpiresAt,threatLevel,score,eventCount,firstSeen,lastSeen,latestIp,"
      "country,ipType,ipReputation,ipCount,latestHost,latestMethod,latestEndpoint,latestAttack,"
      "hosts\r\n",
      limit, std::move(read_page), "warden-actors.csv", respond);
}

json::array KeyCounts(const std::vector<KeyCount>& v) {
  json::array a;
  for (const KeyCount& k : v) a.push_back({{"key", JsonText(k.key)}, {"count", k.count}});
  return a;
}

void HandleDetail(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  const std::string& id = req.path_params.at("id");
  auto detail = deps.store->GetActor(id);
  if (RespondIfError(detail.status(), respond)) return;
  std::int64_t now = Now(deps);
  std::int64_t today = now / kDay * kDay;
  std::int64_t first_day = today - (kInsightDays - 1) * kDay;
  DashboardQuery range;
  range.start_ts = first_day;
  range.end_ts = now;
  range.limit = 10;
  auto breakdown = deps.store->SummarizeActorEvents(id, range);
  if (RespondIfError(breakdown.status(), respond)) return;
  EventFilter f;
  f.actors = {id};
  f.start_ts = first_day;
  f.end_ts = now;
  auto days = deps.store->CountEventsOverTime(f, kDay);
  if (RespondIfError(days.status(), respond)) return;

  PolicyNames names = LoadPolicyNames(deps);
  ActorInsight insight = DescribeActor(ActorInsightInput{.detail = &*detail,
                                                         .events = &*breakdown,
                                                         .policy_names = &names,
                                                         .window_days = kInsightDays,
                                                         .now = now});
  json::object o = DetailActorJson(*detail);
  o["insight"] = JsonText(insight.text);
  o["recommendedStatus"] = ActorStatusName(insight.recommended_status);
  o["recommendedDuration"] = insight.recommended_duration > 0
                                 ? json::value(insight.recommended_duration)
                                 : json::value(nullptr);
  o["distributions"] = {{"domains", KeyCounts(breakdown->hosts)},
                        {"statusCodes", KeyCounts(breakdown->status_codes)},
                        {"threatTypes", KeyCounts(breakdown->sub_categories)},
                        {"policies", KeyCounts(breakdown->policies)},
                        {"endpoints", KeyCounts(breakdown->endpoints)},
                        {"severities", KeyCounts(breakdown->severities)}};
  json::array timeline;
  auto it = days->begin();
  for (std::int64_t ts = first_day; ts <= today; ts += kDay) {
    std::int64_t events = 0;
    std::int64_t detections = 0;
    if (it != days->end() && it->ts == ts) {
      events = it->events;
      detections = it->detections;
      ++it;
    }
    timeline.push_back({{"ts", ts}, {"count", events}, {"detections", detections}});
  }
  o["timeline90d"] = std::move(timeline);
  o["countries"] = JsonTexts(detail->countries);
  o["successfulExploits90d"] = breakdown->successful_exploits;
  o["events90d"] = breakdown->events;
  respond(JsonResponse(o));
}

void HandleEvents(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  const std::string& id = req.path_params.at("id");
  QueryArgs args(req);
  TimeRange range = StatsRange(args, deps);
  PageRequest page = ReadPage(args);
  if (RespondIfError(args.status(), respond)) return;
  auto actor = deps.store->GetActor(id);
  if (RespondIfError(actor.status(), respond)) return;
  EventQuery q;
  q.filter.actors = {id};
  q.filter.start_ts = range.from;
  q.filter.end_ts = range.to;
  q.skip = page.offset;
  q.limit = page.limit;
  auto events = deps.store->ListEvents(q);
  if (RespondIfError(events.status(), respond)) return;
  auto items = EventsJson(deps, events->events, LoadPolicyNames(deps));
  if (RespondIfError(items.status(), respond)) return;
  std::vector<std::string> ids;
  for (const Event& e : events->events) ids.push_back(e.id);
  auto ledger = deps.store->ListScoreLedgerForEvents(ids);
  if (RespondIfError(ledger.status(), respond)) return;
  std::unordered_map<std::string, double> points;
  for (const ScoreLedgerRow& r : *ledger) points[r.event_id] += r.points;
  json::array out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    json::object o = std::move((*items)[i]);
    o["scoreContribution"] = points[events->events[i].id];
    out.push_back(std::move(o));
  }
  respond(JsonResponse(PageJson(std::move(out), events->total, page)));
}

void HandleIps(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  PageRequest page = ReadPage(args);
  if (RespondIfError(args.status(), respond)) return;
  auto detail = deps.store->GetActor(req.path_params.at("id"));
  if (RespondIfError(detail.status(), respond)) return;
  json::array all;
  for (const ActorIp& ip : detail->ips) {
    all.push_back({{"ip", JsonText(ip.ip)},
                   {"firstSeen", ip.first_seen},
                   {"lastSeen", ip.last_seen},
                   {"country", JsonText(ip.info.country)},
                   {"city", JsonText(ip.info.city)},
                   {"region", JsonText(ip.info.region)},
                   {"asn", ip.info.asn > 0 ? json::value(ip.info.asn) : json::value(nullptr)},
                   {"organization", JsonText(ip.info.org)},
                   {"type", JsonText(ip.info.ip_type)},
                   {"reputation", JsonText(ip.info.reputation)}});
  }
  respond(JsonResponse(SlicePageJson(all, page)));
}

void HandleStatusLog(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  const std::string& id = req.path_params.at("id");
  QueryArgs args(req);
  PageRequest page = ReadPage(args);
  if (RespondIfError(args.status(), respond)) return;
  auto actor = deps.store->GetActor(id);
  if (RespondIfError(actor.status(), respond)) return;
  auto log = deps.store->ListActorStatusLog(id, 10000);
  if (RespondIfError(log.status(), respond)) return;
  json::array all;
  for (const ActorStatusLogEntry& e : *log) {
    all.push_back({{"ts", e.at},
                   {"from", ActorStatusName(e.from)},
                   {"to", ActorStatusName(e.to)},
                   {"comment", JsonText(e.comment)},
                   {"by", JsonText(e.by)},
                   {"expiresAt", e.expires_at > 0 ? json::value(e.expires_at) : json::value(nullptr)}});
  }
  respond(JsonResponse(SlicePageJson(all, page)));
}

void HandleLedger(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  const std::string& id = req.path_params.at("id");
  QueryArgs args(req);
  std::int64_t limit = args.Int("limit", 1, 5000).value_or(500);
  if (RespondIfError(args.status(), respond)) return;
  auto actor = deps.store->GetActor(id);
  if (RespondIfError(actor.status(), respond)) return;
  auto rows = deps.store->ListScoreLedger(id, limit);
  if (RespondIfError(rows.status(), respond)) return;
  // The policy of each row comes from its event (gone when retention removed it).
  EventQuery q;
  for (const ScoreLedgerRow& r : *rows) q.filter.ids.push_back(r.event_id);
  std::sort(q.filter.ids.begin(), q.filter.ids.end());
  q.filter.ids.erase(std::unique(q.filter.ids.begin(), q.filter.ids.end()), q.filter.ids.end());
  std::unordered_map<std::string, std::string> policy_of;
  if (!q.filter.ids.empty()) {
    q.limit = static_cast<std::int64_t>(q.filter.ids.size());
    auto events = deps.store->ListEvents(q);
    if (RespondIfError(events.status(), respond)) return;
    for (const Event& e : events->events) policy_of[e.id] = e.filter_id;
  }
  json::array items;
  for (const ScoreLedgerRow& r : *rows) {
    items.push_back({{"ts", r.at},
                     {"eventId", JsonText(r.event_id)},
                     {"policyId", JsonText(policy_of[r.event_id])},
                     {"severity", SeverityName(r.severity)},
                     {"points", r.points},
                     {"successfulExploit", r.successful_exploit},
                     {"reason", JsonText(r.reason)}});
  }
  json::object o;
  o["items"] = std::move(items);
  o["score"] = std::round(actor->actor.score * 100) / 100;
  o["threatLevel"] = ThreatLevelName(actor->actor.threat_level);
  o["scoreResetAt"] = actor->actor.score_reset_at;
  respond(JsonResponse(o));
}

// {"status","duration"?,"comment"?} of status changes; ids filled by the caller.
Result<ActorStatusChange> ReadStatusChange(JsonArgs& args, const Principal& who) {
  ActorStatusChange c;
  auto status = args.String("status");
  c.duration_seconds = args.Int("duration", 0, 7 * kDay).value_or(0);
  c.comment = args.String("comment").value_or("");
  if (!args.ok()) return args.status();
  if (!status) return Status::InvalidArgument("status: required", "status");
  auto parsed = ParseActorStatus(AsciiUppered(*status));
  if (!parsed) {
    return Status::InvalidArgument(
        "status: must be ACTIVE, RESOLVED, ALLOW, SNOOZE, SUSPEND or DENY", "status");
  }
  if (*parsed == ActorStatus::kMonitored) {
    return Status::InvalidArgument("status: MONITORED is set by the system", "status");
  }
  c.status = *parsed;
  WARDEN_RETURN_IF_ERROR(ValidateStatusChange(c.status, c.duration_seconds));
  c.by = By(who);
  return c;
}

json::object ChangeDetail(const ActorStatusChange& c, std::int64_t now) {
  json::object d;
  d["status"] = ActorStatusName(c.status);
  if (c.duration_seconds > 0) {
    d["duration"] = c.duration_seconds;
    d["expiresAt"] = now + c.duration_seconds;
  }
  if (!c.comment.empty()) d["comment"] = JsonText(c.comment);
  return d;
}

void HandleSetStatus(const V1Deps& deps, const HttpRequest& req, const Principal& who,
                     const Responder& respond) {
  const std::string& id = req.path_params.at("id");
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  auto change = ReadStatusChange(args, who);
  if (RespondIfError(change.status(), respond)) return;
  auto before = deps.store->GetActor(id);
  if (RespondIfError(before.status(), respond)) return;
  change->actor_ids = {id};
  auto done = deps.store->SetActorStatus(*change);
  if (RespondIfError(done.status(), respond)) return;
  json::object detail = ChangeDetail(*change, Now(deps));
  detail["from"] = ActorStatusName(before->actor.status);
  RecordAudit(deps, who, "actor.status", id, std::move(detail));
  auto after = deps.store->GetActor(id);
  if (RespondIfError(after.status(), respond)) return;
  respond(JsonResponse(DetailActorJson(*after)));
}

void HandleBulkStatus(const V1Deps& deps, const HttpRequest& req, const Principal& who,
                      const Responder& respond) {
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  std::vector<std::string> ids = args.Strings("ids");
  auto change = ReadStatusChange(args, who);
  if (RespondIfError(args.status(), respond) || RespondIfError(change.status(), respond)) return;
  if (ids.empty()) {
    respond(HttpResponse::Error(400, "ids: required", "ids"));
    return;
  }
  if (ids.size() > kMaxBulkIds) {
    respond(HttpResponse::Error(400, "ids: at most 10000 per call", "ids"));
    return;
  }
  change->actor_ids = ids;
  auto done = deps.store->SetActorStatus(*change);
  if (RespondIfError(done.status(), respond)) return;
  json::object detail = ChangeDetail(*change, Now(deps));
  detail["updated"] = *done;
  std::string target;
  for (const auto& i : ids) target += (target.empty() ? "" : ",") + i;
  RecordAudit(deps, who, "actors.status", target, std::move(detail));
  respond(JsonResponse(json::object{{"updated", *done}}));
}

constexpr char kListDoc[] = R"json({"parameters": [
  {"name": "status", "in": "query", "schema": {"type": "string"}, "description": "ACTIVE, MONITORED, RESOLVED, ALLOW, SNOOZE, SUSPEND, DENY (comma-separated; the status in force now)"},
  {"name": "threatLevel", "in": "query", "schema": {"type": "string"}, "description": "LOW, MEDIUM, HIGH, CRITICAL (comma-separated)"},
  {"name": "country", "in": "query", "schema": {"type": "string"}},
  {"name": "host", "in": "query", "schema": {"type": "string"}, "description": "actor has an event on this host"},
  {"name": "policy", "in": "query", "schema": {"type": "string"}, "description": "actor has an event of this policy"},
  {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "substring of id, latest IP, latest attack or endpoint"},
  {"name": "from", "in": "query", "schema": {"type": "integer"}, "description": "lastSeen >= from"},
  {"name": "to", "in": "query", "schema": {"type": "integer"}, "description": "firstSeen <= to"},
  {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["-lastSeen", "lastSeen", "-score", "score", "-eventCount", "eventCount", "-firstSeen", "firstSeen"], "default": "-lastSeen"}},
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
  {"name": "cursor", "in": "query", "schema": {"type": "string"}}
],
"responses": {"200": {"description": "{items: [Actor], total, nextCursor}"}}})json";

constexpr char kDetailDoc[] = R"json({"responses": {"200": {"description": "Actor plus insight, recommendedStatus, distributions {domains, statusCodes, threatTypes}, timeline90d"}, "404": {"description": "No such actor"}}})json";

constexpr char kEventsDoc[] = R"json({"parameters": [
  {"name": "from", "in": "query", "schema": {"type": "integer"}, "description": "default: 24 h before to"},
  {"name": "to", "in": "query", "schema": {"type": "integer"}, "description": "default: now"},
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
  {"name": "cursor", "in": "query", "schema": {"type": "string"}}
],
"responses": {"200": {"description": "{items: [Event + scoreContribution], total, nextCursor}"}, "404": {"description": "No such actor"}}})json";

constexpr char kPagedDoc[] = R"json({"parameters": [
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
  {"name": "cursor", "in": "query", "schema": {"type": "string"}}
],
"responses": {"200": {"description": "{items, total, nextCursor}"}, "404": {"description": "No such actor"}}})json";

constexpr char kLedgerDoc[] = R"json({"parameters": [
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 5000, "default": 500}}
],
"responses": {"200": {"description": "{items: [{ts, eventId, policyId, severity, points, successfulExploit, reason}], score, threatLevel}"}, "404": {"description": "No such actor"}}})json";

constexpr char kStatusDoc[] = R"json({
  "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {
    "status": {"type": "string", "enum": ["ACTIVE", "RESOLVED", "ALLOW", "SNOOZE", "SUSPEND", "DENY"]},
    "duration": {"type": "integer", "minimum": 3600, "maximum": 604800, "description": "seconds; SNOOZE and SUSPEND only"},
    "comment": {"type": "string"}}}}}},
  "responses": {"200": {"description": "The actor"}, "404": {"description": "No such actor"}}})json";

constexpr char kBulkDoc[] = R"json({
  "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["ids", "status"], "properties": {
    "ids": {"type": "array", "items": {"type": "string"}},
    "status": {"type": "string", "enum": ["ACTIVE", "RESOLVED", "ALLOW", "SNOOZE", "SUSPEND", "DENY"]},
    "duration": {"type": "integer", "minimum": 3600, "maximum": 604800},
    "comment": {"type": "string"}}}}}},
  "responses": {"200": {"description": "{updated: N}; all or nothing"}, "404": {"description": "An actor does not exist (nothing changed)"}}})json";

}  // namespace

void AddV1ActorRoutes(Router* router, const V1Deps& deps) {
  router->Add({"GET", "/api/v1/actors", kAnyReader, "List threat actors",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleList(deps, req, respond);
               },
               kListDoc});
  router->Add({"GET", "/api/v1/actors/export.csv", kAnyReader, "Threat actors as CSV",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleCsv(deps, req, respond);
               },
               kCsvExportDoc});
  router->Add({"POST", "/api/v1/actors/status", kWriters, "Set the status of many actors",
               [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                 HandleBulkStatus(deps, req, who, respond);
               },
               kBulkDoc});
  router->Add({"GET", "/api/v1/actors/{id}", kAnyReader,
               "One actor with insight, distributions and its 90-day timeline",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleDetail(deps, req, respond);
               },
               kDetailDoc});
  router->Add({"GET", "/api/v1/actors/{id}/events", kAnyReader,
               "The actor's events with their score contribution",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleEvents(deps, req, respond);
               },
               kEventsDoc});
  router->Add({"GET", "/api/v1/actors/{id}/ips", kAnyReader,
               "The IPs the actor used, with enrichment",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleIps(deps, req, respond);
               },
               kPagedDoc});
  router->Add({"GET", "/api/v1/actors/{id}/status-log", kAnyReader,
               "The actor's status changes, newest first",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleStatusLog(deps, req, respond);
               },
               kPagedDoc});
  router->Add({"GET", "/api/v1/actors/{id}/ledger", kAnyReader,
               "The actor's score ledger and its score now",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleLedger(deps, req, respond);
               },
               kLedgerDoc});
  router->Add({"POST", "/api/v1/actors/{id}/status", kWriters,
               "Set an actor's status (SNOOZE / SUSPEND take a duration)",
               [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                 HandleSetStatus(deps, req, who, respond);
               },
               kStatusDoc});
}

}  // namespace warden
