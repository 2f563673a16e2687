#include "store/sqlite/reads.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "model/actor.h"
#include "model/event.h"
#include "model/severity.h"
#include "store/sqlite/sql_builder.h"

namespace warden::sqlite {
namespace {

constexpr char kEventColumns[] =
    "e.id, e.ref_id, e.actor, e.filter_id, e.url, e.endpoint_template, e.method, e.host, e.ip, "
    "e.country, e.collection_id, e.detection_type, e.event_type, e.category, e.sub_category, "
    "e.severity, e.location, e.matched, e.metadata, e.detected_at, e.status, "
    "e.successful_exploit, e.count, coalesce(s.payload, ''), e.last_detected_at "
    "FROM events e LEFT JOIN samples s ON s.ref_id = e.ref_id";

Status CheckPaging(std::int64_t skip, std::int64_t limit, std::string_view op) {
  if (skip < 0) return Status::InvalidArgument(std::string(op) + ": skip < 0", "skip");
  if (limit < 0) return Status::InvalidArgument(std::string(op) + ": limit < 0", "limit");
  return Status::Ok();
}

Status Corrupt(std::string_view op, std::string_view what, std::string_view value) {
  return Status::Internal(std::string(op) + ": stored " + std::string(what) + " '" +
                          std::string(value) + "' is not valid");
}

std::optional<Severity> SeverityFromRank(std::int64_t rank) {
  if (rank < static_cast<int>(Severity::kLow) || rank > static_cast<int>(Severity::kCritical)) {
    return std::nullopt;
  }
  return static_cast<Severity>(rank);
}

// Reads an event from the current row, columns as in kEventColumns.
Result<Event> EventFromRow(const Statement& st, std::string_view op) {
  Event e;
  int c = 0;
  e.id = st.Text(c++);
  e.ref_id = st.Text(c++);
  e.actor = st.Text(c++);
  e.filter_id = st.Text(c++);
  e.url = st.Text(c++);
  e.endpoint_template = st.Text(c++);
  e.method = st.Text(c++);
  e.host = st.Text(c++);
  e.ip = st.Text(c++);
  e.country = st.Text(c++);
  e.api_collection_id = static_cast<std::int32_t>(st.Int(c++));
  std::string type = st.Text(c++);
  std::optional<DetectionType> detection = ParseDetectionType(type);
  if (!detection) return Corrupt(op, "detection type", type);
  e.type = *detection;
  std::string event_type = st.Text(c++);
  std::optional<EventType> parsed_event_type = ParseEventType(event_type);
  if (!parsed_event_type) return Corrupt(op, "event type", event_type);
  e.event_type = *parsed_event_type;
  e.category = st.Text(c++);
  e.sub_category = st.Text(c++);
  std::optional<Severity> severity = SeverityFromRank(st.Int(c));
  if (!severity) return Corrupt(op, "severity", st.Text(c));
  ++c;
  e.severity = *severity;
  e.location = st.Text(c++);
  e.matched = st.Text(c++);
  e.metadata = st.Text(c++);
  e.detected_at = st.Int(c++);
  std::string status = st.Text(c++);
  std::optional<EventStatus> parsed_status = ParseEventStatus(status);
  if (!parsed_status) return Corrupt(op, "event status", status);
  e.status = *parsed_status;
  e.successful_exploit = st.Int(c++) != 0;  // NULL (not recorded) reads as false
  e.count = st.Int(c++);
  e.payload = st.Text(c++);
  e.last_detected_at = std::max(st.Int(c++), e.detected_at);
  return e;
}

// Fills the tags and sample links of `events` (one query each for the whole page).
Status FillEventExtras(Connection& conn, std::vector<Event>* events, std::string_view op) {
  if (events->empty()) return Status::Ok();
  std::vector<std::string> ids;
  std::unordered_map<std::string, Event*> by_id;
  for (Event& e : *events) {
    ids.push_back(e.id);
    by_id[e.id] = &e;
  }
  std::vector<SqlValue> values = Conditions::Padded(ids);
  std::string in = Conditions::InPlaceholders(ids.size());
  {
    Result<Statement> st =
        conn.Prepare("SELECT event_id, scheme, tag FROM event_tags WHERE event_id IN " + in +
                         " ORDER BY event_id, scheme, tag",
                     op);
    if (!st.ok()) return st.status();
    BindValues(*st, values);
    for (;;) {
      Result<bool> row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      auto it = by_id.find(st->Text(0));
      if (it == by_id.end()) continue;
      std::string scheme = st->Text(1);
      std::string tag = st->Text(2);
      if (scheme == "owasp_api_2023") {
        it->second->owasp_api_2023.push_back(std::move(tag));
      } else if (scheme == "owasp_2021") {
        it->second->owasp_2021.push_back(std::move(tag));
      } else if (scheme == "cwe") {
        it->second->cwe.push_back(std::move(tag));
      }
    }
  }
  Result<Statement> st =
      conn.Prepare("SELECT event_id, ref_id FROM event_samples WHERE event_id IN " + in +
                       " ORDER BY event_id, position",
                   op);
  if (!st.ok()) return st.status();
  BindValues(*st, values);
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto it = by_id.find(st->Text(0));
    if (it != by_id.end()) it->second->sample_refs.push_back(st->Text(1));
  }
  return Status::Ok();
}

std::vector<std::int64_t> Ranks(const std::vector<Severity>& severities) {
  std::vector<std::int64_t> out;
  for (Severity s : severities) out.push_back(static_cast<std::int64_t>(s));
  return out;
}

Conditions EventConditions(const EventFilter& f) {
  Conditions c;
  c.AddIn("e.id", f.ids);
  c.AddIn("e.actor", f.actors);
  c.AddIn("e.ip", f.ips);
  c.AddInAny({"e.url", "e.endpoint_template"}, f.urls);
  c.AddIn("e.host", f.hosts);
  c.AddIn("e.method", f.methods);
  c.AddIn("e.filter_id", f.filter_ids);
  c.AddIn("e.sub_category", f.sub_categories);
  c.AddIn("e.collection_id",
          std::vector<std::int64_t>(f.collection_ids.begin(), f.collection_ids.end()));
  std::vector<std::string> types;
  for (DetectionType t : f.types) types.emplace_back(DetectionTypeName(t));
  c.AddIn("e.detection_type", types);
  std::vector<std::string> statuses;
  for (EventStatus s : f.statuses) statuses.emplace_back(EventStatusName(s));
  c.AddIn("e.status", statuses);
  c.AddIn("e.severity", Ranks(f.severities));
  if (f.event_type) c.Add("e.event_type = ?", {std::string(EventTypeName(*f.event_type))});
  if (f.successful_exploit) {
    c.Add(*f.successful_exploit ? "e.successful_exploit = 1"
                                : "coalesce(e.successful_exploit, 0) = 0");
  }
  if (f.start_ts) c.Add("e.detected_at >= ?", {*f.start_ts});
  if (f.end_ts) c.Add("e.detected_at <= ?", {*f.end_ts});
  c.AddContains({"e.filter_id", "e.host", "e.actor", "e.url"}, f.search_text);
  return c;
}

std::string EventOrder(const EventQuery& q) {
  if (q.sort == EventSortField::kSeverity) {
    return q.descending ? " ORDER BY e.severity DESC, e.detected_at DESC, e.id DESC"
                        : " ORDER BY e.severity ASC, e.detected_at DESC, e.id DESC";
  }
  return q.descending ? " ORDER BY e.detected_at DESC, e.id DESC"
                      : " ORDER BY e.detected_at ASC, e.id ASC";
}

// The filter plus, for a keyset page, the row-value comparison that continues after the key
// (the events_detected_at index serves it).
Conditions EventPageConditions(const EventQuery& query) {
  Conditions c = EventConditions(query.filter);
  if (query.after) {
    c.Add(query.descending ? "(e.detected_at, e.id) < (?, ?)" : "(e.detected_at, e.id) > (?, ?)",
          {query.after->detected_at, query.after->id});
  }
  return c;
}

// Runs `SELECT count(*) ...` with `values` bound.
Result<std::int64_t> Count(Connection& conn, const std::string& sql,
                           const std::vector<SqlValue>& values, std::string_view op) {
  Result<Statement> st = conn.Prepare(sql, op);
  if (!st.ok()) return st.status();
  BindValues(*st, values);
  Result<bool> row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal(std::string(op) + ": count returned no row");
  return st->Int(0);
}

// The number of events matching `f` when it filters on two or more of the columns that lead an
// index with detected_at second (actor, host, policy, status, severity) and on nothing else but
// the time range; nullopt for any other filter. Each index gives the sorted rowids of its
// column's matches without reading a row, and they are intersected here: SQL would walk one index
// and read every candidate row to test the other columns (70,000 rows for one status).
Result<std::optional<std::int64_t>> CountByIndexes(Connection& conn, const EventFilter& f,
                                                   std::string_view op) {
  const bool other = !f.ids.empty() || !f.ips.empty() || !f.urls.empty() || !f.methods.empty() ||
                     !f.sub_categories.empty() || !f.collection_ids.empty() || !f.types.empty() ||
                     f.event_type || f.successful_exploit || !f.search_text.empty();
  if (other) return std::optional<std::int64_t>();
  std::vector<Conditions> parts;
  auto add = [&](std::string_view column, const auto& values) {
    if (values.empty()) return;
    Conditions c;
    c.AddIn(column, values);
    if (f.start_ts) c.Add("e.detected_at >= ?", {*f.start_ts});
    if (f.end_ts) c.Add("e.detected_at <= ?", {*f.end_ts});
    parts.push_back(std::move(c));
  };
  std::vector<std::string> statuses;
  for (EventStatus s : f.statuses) statuses.emplace_back(EventStatusName(s));
  add("e.actor", f.actors);
  add("e.host", f.hosts);
  add("e.filter_id", f.filter_ids);
  add("e.status", statuses);
  add("e.severity", Ranks(f.severities));
  if (parts.size() < 2) return std::optional<std::int64_t>();
  std::vector<std::int64_t> matches;
  std::vector<std::int64_t> rowids;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    rowids.clear();
    WARDEN_RETURN_IF_ERROR(ForEachRow(conn, "SELECT e.rowid FROM events e" + parts[i].WhereClause(),
                                      parts[i].values(), op,
                                      [&](const Statement& st) { rowids.push_back(st.Int(0)); }));
    std::sort(rowids.begin(), rowids.end());
    if (i == 0) {
      matches.swap(rowids);
    } else {
      auto end = std::set_intersection(matches.begin(), matches.end(), rowids.begin(), rowids.end(),
                                       matches.begin());
      matches.erase(end, matches.end());
    }
    if (matches.empty()) break;
  }
  return std::optional<std::int64_t>(static_cast<std::int64_t>(matches.size()));
}

// ---- Actors -------------------------------------------------------------------------------

constexpr int kActorColumnCount = 21;  // ActorColumns()

std::optional<ThreatLevel> ParseThreatLevel(std::string_view s) {
  for (ThreatLevel t :
       {ThreatLevel::kLow, ThreatLevel::kMedium, ThreatLevel::kHigh, ThreatLevel::kCritical}) {
    if (s == ThreatLevelName(t)) return t;
  }
  return std::nullopt;
}

Result<Actor> ActorFromRow(const Statement& st, std::string_view op) {
  Actor a;
  int c = 0;
  a.id = st.Text(c++);
  std::string kind = st.Text(c++);
  if (kind == ActorKindName(ActorKind::kIp)) {
    a.kind = ActorKind::kIp;
  } else if (kind == ActorKindName(ActorKind::kUser)) {
    a.kind = ActorKind::kUser;
  } else {
    return Corrupt(op, "actor kind", kind);
  }
  a.latest_ip = st.Text(c++);
  a.country = st.Text(c++);
  a.first_seen = st.Int(c++);
  a.last_seen = st.Int(c++);
  a.latest_api_endpoint = st.Text(c++);
  a.latest_api_method = st.Text(c++);
  a.latest_api_host = st.Text(c++);
  a.latest_attack = st.Text(c++);
  a.latest_sub_category = st.Text(c++);
  std::optional<Severity> severity = SeverityFromRank(st.Int(c));
  if (!severity) return Corrupt(op, "severity", st.Text(c));
  ++c;
  a.max_severity = *severity;
  a.event_count = st.Int(c++);
  a.score = st.Double(c++);
  std::string level = st.Text(c++);
  std::optional<ThreatLevel> threat_level = ParseThreatLevel(level);
  if (!threat_level) return Corrupt(op, "threat level", level);
  a.threat_level = *threat_level;
  std::string status = st.Text(c++);
  std::optional<ActorStatus> actor_status = ParseActorStatus(status);
  if (!actor_status) return Corrupt(op, "actor status", status);
  a.status = *actor_status;
  a.status_expires_at = st.Int(c++);
  a.status_changed_at = st.Int(c++);
  a.score_at = st.Int(c++);
  a.score_reset_at = st.Int(c++);
  a.ip_count = st.Int(c++);
  // An expired SNOOZE / SUSPEND reads as ACTIVE without an expiry.
  if (a.status == ActorStatus::kActive) a.status_expires_at = 0;
  return a;
}

Conditions ActorConditions(const ActorQuery& q) {
  Conditions c;
  c.AddIn("a.id", q.actor_ids);
  c.AddIn("a.country", q.countries);
  if (!q.latest_attack.empty()) {
    c.Add("EXISTS (SELECT 1 FROM events x WHERE x.actor = a.id AND x.filter_id IN " +
              Conditions::InPlaceholders(q.latest_attack.size()) + ")",
          Conditions::Padded(q.latest_attack));
  }
  if (!q.hosts.empty()) {
    c.Add("EXISTS (SELECT 1 FROM events x WHERE x.actor = a.id AND x.host IN " +
              Conditions::InPlaceholders(q.hosts.size()) + ")",
          Conditions::Padded(q.hosts));
  }
  if (q.start_ts) c.Add("a.last_seen >= ?", {*q.start_ts});
  if (q.end_ts) c.Add("a.first_seen <= ?", {*q.end_ts});
  if (!q.statuses.empty()) {
    std::vector<std::string> names;
    for (ActorStatus s : q.statuses) names.emplace_back(ActorStatusName(s));
    c.AddIn("warden_status(a.status, a.status_expires_at)", names);
  }
  if (!q.threat_levels.empty()) {
    std::vector<std::string> names;
    for (ThreatLevel t : q.threat_levels) names.emplace_back(ThreatLevelName(t));
    c.AddIn("warden_level(a.score, a.score_at)", names);
  }
  c.AddContains({"a.id", "a.latest_ip", "a.latest_attack", "a.latest_api_endpoint"}, q.search_text);
  return c;
}

// The column an actor page sorts by (before ties by id).
std::string ActorSortColumn(ActorSortField sort) {
  switch (sort) {
    case ActorSortField::kLastSeen:
      return "a.last_seen";
    case ActorSortField::kScore:
      return "warden_score(a.score, a.score_at)";
    case ActorSortField::kEventCount:
      return "a.event_count";
    case ActorSortField::kFirstSeen:
      break;
  }
  return "a.first_seen";
}

// Fills the hosts and the latest IP's enrichment of a page of actors (one query each).
Status FillActorHostsAndIpInfo(Connection& conn, std::vector<ActorSummary>* actors,
                               std::string_view op) {
  constexpr std::size_t kMaxHosts = 20;
  if (actors->empty()) return Status::Ok();
  std::vector<std::string> ids;
  std::unordered_map<std::string, ActorSummary*> by_id;
  for (ActorSummary& a : *actors) {
    ids.push_back(a.actor.id);
    by_id[a.actor.id] = &a;
  }
  std::vector<SqlValue> values = Conditions::Padded(ids);
  std::string in = Conditions::InPlaceholders(ids.size());
  {
    Result<Statement> st = conn.Prepare("SELECT actor, host FROM actor_hosts WHERE actor IN " + in +
                                            " ORDER BY actor, last_seen DESC, host",
                                        op);
    if (!st.ok()) return st.status();
    BindValues(*st, values);
    for (;;) {
      Result<bool> row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      auto it = by_id.find(st->Text(0));
      if (it != by_id.end() && it->second->hosts.size() < kMaxHosts) {
        it->second->hosts.push_back(st->Text(1));
      }
    }
  }
  Result<Statement> st = conn.Prepare(
      "SELECT a.id, i.country, i.city, i.region, i.asn, i.org, i.ip_type, i.reputation "
      "FROM actors a JOIN actor_ips i ON i.actor = a.id AND i.ip = a.latest_ip WHERE a.id IN " +
          in,
      op);
  if (!st.ok()) return st.status();
  BindValues(*st, values);
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto it = by_id.find(st->Text(0));
    if (it == by_id.end()) continue;
    IpInfo& info = it->second->latest_ip_info;
    int c = 1;
    info.country = st->Text(c++);
    info.city = st->Text(c++);
    info.region = st->Text(c++);
    info.asn = st->Int(c++);
    info.org = st->Text(c++);
    info.ip_type = st->Text(c++);
    info.reputation = st->Text(c++);
  }
  return Status::Ok();
}

// ---- Threat APIs --------------------------------------------------------------------------

Conditions ThreatApiConditions(const ThreatApiQuery& q) {
  Conditions c;
  c.AddIn("e.filter_id", q.latest_attack);
  c.AddInAny({"e.url", "e.endpoint_template"}, q.urls);
  c.AddIn("e.method", q.methods);
  c.AddIn("e.host", q.hosts);
  if (q.start_ts) c.Add("e.detected_at >= ?", {*q.start_ts});
  if (q.end_ts) c.Add("e.detected_at <= ?", {*q.end_ts});
  c.AddIn("e.collection_id",
          std::vector<std::int64_t>(q.collection_ids.begin(), q.collection_ids.end()));
  c.AddContains({"e.endpoint_template", "e.url"}, q.search_text);
  if (!q.actor_countries.empty()) {
    c.Add("e.actor IN (SELECT x.id FROM actors x WHERE x.country IN " +
              Conditions::InPlaceholders(q.actor_countries.size()) + ")",
          Conditions::Padded(q.actor_countries));
  }
  if (!q.organizations.empty()) {
    c.Add(
        "EXISTS (SELECT 1 FROM actor_ips i WHERE i.actor = e.actor AND i.ip = e.ip AND "
        "i.org IN " +
            Conditions::InPlaceholders(q.organizations.size()) + ")",
        Conditions::Padded(q.organizations));
  }
  return c;
}

std::string ThreatApiOrder(const ThreatApiQuery& q) {
  std::string dir = q.descending ? " DESC" : " ASC";
  std::string order = " ORDER BY ";
  switch (q.sort) {
    case ThreatApiSortField::kDiscoveredAt:
      order += "g.discovered_at" + dir;
      break;
    case ThreatApiSortField::kRequestsCount:
      order += "g.requests_count" + dir + ", g.discovered_at DESC";
      break;
    case ThreatApiSortField::kActorsCount:
      order += "g.actors_count" + dir + ", g.discovered_at DESC";
      break;
    case ThreatApiSortField::kThreatRequests:
      order += "g.threat_requests" + dir + ", g.discovered_at DESC";
      break;
    case ThreatApiSortField::kTotalRequests:
      order += "coalesce(ep.total_requests, 0)" + dir + ", g.discovered_at DESC";
      break;
    case ThreatApiSortField::kLastSeen:
      order += "g.last_seen" + dir + ", g.discovered_at DESC";
      break;
  }
  order += ", g.host, g.method, g.endpoint_template, g.collection_id";
  return order;
}

// The filtered APIs-under-threat list grouped in C++: one pass over the matching events into a
// hash map per endpoint (SQL would sort the range for GROUP BY and for count(DISTINCT actor)),
// then sorted as ThreatApiOrder sorts. Fills the page and the total; the page's last_filter_id
// is left to the caller.
Status GroupThreatApis(Connection& conn, const ThreatApiQuery& query, const Conditions& where,
                       ThreatApiPage* page, std::string_view op) {
  StringIds endpoints;
  std::vector<ThreatApi> all;  // by endpoint id
  StringIds actors;
  DistinctPairs endpoint_actors;
  std::string endpoint_key;
  WARDEN_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT e.collection_id, e.host, e.method, e.endpoint_template, e.detected_at, e.actor, "
      "e.count FROM events e" +
          where.WhereClause(),
      where.values(), op, [&](const Statement& st) {
        EndpointKeyAt(st, 0, &endpoint_key);
        std::uint32_t id = endpoints.Id(endpoint_key);
        std::int64_t at = st.Int(4);
        if (id == all.size()) {
          ThreatApi& fresh = all.emplace_back();
          fresh.collection_id = static_cast<std::int32_t>(st.Int(0));
          fresh.host = st.Text(1);
          fresh.method = st.Text(2);
          fresh.endpoint = st.Text(3);
          fresh.discovered_at = at;
          fresh.last_seen = at;
        }
        ThreatApi& api = all[id];
        api.discovered_at = std::min(api.discovered_at, at);
        api.last_seen = std::max(api.last_seen, at);
        ++api.requests_count;
        api.threat_requests += st.Int(6);
        if (endpoint_actors.Add(id, actors.Id(st.TextView(5)))) ++api.actors_count;
      }));
  auto total_requests = [&](std::vector<ThreatApi>::iterator from,
                            std::vector<ThreatApi>::iterator to) -> Status {
    for (auto it = from; it != to; ++it) {
      WARDEN_RETURN_IF_ERROR(ForEachRow(
          conn,
          "SELECT total_requests FROM endpoints WHERE collection_id = ? AND host = ? AND "
          "method = ? AND template = ?",
          {std::int64_t{it->collection_id}, it->host, it->method, it->endpoint}, op,
          [&](const Statement& st) { it->total_requests = st.Int(0); }));
    }
    return Status::Ok();
  };
  const bool by_total = query.sort == ThreatApiSortField::kTotalRequests;
  if (by_total) WARDEN_RETURN_IF_ERROR(total_requests(all.begin(), all.end()));
  auto key = [&](const ThreatApi& a) {
    switch (query.sort) {
      case ThreatApiSortField::kDiscoveredAt:
        return a.discovered_at;
      case ThreatApiSortField::kRequestsCount:
        return a.requests_count;
      case ThreatApiSortField::kActorsCount:
        return a.actors_count;
      case ThreatApiSortField::kThreatRequests:
        return a.threat_requests;
      case ThreatApiSortField::kTotalRequests:
        return a.total_requests;
      case ThreatApiSortField::kLastSeen:
        break;
    }
    return a.last_seen;
  };
  const bool second_by_discovery = query.sort != ThreatApiSortField::kDiscoveredAt;
  std::sort(all.begin(), all.end(), [&](const ThreatApi& a, const ThreatApi& b) {
    std::int64_t ka = key(a);
    std::int64_t kb = key(b);
    if (ka != kb) return query.descending ? ka > kb : ka < kb;
    if (second_by_discovery && a.discovered_at != b.discovered_at) {
      return a.discovered_at > b.discovered_at;
    }
    return std::tie(a.host, a.method, a.endpoint, a.collection_id) <
           std::tie(b.host, b.method, b.endpoint, b.collection_id);
  });
  page->total = static_cast<std::int64_t>(all.size());
  auto first = all.begin() + std::min<std::int64_t>(query.skip, page->total);
  auto last = first + std::min<std::int64_t>(query.limit, all.end() - first);
  if (!by_total) WARDEN_RETURN_IF_ERROR(total_requests(first, last));
  page->apis.assign(std::make_move_iterator(first), std::make_move_iterator(last));
  return Status::Ok();
}

// Events per policy for each API of the page, under the same filter.
Status FillThreatApiRules(Connection& conn, const Conditions& where, std::vector<ThreatApi>* apis,
                          std::string_view op) {
  if (apis->empty()) return Status::Ok();
  for (ThreatApi& api : *apis) {
    Result<Statement> q = conn.Prepare(
        "SELECT e.filter_id, count(*) FROM events e WHERE e.collection_id = ? AND e.host = ? "
        "AND e.method = ? AND e.endpoint_template = ?" +
            where.AndClause() + " GROUP BY e.filter_id ORDER BY count(*) DESC, e.filter_id",
        op);
    if (!q.ok()) return q.status();
    q->BindInt(1, api.collection_id);
    q->BindText(2, api.host);
    q->BindText(3, api.method);
    q->BindText(4, api.endpoint);
    BindValues(*q, where.values(), 5);
    for (;;) {
      Result<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      api.rules.push_back(KeyCount{.key = q->Text(0), .count = q->Int(1)});
    }
  }
  return Status::Ok();
}

// FillThreatApiRules for an unfiltered list, from the per-endpoint summary.
Status FillThreatApiRulesFromSummary(Connection& conn, std::vector<ThreatApi>* apis,
                                     std::string_view op) {
  for (ThreatApi& api : *apis) {
    Result<Statement> q = conn.Prepare(
        "SELECT filter_id, events FROM threat_api_rules WHERE collection_id = ? AND host = ? "
        "AND method = ? AND template = ? ORDER BY events DESC, filter_id",
        op);
    if (!q.ok()) return q.status();
    q->BindInt(1, api.collection_id);
    q->BindText(2, api.host);
    q->BindText(3, api.method);
    q->BindText(4, api.endpoint);
    for (;;) {
      Result<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      api.rules.push_back(KeyCount{.key = q->Text(0), .count = q->Int(1)});
    }
  }
  return Status::Ok();
}

}  // namespace

Conditions EventFilterConditions(const EventFilter& filter) { return EventConditions(filter); }

std::string ActorColumns() {
  return "a.id, a.kind, a.latest_ip, a.country, a.first_seen, a.last_seen, "
         "a.latest_api_endpoint, a.latest_api_method, a.latest_api_host, a.latest_attack, "
         "a.latest_sub_category, a.max_severity, a.event_count, "
         "warden_score(a.score, a.score_at) AS score, "
         "warden_level(a.score, a.score_at) AS threat_level, "
         "warden_status(a.status, a.status_expires_at) AS status, a.status_expires_at, "
         "a.status_changed_at, a.score_at, a.score_reset_at, "
         "(SELECT count(*) FROM actor_ips i WHERE i.actor = a.id) AS ip_count";
}

Result<Actor> ReadActorRow(const Statement& st, std::string_view op) {
  return ActorFromRow(st, op);
}

std::string EventPageSql(const EventQuery& query) {
  return std::string("SELECT ") + kEventColumns + EventPageConditions(query).WhereClause() +
         EventOrder(query) + " LIMIT ? OFFSET ?";
}

std::string ActorPageSql(const ActorQuery& query) {
  const std::string dir = query.sort_descending ? " DESC" : " ASC";
  // One statement for the page and its activity. The page is chosen on the sort key and id
  // alone (an index walk for first_seen / last_seen), then its columns are read, so the
  // per-actor subqueries run for the page only. Each actor's newest events come from a
  // correlated, index-bounded subquery on events (actor, detected_at, id), so the work is page
  // size x activity_limit however many events an actor has.
  return std::string("WITH ids AS (SELECT a.id AS id, ") + ActorSortColumn(query.sort) +
         " AS sort_key FROM actors a" + ActorConditions(query).WhereClause() +
         " ORDER BY sort_key" + dir + ", a.id" + dir + " LIMIT ? OFFSET ?), page AS (SELECT " +
         ActorColumns() +
         ", ids.sort_key AS sort_key FROM ids JOIN actors a ON a.id = ids.id) "
         "SELECT p.*, e.id, e.url, e.sub_category, e.filter_id, e.detected_at, e.severity, "
         "e.method, e.host "
         "FROM page p LEFT JOIN events e ON e.rowid IN ("
         "SELECT x.rowid FROM events x WHERE x.actor = p.id "
         "ORDER BY x.detected_at DESC, x.id DESC LIMIT ?) "
         "ORDER BY p.sort_key" +
         dir + ", p.id" + dir + ", e.detected_at DESC, e.id DESC";
}

Result<EventPage> ReadEvents(Connection& conn, const EventQuery& query) {
  constexpr std::string_view kOp = "list events";
  WARDEN_RETURN_IF_ERROR(CheckPaging(query.skip, query.limit, kOp));
  if (query.after && query.sort != EventSortField::kDetectedAt) {
    return Status::InvalidArgument(std::string(kOp) + ": keyset paging needs the detectedAt sort",
                                   "after");
  }
  Conditions where = EventPageConditions(query);
  std::string sql = EventPageSql(query);

  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  EventPage page;
  {
    Result<Statement> st = conn.Prepare(sql, kOp);
    if (!st.ok()) return st.status();
    int next = BindValues(*st, where.values());
    st->BindInt(next++, query.limit);
    st->BindInt(next, query.skip);
    for (;;) {
      Result<bool> row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      Result<Event> event = EventFromRow(*st, kOp);
      if (!event.ok()) return event.status();
      page.events.push_back(std::move(event).value());
    }
  }
  WARDEN_RETURN_IF_ERROR(FillEventExtras(conn, &page.events, kOp));
  if (query.count_total) {
    // The total ignores `after`.
    Result<std::optional<std::int64_t>> indexed = CountByIndexes(conn, query.filter, kOp);
    if (!indexed.ok()) return indexed.status();
    if (indexed->has_value()) {
      page.total = **indexed;
    } else {
      Conditions filter = EventConditions(query.filter);
      Result<std::int64_t> total =
          Count(conn, "SELECT count(*) FROM events e" + filter.WhereClause(), filter.values(), kOp);
      if (!total.ok()) return total.status();
      page.total = *total;
    }
  }
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return page;
}

Result<Event> ReadEvent(Connection& conn, const std::string& id) {
  constexpr std::string_view kOp = "get event";
  Result<Statement> st =
      conn.Prepare(std::string("SELECT ") + kEventColumns + " WHERE e.id = ?", kOp);
  if (!st.ok()) return st.status();
  st->BindText(1, id);
  Result<bool> row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("event " + id + " not found");
  Result<Event> event = EventFromRow(*st, kOp);
  if (!event.ok()) return event.status();
  std::vector<Event> one;
  one.push_back(std::move(event).value());
  WARDEN_RETURN_IF_ERROR(FillEventExtras(conn, &one, kOp));
  return std::move(one.front());
}

Result<ActorPage> ReadActors(Connection& conn, const ActorQuery& query) {
  constexpr std::string_view kOp = "list actors";
  WARDEN_RETURN_IF_ERROR(CheckPaging(query.skip, query.limit, kOp));
  if (query.activity_limit < 0) {
    return Status::InvalidArgument("list actors: activity_limit < 0", "activity_limit");
  }
  Conditions where = ActorConditions(query);
  std::string sql = ActorPageSql(query);

  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  ActorPage page;
  {
    Result<Statement> st = conn.Prepare(sql, kOp);
    if (!st.ok()) return st.status();
    int next = BindValues(*st, where.values());
    st->BindInt(next++, query.limit);
    st->BindInt(next++, query.skip);
    st->BindInt(next, query.activity_limit);
    for (;;) {
      Result<bool> row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      std::string id = st->Text(0);
      if (page.actors.empty() || page.actors.back().actor.id != id) {
        Result<Actor> actor = ActorFromRow(*st, kOp);
        if (!actor.ok()) return actor.status();
        ActorSummary summary;
        summary.actor = std::move(actor).value();
        page.actors.push_back(std::move(summary));
      }
      int c = kActorColumnCount + 1;  // the activity columns follow the actor's and sort_key
      if (st->IsNull(c)) continue;    // an actor without events
      ++c;
      ActorActivity activity;
      activity.url = st->Text(c++);
      activity.sub_category = st->Text(c++);
      activity.filter_id = st->Text(c++);
      activity.detected_at = st->Int(c++);
      std::optional<Severity> severity = SeverityFromRank(st->Int(c));
      if (!severity) return Corrupt(kOp, "severity", st->Text(c));
      ++c;
      activity.severity = *severity;
      activity.method = st->Text(c++);
      activity.host = st->Text(c++);
      page.actors.back().activity.push_back(std::move(activity));
    }
  }
  WARDEN_RETURN_IF_ERROR(FillActorHostsAndIpInfo(conn, &page.actors, kOp));
  Result<std::int64_t> total =
      Count(conn, "SELECT count(*) FROM actors a" + where.WhereClause(), where.values(), kOp);
  if (!total.ok()) return total.status();
  page.total = *total;
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return page;
}

Result<ThreatApiPage> ReadThreatApis(Connection& conn, const ThreatApiQuery& query) {
  constexpr std::string_view kOp = "list threat apis";
  WARDEN_RETURN_IF_ERROR(CheckPaging(query.skip, query.limit, kOp));
  Conditions where = ThreatApiConditions(query);
  // Without a filter the per-endpoint summary (migration 0006, kept by triggers) answers;
  // otherwise the matching events are grouped. `g` has the same columns either way.
  const bool unfiltered = where.WhereClause().empty();
  std::string grouped =
      unfiltered ? "SELECT collection_id, host, method, template AS endpoint_template, "
                   "first_at AS discovered_at, last_at AS last_seen, events AS requests_count, "
                   "actors AS actors_count, last_filter_id, detections AS threat_requests "
                   "FROM threat_apis"
                 : "SELECT e.collection_id, e.host, e.method, e.endpoint_template, "
                   "min(e.detected_at) AS discovered_at, max(e.detected_at) AS last_seen, "
                   "count(*) AS requests_count, warden_distinct(e.actor) AS actors_count, "
                   "NULL AS last_filter_id, sum(e.count) AS threat_requests FROM events e" +
                       where.WhereClause() +
                       " GROUP BY e.collection_id, e.host, e.method, e.endpoint_template";
  std::string sql =
      "WITH g AS (" + grouped +
      ") SELECT g.endpoint_template, g.method, g.host, g.collection_id, g.discovered_at, "
      "g.last_seen, g.actors_count, g.requests_count, coalesce(ep.total_requests, 0), "
      "g.last_filter_id, g.threat_requests, count(*) OVER () FROM g LEFT JOIN endpoints ep "
      "ON ep.collection_id = g.collection_id AND ep.host = g.host AND ep.method = g.method "
      "AND ep.template = g.endpoint_template" +
      ThreatApiOrder(query) + " LIMIT ? OFFSET ?";

  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  ThreatApiPage page;
  std::vector<bool> need_last_filter;
  bool total_known = false;
  if (!unfiltered && query.limit > 0) {
    WARDEN_RETURN_IF_ERROR(GroupThreatApis(conn, query, where, &page, kOp));
    need_last_filter.assign(page.apis.size(), true);
    total_known = true;
  } else if (query.limit > 0) {
    // A count alone (limit 0) skips the page query: it returns no rows, the total comes below.
    Result<Statement> st = conn.Prepare(sql, kOp);
    if (!st.ok()) return st.status();
    int next = unfiltered ? 1 : BindValues(*st, where.values());
    st->BindInt(next++, query.limit);
    st->BindInt(next, query.skip);
    for (;;) {
      Result<bool> row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      ThreatApi api;
      int c = 0;
      api.endpoint = st->Text(c++);
      api.method = st->Text(c++);
      api.host = st->Text(c++);
      api.collection_id = static_cast<std::int32_t>(st->Int(c++));
      api.discovered_at = st->Int(c++);
      api.last_seen = st->Int(c++);
      api.actors_count = st->Int(c++);
      api.requests_count = st->Int(c++);
      api.total_requests = st->Int(c++);
      need_last_filter.push_back(st->IsNull(c));
      api.last_filter_id = st->Text(c++);
      api.threat_requests = st->Int(c++);
      page.total = st->Int(c++);  // every group, before LIMIT: no second grouping pass
      page.apis.push_back(std::move(api));
    }
  }
  // The policy of each listed API's newest matching event: one index seek per row of the page.
  for (std::size_t i = 0; i < page.apis.size(); ++i) {
    if (!need_last_filter[i]) continue;
    ThreatApi& api = page.apis[i];
    Result<Statement> st = conn.Prepare(
        "SELECT e.filter_id FROM events e WHERE e.collection_id = ? AND e.host = ? "
        "AND e.method = ? AND e.endpoint_template = ?" +
            where.AndClause() + " ORDER BY e.detected_at DESC, e.id DESC LIMIT 1",
        kOp);
    if (!st.ok()) return st.status();
    st->BindInt(1, api.collection_id);
    st->BindText(2, api.host);
    st->BindText(3, api.method);
    st->BindText(4, api.endpoint);
    BindValues(*st, where.values(), 5);
    Result<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (*row) api.last_filter_id = st->Text(0);
  }
  if (unfiltered) {
    WARDEN_RETURN_IF_ERROR(FillThreatApiRulesFromSummary(conn, &page.apis, kOp));
  } else {
    WARDEN_RETURN_IF_ERROR(FillThreatApiRules(conn, where, &page.apis, kOp));
  }
  // An empty page (LIMIT 0, or past the end) did not carry the total.
  if (page.apis.empty() && !total_known) {
    // With only a time range, the endpoints of the summary (every endpoint with events) that
    // have an event in the range: those whose first or last event is inside it, and of those
    // whose events start before and end after it, the ones with an event inside (an index seek
    // on events_endpoint_cover each) — instead of grouping the range's events.
    const std::int64_t from = query.start_ts.value_or(std::numeric_limits<std::int64_t>::min());
    const std::int64_t to = query.end_ts.value_or(std::numeric_limits<std::int64_t>::max());
    const bool range_only = query.latest_attack.empty() && query.urls.empty() &&
                            query.methods.empty() && query.hosts.empty() &&
                            query.collection_ids.empty() && query.search_text.empty() &&
                            query.actor_countries.empty() && query.organizations.empty();
    Result<std::int64_t> total =
        unfiltered ? Count(conn, "SELECT count(*) FROM threat_apis", {}, kOp)
        : range_only
            ? Count(conn,
                    "SELECT count(*) FROM threat_apis t WHERE t.last_at BETWEEN ? AND ? OR "
                    "t.first_at BETWEEN ? AND ? OR (t.first_at < ? AND t.last_at > ? AND "
                    "EXISTS (SELECT 1 FROM events e "
                    "WHERE e.collection_id = t.collection_id AND e.host = t.host "
                    "AND e.method = t.method AND e.endpoint_template = t.template" +
                        where.AndClause() + "))",
                    Concat({from, to, from, to, from, to}, where.values()), kOp)
            : Count(conn,
                    "SELECT count(*) FROM (SELECT 1 FROM events e" + where.WhereClause() +
                        " GROUP BY e.collection_id, e.host, e.method, e.endpoint_template)",
                    where.values(), kOp);
    if (!total.ok()) return total.status();
    page.total = *total;
  }
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return page;
}

Result<std::vector<Endpoint>> ReadEndpoints(Connection& conn, std::int64_t limit) {
  constexpr std::string_view kOp = "list endpoints";
  WARDEN_RETURN_IF_ERROR(CheckPaging(0, limit, kOp));
  Result<Statement> st = conn.Prepare(
      "SELECT collection_id, host, method, template, first_seen, last_seen, total_requests "
      "FROM endpoints ORDER BY last_seen DESC, id ASC LIMIT ?",
      kOp);
  if (!st.ok()) return st.status();
  st->BindInt(1, limit);
  std::vector<Endpoint> out;
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Endpoint ep;
    int c = 0;
    ep.key.collection_id = static_cast<std::int32_t>(st->Int(c++));
    ep.key.host = st->Text(c++);
    ep.key.method = st->Text(c++);
    ep.key.endpoint_template = st->Text(c++);
    ep.first_seen = st->Int(c++);
    ep.last_seen = st->Int(c++);
    ep.total_requests = st->Int(c++);
    out.push_back(std::move(ep));
  }
  return out;
}

}  // namespace warden::sqlite
