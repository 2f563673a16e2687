#include "api/v1_common.h"

#include <algorithm>

#include "api/json_args.h"
#include "api/policy_service.h"
#include "api/sample_render.h"
#include "common/log.h"
#include "common/strings.h"

namespace warden {

namespace json = boost::json;

namespace {

// The `exploitEvidence` an event's metadata carries (see behave/event_builder), or "".
std::string ExploitEvidence(const std::string& metadata) {
  if (metadata.empty()) return {};
  boost::system::error_code ec;
  json::value v = json::parse(metadata, ec);
  if (ec || !v.is_object()) return {};
  const json::value* ev = v.as_object().if_contains("exploitEvidence");
  if (ev == nullptr || !ev->is_string()) return {};
  return std::string(ev->as_string());
}

std::string Base64Url(std::string_view bytes) {
  std::string out = Base64Encode(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

}  // namespace

json::string JsonText(std::string_view s) { return json::string(SanitizeUtf8(s)); }

json::array JsonTexts(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.push_back(JsonText(s));
  return a;
}

PolicyNames LoadPolicyNames(const V1Deps& deps) {
  PolicyNames names;
  if (deps.policies == nullptr) return names;
  for (const PolicyRecord& r : deps.policies->List()) names[r.policy.id] = r.policy.info.name;
  return names;
}

json::object EventJson(const Event& e, const PolicyNames& names, const std::string& ticket) {
  json::object o;
  o["id"] = JsonText(e.id);
  o["refId"] = JsonText(e.ref_id);
  o["actor"] = JsonText(e.actor);
  o["policyId"] = JsonText(e.filter_id);
  auto name = names.find(e.filter_id);
  o["policyName"] = JsonText(name == names.end() ? e.filter_id : name->second);
  o["url"] = JsonText(e.url);
  o["endpoint"] = JsonText(e.endpoint_template);
  o["method"] = JsonText(e.method);
  o["host"] = JsonText(e.host);
  o["apiCollectionId"] = e.api_collection_id;
  o["ip"] = JsonText(e.ip);
  o["country"] = JsonText(e.country);
  o["type"] = DetectionTypeName(e.type);
  o["eventType"] = EventTypeName(e.event_type);
  o["category"] = JsonText(e.category);
  o["subCategory"] = JsonText(e.sub_category);
  o["severity"] = SeverityName(e.severity);
  o["status"] = EventStatusName(e.status);
  o["successfulExploit"] = e.successful_exploit;
  o["exploitEvidence"] = JsonText(ExploitEvidence(e.metadata));
  o["location"] = JsonText(e.location);
  o["matched"] = JsonText(e.matched);
  o["count"] = e.count;
  o["detectedAt"] = e.detected_at;
  o["lastDetectedAt"] = e.last_detected_at > 0 ? e.last_detected_at : e.detected_at;
  auto sample = ParseStoredSample(e.payload);
  o["statusCode"] = sample ? sample->status_code : 0;
  o["owaspApi2023"] = JsonTexts(e.owasp_api_2023);
  o["owasp2021"] = JsonTexts(e.owasp_2021);
  o["cwe"] = JsonTexts(e.cwe);
  o["jiraTicketUrl"] = JsonText(ticket);
  return o;
}

Result<std::vector<json::object>> EventsJson(const V1Deps& deps, const std::vector<Event>& events,
                                             const PolicyNames& names) {
  std::unordered_map<std::string, std::string> tickets;
  if (!events.empty()) {
    std::vector<std::string> ids;
    ids.reserve(events.size());
    for (const Event& e : events) ids.push_back(e.id);
    auto found = deps.store->ListEventTickets(ids);
    if (!found.ok()) return found.status();
    for (auto& t : *found) tickets[t.event_id] = std::move(t.url);
  }
  std::vector<json::object> out;
  out.reserve(events.size());
  for (const Event& e : events) {
    auto t = tickets.find(e.id);
    out.push_back(EventJson(e, names, t == tickets.end() ? std::string() : t->second));
  }
  return out;
}

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
  std::vector<std::string> sort =
      args.Enum("sort", {"detectedAt", "-detectedAt", "severity", "-severity"});
  std::string s = sort.empty() ? "-detectedAt" : sort.front();
  q.sort = s.find("severity") != std::string::npos ? EventSortField::kSeverity
                                                   : EventSortField::kDetectedAt;
  q.descending = s.front() == '-';
  return q;
}

Result<QueryArgs> QueryArgsFromJson(const json::object& o, std::string_view prefix) {
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& kv : o) {
    std::string key(kv.key());
    auto scalar = [](const json::value& v) -> std::optional<std::string> {
      if (v.is_string()) return std::string(v.as_string());
      if (v.is_bool()) return std::string(v.as_bool() ? "true" : "false");
      if (v.is_number()) return json::serialize(v);
      return std::nullopt;
    };
    const json::value& v = kv.value();
    if (v.is_null()) continue;
    std::string value;
    if (v.is_array()) {
      for (const auto& x : v.as_array()) {
        auto s = scalar(x);
        if (!s) {
          std::string field = std::string(prefix) + "." + key;
          return Status::InvalidArgument(field + ": list values must be strings or numbers",
                                         field);
        }
        value += (value.empty() ? "" : ",") + *s;
      }
    } else if (auto s = scalar(v)) {
      value = *s;
    } else {
      std::string field = std::string(prefix) + "." + key;
      return Status::InvalidArgument(field + ": must be a string, number, boolean or list",
                                     field);
    }
    params.emplace_back(std::move(key), std::move(value));
  }
  return QueryArgs(std::move(params));
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

HttpResponse CsvResponse(std::string body, std::string_view filename) {
  HttpResponse r;
  r.content_type = "text/csv; charset=utf-8";
  r.headers.push_back(
      {"Content-Disposition", "attachment; filename=\"" + std::string(filename) + "\""});
  r.body = std::move(body);
  return r;
}

void RespondCsvStream(std::string header_line, std::int64_t limit, CsvPageReader read_page,
                      std::string_view filename, const Responder& respond) {
  std::string first = std::move(header_line);
  std::int64_t want = std::min(kCsvPageRows, limit);
  Result<std::int64_t> got = read_page(want, &first);
  if (RespondIfError(got.status(), respond)) return;
  HttpResponse r = CsvResponse({}, filename);
  r.body_source = [first = std::move(first), written = *got, done = *got < want || *got >= limit,
                   limit,
                   read_page = std::move(read_page)](std::string* chunk) mutable -> Result<bool> {
    if (!first.empty()) {
      chunk->append(first);
      first = std::string();
      return !done;
    }
    if (done) return false;
    std::int64_t rows = std::min(kCsvPageRows, limit - written);
    Result<std::int64_t> page = read_page(rows, chunk);
    if (!page.ok()) return page.status();
    written += *page;
    done = *page < rows || written >= limit;
    return !done;
  };
  respond(std::move(r));
}

json::object PageJson(json::array items, std::int64_t total, const PageRequest& page) {
  json::object o;
  o["items"] = std::move(items);
  o["total"] = total;
  std::string next = NextCursor(page, total);
  o["nextCursor"] = next.empty() ? json::value(nullptr) : json::value(next);
  return o;
}

json::object SlicePageJson(const json::array& all, const PageRequest& page) {
  json::array items;
  auto total = static_cast<std::int64_t>(all.size());
  for (std::int64_t i = page.offset; i < total && i < page.offset + page.limit; ++i) {
    items.push_back(all[static_cast<std::size_t>(i)]);
  }
  return PageJson(std::move(items), total, page);
}

std::int64_t Now(const V1Deps& deps) {
  return (deps.clock != nullptr ? *deps.clock : SystemClock::Instance()).NowSeconds();
}

std::string By(const Principal& p) { return p.key_name.empty() ? p.key_id : p.key_name; }

void RecordAudit(const V1Deps& deps, const Principal& who, std::string_view action,
                 std::string_view target, json::object detail) {
  if (deps.store == nullptr) return;
  if (!who.key_id.empty()) detail["keyId"] = who.key_id;
  AuditEntry entry;
  entry.at = Now(deps);
  entry.by = By(who);
  entry.action = std::string(action);
  entry.target = SanitizeUtf8(TruncateUtf8(target, 2000));
  entry.detail = json::serialize(detail);
  Status st = deps.store->AppendAudit(entry);
  if (!st.ok()) {
    spdlog::error("audit: recording {} on '{}' by {} failed: {}", entry.action, entry.target,
                  entry.by, st.ToString());
  }
}

std::string EncodeEndpointId(const EndpointKey& key) {
  json::object o;
  o["c"] = key.collection_id;
  o["h"] = SanitizeUtf8(key.host);
  o["m"] = SanitizeUtf8(key.method);
  o["t"] = SanitizeUtf8(key.endpoint_template);
  return Base64Url(json::serialize(o));
}

Result<EndpointKey> DecodeEndpointId(std::string_view id) {
  auto bad = [] { return Status::InvalidArgument("id: not an endpoint id", "id"); };
  if (id.empty() || id.size() > 8192) return bad();
  for (unsigned char c : id) {
    if (!IsAsciiAlnum(c) && c != '-' && c != '_') return bad();
  }
  std::optional<std::string> raw = Base64Decode(id);
  if (!raw) return bad();
  boost::system::error_code ec;
  json::value v = json::parse(*raw, ec);
  if (ec || !v.is_object()) return bad();
  const json::object& o = v.as_object();
  const json::value* c = o.if_contains("c");
  const json::value* h = o.if_contains("h");
  const json::value* m = o.if_contains("m");
  const json::value* t = o.if_contains("t");
  if (c == nullptr || !c->is_int64() || h == nullptr || !h->is_string() || m == nullptr ||
      !m->is_string() || t == nullptr || !t->is_string()) {
    return bad();
  }
  std::int64_t collection = c->as_int64();
  if (collection < INT32_MIN || collection > INT32_MAX) return bad();
  EndpointKey key;
  key.collection_id = static_cast<std::int32_t>(collection);
  key.host = std::string(h->as_string());
  key.method = std::string(m->as_string());
  key.endpoint_template = std::string(t->as_string());
  if (key.method.empty() || key.endpoint_template.empty()) return bad();
  return key;
}

json::object ThreatApiJson(const ThreatApi& api) {
  json::object o;
  o["id"] = EncodeEndpointId(EndpointKey{.collection_id = api.collection_id,
                                         .host = api.host,
                                         .method = api.method,
                                         .endpoint_template = api.endpoint});
  o["host"] = JsonText(api.host);
  o["method"] = JsonText(api.method);
  o["endpoint"] = JsonText(api.endpoint);
  o["apiCollectionId"] = api.collection_id;
  o["totalRequests"] = api.total_requests;
  o["threatRequests"] = api.threat_requests;
  o["events"] = api.requests_count;
  o["actorsCount"] = api.actors_count;
  json::array rules;
  for (const KeyCount& r : api.rules) {
    rules.push_back({{"policyId", JsonText(r.key)}, {"count", r.count}});
  }
  o["rules"] = std::move(rules);
  o["lastRule"] = JsonText(api.last_filter_id);
  o["firstSeen"] = api.discovered_at;
  o["lastSeen"] = api.last_seen;
  return o;
}

json::object IgnoreRuleJson(const Suppression& s, std::int64_t now) {
  json::object o;
  o["id"] = JsonText(s.id);
  o["policyId"] = JsonText(s.filter_id);
  o["endpoint"] = JsonText(s.endpoint_template);
  o["host"] = JsonText(s.host);
  o["actor"] = s.actor.empty() ? json::value(nullptr) : json::value(JsonText(s.actor));
  o["expiresAt"] = s.expires_at == 0 ? json::value(nullptr) : json::value(s.expires_at);
  o["expired"] = s.expires_at != 0 && s.expires_at <= now;
  o["reason"] = JsonText(s.reason);
  o["createdBy"] = JsonText(s.created_by);
  o["createdAt"] = s.created_at;
  o["suppressed"] = s.hits;
  o["lastSuppressedAt"] = s.last_hit_at == 0 ? json::value(nullptr) : json::value(s.last_hit_at);
  return o;
}

TimeRange StatsRange(QueryArgs& args, const V1Deps& deps) {
  TimeRange r = ReadTimeRange(args);
  std::int64_t now = Now(deps);
  if (!r.to) r.to = std::max(now, r.from.value_or(0));
  if (!r.from) r.from = std::max<std::int64_t>(0, *r.to - 86400);
  return r;
}

std::optional<json::object> BodyOrRespond(const HttpRequest& req, const Responder& respond) {
  auto body = ParseJsonBody(req.body);
  if (!body.ok()) {
    respond(ErrorResponse(body.status()));
    return std::nullopt;
  }
  return std::move(body).value();
}

bool RespondIfError(const Status& status, const Responder& respond) {
  if (status.ok()) return false;
  respond(ErrorResponse(status));
  return true;
}

Status CheckHttpUrl(std::string_view url, const char* field) {
  if (url.empty()) return Status::Ok();
  if (url.size() > 2000 || !(StartsWithIgnoreCase(url, "https://") ||
                             StartsWithIgnoreCase(url, "http://"))) {
    return Status::InvalidArgument(std::string(field) + ": must be an http(s) URL", field);
  }
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f) {
      return Status::InvalidArgument(std::string(field) + ": must not contain spaces", field);
    }
  }
  return Status::Ok();
}

}  // namespace warden
