#include "api/akto_routes.h"

#include <map>
#include <memory>

#include "api/akto_internal.h"
#include "api/ingest_sink.h"
#include "api/json_args.h"
#include "api/router.h"
#include "common/log.h"
#include "common/strings.h"
#include "store/store.h"

namespace warden {

namespace json = boost::json;

namespace akto {

json::string Str(std::string_view s) { return json::string(SanitizeUtf8(s)); }

void RecordAudit(const AktoRoutesDeps& deps, const Principal& who, std::string_view action,
                 std::string_view target, json::object detail) {
  if (deps.store == nullptr) return;
  if (!who.key_id.empty()) detail["keyId"] = who.key_id;
  AuditEntry entry;
  entry.at = (deps.clock != nullptr ? *deps.clock : SystemClock::Instance()).NowSeconds();
  entry.by = who.key_name.empty() ? who.key_id : who.key_name;
  entry.action = std::string(action);
  entry.target = SanitizeUtf8(TruncateUtf8(target, 2000));
  entry.detail = json::serialize(detail);
  Status st = deps.store->AppendAudit(entry);
  if (!st.ok()) {
    spdlog::error("audit: recording {} on '{}' by {} failed: {}", entry.action, entry.target,
                  entry.by, st.ToString());
  }
}

json::array StrArray(const std::vector<std::string>& in) {
  json::array a;
  for (const auto& x : in) a.push_back(Str(x));
  return a;
}

json::object EventJson(const Event& e, std::string_view ticket_url) {
  json::object o;
  o["id"] = Str(e.id);
  o["refId"] = Str(e.ref_id);
  o["actor"] = Str(e.actor);
  o["filterId"] = Str(e.filter_id);
  o["url"] = Str(e.url);
  o["endpoint"] = Str(e.endpoint_template);
  o["method"] = Str(e.method);
  o["host"] = Str(e.host);
  o["apiCollectionId"] = e.api_collection_id;
  o["ip"] = Str(e.ip);
  o["country"] = Str(e.country);
  o["destCountry"] = "";
  o["type"] = DetectionTypeName(e.type);
  o["eventType"] = EventTypeName(e.event_type);
  o["category"] = Str(e.category);
  o["subCategory"] = Str(e.sub_category);
  o["severity"] = SeverityName(e.severity);
  o["payload"] = Str(e.payload);
  o["metadata"] = Str(e.metadata);
  o["timestamp"] = e.detected_at;
  o["status"] = EventStatusName(e.status);
  o["successfulExploit"] = e.successful_exploit;
  o["label"] = "threat";
  o["jiraTicketUrl"] = Str(ticket_url);
  o["sessionId"] = "";
  o["count"] = e.count;
  o["lastDetectedAt"] = e.last_detected_at > 0 ? e.last_detected_at : e.detected_at;
  o["owaspApi2023"] = StrArray(e.owasp_api_2023);
  o["owasp2021"] = StrArray(e.owasp_2021);
  o["cwe"] = StrArray(e.cwe);
  o["sampleRefs"] = StrArray(e.sample_refs);
  return o;
}

bool CheckArgs(const JsonArgs& args, const Responder& respond) {
  if (args.ok()) return true;
  respond(ErrorResponse(args.status()));
  return false;
}

json::value SortEcho(const std::optional<std::pair<std::string, bool>>& sort) {
  if (!sort) return nullptr;
  json::object o;
  o[sort->first] = sort->second ? -1 : 1;
  return o;
}

std::optional<json::object> BodyOrRespond(const HttpRequest& req, const Responder& respond) {
  auto body = ParseJsonBody(req.body);
  if (!body.ok()) {
    respond(ErrorResponse(body.status()));
    return std::nullopt;
  }
  return std::move(body).value();
}

namespace {

template <typename T, typename Parse>
Status ParseEnumList(const std::vector<std::string>& in, const std::string& field, Parse parse,
                     std::vector<T>* out) {
  for (const auto& s : in) {
    auto v = parse(s);
    if (!v) return Status::InvalidArgument(field + ": unknown value '" + s + "'", field);
    out->push_back(*v);
  }
  return Status::Ok();
}

Status Prefixed(const Status& st, std::string_view prefix) {
  if (st.ok() || prefix.empty()) return st;
  return Status::InvalidArgument(std::string(prefix) + st.message(),
                                 std::string(prefix) + st.field());
}

}  // namespace

Status ReadEventFilter(const json::object& body, std::string_view prefix, EventFilter* f) {
  JsonArgs args(body);
  f->ips = args.Strings("ips");
  f->urls = args.Strings("urls");
  f->hosts = args.Strings("hosts");
  f->methods = args.Strings("method");
  f->filter_ids = args.Strings("latestAttack");
  f->sub_categories = args.Strings("subCategory");
  f->actors = args.Strings("actors");
  for (auto id : args.Ints("apiCollectionIds")) {
    f->collection_ids.push_back(static_cast<std::int32_t>(id));
  }
  f->successful_exploit = args.Bool("successfulExploit");
  f->start_ts = args.FirstInt({"startTimestamp", "startTs"}, 0, kMaxTs);
  f->end_ts = args.FirstInt({"endTimestamp", "endTs"}, 0, kMaxTs);
  f->search_text = args.String("searchText").value_or("");
  auto types = args.Strings("types");
  auto statuses = args.Strings("statusFilter");
  auto severities = args.Strings("severity");
  if (!args.ok()) return Prefixed(args.status(), prefix);
  std::string p(prefix);
  WARDEN_RETURN_IF_ERROR(ParseEnumList(types, p + "types", ParseDetectionType, &f->types));
  WARDEN_RETURN_IF_ERROR(
      ParseEnumList(statuses, p + "statusFilter", ParseEventStatus, &f->statuses));
  WARDEN_RETURN_IF_ERROR(ParseEnumList(severities, p + "severity", ParseSeverity, &f->severities));
  return Status::Ok();
}

DashboardQuery ReadDashboardQuery(JsonArgs& args, Status* enum_error) {
  DashboardQuery q;
  q.start_ts = args.FirstInt({"startTs", "startTimestamp"}, 0, kMaxTs);
  q.end_ts = args.FirstInt({"endTs", "endTimestamp"}, 0, kMaxTs);
  q.filter_ids = args.Strings("latestAttack");
  auto statuses = args.Strings("status");
  if (statuses.empty()) statuses = args.Strings("statusFilter");
  for (const auto& s : statuses) {
    auto v = ParseEventStatus(s);
    if (!v) {
      if (enum_error->ok()) {
        *enum_error = Status::InvalidArgument("status: unknown value '" + s + "'", "status");
      }
      continue;
    }
    q.statuses.push_back(*v);
  }
  return q;
}

}  // namespace akto

namespace {

using akto::BodyOrRespond;
using akto::CheckArgs;
using akto::EventJson;
using akto::kMaxLimit;
using akto::kMaxSkip;
using akto::kMaxTs;
using akto::SortEcho;
using akto::Str;

// Paging and sort fields every list route reads.
struct Paging {
  std::int64_t skip = 0;
  std::int64_t limit = 50;
  std::optional<std::pair<std::string, bool>> sort;
};

Paging ReadPaging(JsonArgs& args) {
  Paging p;
  p.skip = args.Int("skip", 0, kMaxSkip).value_or(0);
  p.limit = args.Int("limit", 1, kMaxLimit).value_or(50);
  p.sort = args.Sort("sort");
  return p;
}

HttpResponse UnknownSortField(const std::string& field, const char* allowed) {
  return HttpResponse::Error(400, "sort: unknown field '" + field + "' (use " + allowed + ")",
                             "sort");
}

void HandleIngest(const AktoRoutesDeps& deps, const HttpRequest& req, const Responder& respond) {
  auto parsed = ParseAktoBatch(req.body, deps.ingest_options);
  if (!parsed.ok()) {
    respond(ErrorResponse(parsed.status()));
    return;
  }
  auto rejected = std::make_shared<json::array>();
  for (const auto& r : parsed->rejected) {
    json::object o;
    o["index"] = r.index;
    o["field"] = Str(r.field);
    o["message"] = Str(r.message);
    rejected->push_back(std::move(o));
  }
  std::size_t accepted = parsed->exchanges.size();
  if (accepted == 0 && !rejected->empty()) {
    const auto& first = parsed->rejected.front();
    HttpResponse resp =
        HttpResponse::Error(400, "no valid record in batch; first error: " + first.message,
                            "batchData[" + std::to_string(first.index) + "]." + first.field);
    // Keep the error shape and add the full list.
    auto body = json::parse(resp.body).as_object();
    body["rejected"] = *rejected;
    respond(JsonResponse(body, 400));
    return;
  }
  auto respond_ok = [rejected, accepted](const Responder& r) {
    json::object o;
    o["success"] = true;
    o["accepted"] = accepted;
    o["rejected"] = *rejected;
    r(JsonResponse(o));
  };
  if (accepted == 0) {
    respond_ok(respond);
    return;
  }
  Status st =
      deps.sink->Submit(std::move(parsed).value().exchanges, [respond, respond_ok](Status done) {
        if (done.ok()) {
          respond_ok(respond);
        } else {
          respond(ErrorResponse(done.code() == StatusCode::kResourceExhausted
                                    ? done
                                    : Status::Unavailable("ingest failed: " + done.message())));
        }
      });
  if (!st.ok()) respond(ErrorResponse(st));
}

void HandleSuspectSampleData(const AktoRoutesDeps& deps, const HttpRequest& req,
                             const Responder& respond) {
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  Paging paging = ReadPaging(args);
  auto sort_by_severity = args.Bool("sortBySeverity");
  auto types = args.Strings("types");
  if (!CheckArgs(args, respond)) return;
  EventQuery q;
  q.skip = paging.skip;
  q.limit = paging.limit;
  const auto& sort = paging.sort;
  EventFilter& f = q.filter;
  Status st = akto::ReadEventFilter(*body, "", &f);
  if (!st.ok()) {
    respond(ErrorResponse(st));
    return;
  }
  if (sort) {
    if (sort->first == "severity") {
      q.sort = EventSortField::kSeverity;
    } else if (sort->first != "detectedAt" && sort->first != "timestamp") {
      respond(UnknownSortField(sort->first, "detectedAt or severity"));
      return;
    }
    q.descending = sort->second;
  }
  if (sort_by_severity.value_or(false)) q.sort = EventSortField::kSeverity;

  auto page = deps.store->ListEvents(q);
  if (!page.ok()) {
    respond(ErrorResponse(page.status()));
    return;
  }
  std::vector<std::string> ids;
  for (const auto& e : page->events) ids.push_back(e.id);
  auto tickets = deps.store->ListEventTickets(ids);
  if (!tickets.ok()) {
    respond(ErrorResponse(tickets.status()));
    return;
  }
  std::map<std::string, std::string> ticket_of;
  for (auto& t : *tickets) ticket_of[t.event_id] = std::move(t.url);
  json::array events;
  for (const auto& e : page->events) {
    auto it = ticket_of.find(e.id);
    events.push_back(EventJson(e, it == ticket_of.end() ? std::string_view() : it->second));
  }
  json::object o;
  o["maliciousEvents"] = std::move(events);
  o["total"] = page->total;
  o["skip"] = q.skip;
  o["limit"] = q.limit;
  o["sort"] = SortEcho(sort);
  o["urls"] = akto::StrArray(f.urls);
  o["types"] = akto::StrArray(types);
  o["startTimestamp"] = f.start_ts.value_or(0);
  o["endTimestamp"] = f.end_ts.value_or(0);
  respond(JsonResponse(o));
}

void HandleThreatActors(const AktoRoutesDeps& deps, const HttpRequest& req,
                        const Responder& respond) {
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  Paging paging = ReadPaging(args);
  ActorQuery q;
  q.skip = paging.skip;
  q.limit = paging.limit;
  const auto& sort = paging.sort;
  q.latest_attack = args.Strings("latestAttack");
  q.countries = args.Strings("country");
  q.actor_ids = args.Strings("actorId");
  q.hosts = args.Strings("host");
  q.start_ts = args.FirstInt({"startTs", "startTimestamp"}, 0, kMaxTs);
  q.end_ts = args.FirstInt({"endTs", "endTimestamp"}, 0, kMaxTs);
  if (!CheckArgs(args, respond)) return;
  if (sort) {
    if (sort->first != "discoveredAt") {
      respond(UnknownSortField(sort->first, "discoveredAt"));
      return;
    }
    q.sort_descending = sort->second;
  }
  auto page = deps.store->ListActors(q);
  if (!page.ok()) {
    respond(ErrorResponse(page.status()));
    return;
  }
  json::array actors;
  for (const auto& s : page->actors) {
    const Actor& a = s.actor;
    json::object o;
    o["id"] = Str(a.id);
    o["actorType"] = ActorKindName(a.kind);
    o["latestApiIp"] = Str(a.latest_ip);
    o["latestApiEndpoint"] = Str(a.latest_api_endpoint);
    o["latestApiMethod"] = Str(a.latest_api_method);
    o["latestApiHost"] = Str(a.latest_api_host);
    o["latestAttack"] = Str(a.latest_attack);
    o["latestSubcategory"] = Str(a.latest_sub_category);
    o["discoveredAt"] = a.first_seen;
    o["lastSeen"] = a.last_seen;
    o["country"] = Str(a.country);
    o["eventCount"] = a.event_count;
    o["severity"] = SeverityName(a.max_severity);
    o["isCritical"] = a.max_severity >= Severity::kHigh;
    o["threatLevel"] = ThreatLevelName(a.threat_level);
    o["score"] = a.score;
    o["status"] = ActorStatusName(a.status);
    o["statusExpiresAt"] = a.status_expires_at;
    o["statusChangedAt"] = a.status_changed_at;
    o["ipCount"] = a.ip_count;
    json::array activity;
    for (const auto& act : s.activity) {
      json::object x;
      x["url"] = Str(act.url);
      x["subCategory"] = Str(act.sub_category);
      x["filterId"] = Str(act.filter_id);
      x["detectedAt"] = act.detected_at;
      x["severity"] = SeverityName(act.severity);
      x["method"] = Str(act.method);
      x["host"] = Str(act.host);
      activity.push_back(std::move(x));
    }
    o["activity"] = std::move(activity);
    actors.push_back(std::move(o));
  }
  json::object o;
  o["actors"] = std::move(actors);
  o["total"] = page->total;
  o["skip"] = q.skip;
  o["sort"] = SortEcho(sort);
  o["startTs"] = q.start_ts.value_or(0);
  o["endTs"] = q.end_ts.value_or(0);
  respond(JsonResponse(o));
}

void HandleThreatApis(const AktoRoutesDeps& deps, const HttpRequest& req,
                      const Responder& respond) {
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  Paging paging = ReadPaging(args);
  ThreatApiQuery q;
  q.skip = paging.skip;
  q.limit = paging.limit;
  const auto& sort = paging.sort;
  q.latest_attack = args.Strings("latestAttack");
  q.urls = args.Strings("urls");
  q.methods = args.Strings("methods");
  q.hosts = args.Strings("hosts");
  q.start_ts = args.FirstInt({"startTs", "startTimestamp"}, 0, kMaxTs);
  q.end_ts = args.FirstInt({"endTs", "endTimestamp"}, 0, kMaxTs);
  if (!CheckArgs(args, respond)) return;
  if (sort) {
    if (sort->first == "discoveredAt") {
      q.sort = ThreatApiSortField::kDiscoveredAt;
    } else if (sort->first == "requestsCount") {
      q.sort = ThreatApiSortField::kRequestsCount;
    } else if (sort->first == "actorsCount") {
      q.sort = ThreatApiSortField::kActorsCount;
    } else {
      respond(UnknownSortField(sort->first, "discoveredAt, requestsCount or actorsCount"));
      return;
    }
    q.descending = sort->second;
  }
  auto page = deps.store->ListThreatApis(q);
  if (!page.ok()) {
    respond(ErrorResponse(page.status()));
    return;
  }
  json::array apis;
  for (const auto& a : page->apis) {
    json::object o;
    o["api"] = Str(a.endpoint);
    o["endpoint"] = Str(a.endpoint);
    o["method"] = Str(a.method);
    o["host"] = Str(a.host);
    o["apiCollectionId"] = a.collection_id;
    o["discoveredAt"] = a.discovered_at;
    o["lastSeen"] = a.last_seen;
    o["requestsCount"] = a.requests_count;
    o["actorsCount"] = a.actors_count;
    o["totalRequests"] = a.total_requests;
    o["lastFilterId"] = Str(a.last_filter_id);
    o["threatRequests"] = a.threat_requests;
    json::array rules;
    for (const auto& r : a.rules) {
      json::object x;
      x["filterId"] = Str(r.key);
      x["count"] = r.count;
      rules.push_back(std::move(x));
    }
    o["rules"] = std::move(rules);
    apis.push_back(std::move(o));
  }
  json::object o;
  o["apis"] = std::move(apis);
  o["total"] = page->total;
  o["skip"] = q.skip;
  o["sort"] = SortEcho(sort);
  o["startTs"] = q.start_ts.value_or(0);
  o["endTs"] = q.end_ts.value_or(0);
  respond(JsonResponse(o));
}

}  // namespace

namespace akto {

void AddAktoListRoutes(Router* router, const AktoRoutesDeps& deps) {
  router->Add({"POST", "/api/ingestData", kIngesters, "Ingest an Akto traffic batch",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleIngest(deps, req, respond);
               }});
  router->Add({"POST", "/api/fetchSuspectSampleData", kAnyReader, "List threat events",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleSuspectSampleData(deps, req, respond);
               }});
  router->Add({"POST", "/api/fetchThreatActors", kAnyReader, "List threat actors",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleThreatActors(deps, req, respond);
               }});
  router->Add({"POST", "/api/fetchThreatApis", kAnyReader, "List APIs under threat",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleThreatApis(deps, req, respond);
               }});
}

}  // namespace akto

void AddAktoRoutes(Router* router, const AktoRoutesDeps& deps) {
  akto::AddAktoListRoutes(router, deps);
  akto::AddAktoDashboardRoutes(router, deps);
  akto::AddAktoTriageRoutes(router, deps);
  akto::AddAktoTemplateRoutes(router, deps);
}

}  // namespace warden
