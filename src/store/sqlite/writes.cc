#include "store/sqlite/writes.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "actors/status.h"
#include "model/actor.h"
#include "model/event.h"

namespace warden::sqlite {
namespace {

constexpr char kUpsertEndpoint[] =
    "INSERT INTO endpoints (collection_id, host, method, template, first_seen, last_seen, "
    "total_requests) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (collection_id, host, method, template) DO UPDATE SET "
    "first_seen = min(first_seen, excluded.first_seen), "
    "last_seen = max(last_seen, excluded.last_seen), "
    "total_requests = total_requests + excluded.total_requests "
    "RETURNING id";

constexpr char kUpsertRollup[] =
    "INSERT INTO endpoint_rollups (endpoint_id, minute, requests, status_2xx, status_3xx, "
    "status_4xx, status_5xx, status_other, bytes_in, bytes_out) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (endpoint_id, minute) DO UPDATE SET "
    "requests = requests + excluded.requests, "
    "status_2xx = status_2xx + excluded.status_2xx, "
    "status_3xx = status_3xx + excluded.status_3xx, "
    "status_4xx = status_4xx + excluded.status_4xx, "
    "status_5xx = status_5xx + excluded.status_5xx, "
    "status_other = status_other + excluded.status_other, "
    "bytes_in = bytes_in + excluded.bytes_in, "
    "bytes_out = bytes_out + excluded.bytes_out";

constexpr char kUpsertActorCall[] =
    "INSERT INTO actor_calls (actor, endpoint_id, minute, requests) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (actor, endpoint_id, minute) DO UPDATE SET "
    "requests = requests + excluded.requests";

constexpr char kInsertSample[] =
    "INSERT INTO samples (ref_id, payload, created_at) VALUES (?, ?, ?) "
    "ON CONFLICT (ref_id) DO NOTHING";

constexpr char kInsertEvent[] =
    "INSERT INTO events (id, ref_id, actor, filter_id, url, endpoint_template, method, host, ip, "
    "country, collection_id, detection_type, event_type, category, sub_category, severity, "
    "location, matched, metadata, detected_at, status, successful_exploit, count, "
    "last_detected_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

constexpr char kInsertEventTag[] =
    "INSERT INTO event_tags (event_id, scheme, tag) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";

constexpr char kInsertEventSample[] =
    "INSERT INTO event_samples (event_id, position, ref_id) VALUES (?, ?, ?)";

constexpr char kFoldEvent[] =
    "UPDATE events SET count = count + ?, "
    "last_detected_at = max(last_detected_at, detected_at, ?), "
    "successful_exploit = max(coalesce(successful_exploit, 0), ?) WHERE id = ?";

// "Latest" fields follow the touch with the newest seen_at (ties: the later write); an empty
// value in a touch means "unknown" and keeps the stored one. In DO UPDATE, bare column names are
// the stored row before the update.
// clang-format off
constexpr char kUpsertActor[] =
    "INSERT INTO actors (id, kind, latest_ip, country, first_seen, last_seen, "
    "latest_api_endpoint, latest_api_method, latest_api_host, latest_attack, "
    "latest_sub_category, max_severity, event_count, status) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET "
    "kind = CASE WHEN excluded.last_seen >= last_seen THEN excluded.kind ELSE kind END, "
    "latest_ip = CASE WHEN excluded.last_seen >= last_seen AND excluded.latest_ip <> ''"
    " THEN excluded.latest_ip ELSE latest_ip END, "
    "country = CASE WHEN excluded.last_seen >= last_seen AND excluded.country <> ''"
    " THEN excluded.country ELSE country END, "
    "latest_api_endpoint = CASE WHEN excluded.last_seen >= last_seen"
    " AND excluded.latest_api_endpoint <> ''"
    " THEN excluded.latest_api_endpoint ELSE latest_api_endpoint END, "
    "latest_api_method = CASE WHEN excluded.last_seen >= last_seen"
    " AND excluded.latest_api_method <> ''"
    " THEN excluded.latest_api_method ELSE latest_api_method END, "
    "latest_api_host = CASE WHEN excluded.last_seen >= last_seen AND excluded.latest_api_host <> ''"
    " THEN excluded.latest_api_host ELSE latest_api_host END, "
    "latest_attack = CASE WHEN excluded.last_seen >= last_seen AND excluded.latest_attack <> ''"
    " THEN excluded.latest_attack ELSE latest_attack END, "
    "latest_sub_category = CASE WHEN excluded.last_seen >= last_seen"
    " AND excluded.latest_sub_category <> ''"
    " THEN excluded.latest_sub_category ELSE latest_sub_category END, "
    "first_seen = min(first_seen, excluded.first_seen), "
    "last_seen = max(last_seen, excluded.last_seen), "
    "max_severity = max(max_severity, excluded.max_severity), "
    "event_count = event_count + excluded.event_count";
// clang-format on

// Enrichment fields follow the newest sighting; unknown (empty) values keep the stored ones.
// clang-format off
constexpr char kUpsertActorIp[] =
    "INSERT INTO actor_ips (actor, ip, first_seen, last_seen, country, city, region, asn, org, "
    "ip_type, reputation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (actor, ip) DO UPDATE SET "
    "country = CASE WHEN excluded.country <> '' THEN excluded.country ELSE country END, "
    "city = CASE WHEN excluded.city <> '' THEN excluded.city ELSE city END, "
    "region = CASE WHEN excluded.region <> '' THEN excluded.region ELSE region END, "
    "asn = CASE WHEN excluded.asn <> 0 THEN excluded.asn ELSE asn END, "
    "org = CASE WHEN excluded.org <> '' THEN excluded.org ELSE org END, "
    "ip_type = CASE WHEN excluded.ip_type <> '' THEN excluded.ip_type ELSE ip_type END, "
    "reputation = CASE WHEN excluded.reputation <> '' THEN excluded.reputation"
    " ELSE reputation END, "
    "first_seen = min(first_seen, excluded.first_seen), "
    "last_seen = max(last_seen, excluded.last_seen)";
// clang-format on

// The same for a sighting: only for actors that exist.
constexpr char kSightActorIp[] =
    "INSERT INTO actor_ips (actor, ip, first_seen, last_seen, country, city, region, asn, org, "
    "ip_type, reputation) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
    "WHERE EXISTS (SELECT 1 FROM actors WHERE id = ?1) "
    "ON CONFLICT (actor, ip) DO UPDATE SET "
    "country = CASE WHEN excluded.country <> '' THEN excluded.country ELSE country END, "
    "city = CASE WHEN excluded.city <> '' THEN excluded.city ELSE city END, "
    "region = CASE WHEN excluded.region <> '' THEN excluded.region ELSE region END, "
    "asn = CASE WHEN excluded.asn <> 0 THEN excluded.asn ELSE asn END, "
    "org = CASE WHEN excluded.org <> '' THEN excluded.org ELSE org END, "
    "ip_type = CASE WHEN excluded.ip_type <> '' THEN excluded.ip_type ELSE ip_type END, "
    "reputation = CASE WHEN excluded.reputation <> '' THEN excluded.reputation"
    " ELSE reputation END, "
    "first_seen = min(first_seen, excluded.first_seen), "
    "last_seen = max(last_seen, excluded.last_seen)";

constexpr char kUpsertActorHost[] =
    "INSERT INTO actor_hosts (actor, host, first_seen, last_seen) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (actor, host) DO UPDATE SET "
    "first_seen = min(first_seen, excluded.first_seen), "
    "last_seen = max(last_seen, excluded.last_seen)";

constexpr char kSightActorHost[] =
    "INSERT INTO actor_hosts (actor, host, first_seen, last_seen) SELECT ?, ?, ?, ? "
    "WHERE EXISTS (SELECT 1 FROM actors WHERE id = ?1) "
    "ON CONFLICT (actor, host) DO UPDATE SET "
    "first_seen = min(first_seen, excluded.first_seen), "
    "last_seen = max(last_seen, excluded.last_seen)";

constexpr char kActorStatusRow[] =
    "SELECT status, status_expires_at, score, score_at, score_reset_at FROM actors WHERE id = ?";

constexpr char kSetActorActive[] =
    "UPDATE actors SET status = 'ACTIVE', status_expires_at = 0, status_changed_at = ? "
    "WHERE id = ?";

constexpr char kInsertLedger[] =
    "INSERT INTO actor_score_ledger (actor, event_id, at, severity, successful_exploit, points, "
    "reason) VALUES (?, ?, ?, ?, ?, ?, ?)";

constexpr char kSetActorScore[] =
    "UPDATE actors SET score = ?, score_at = ?, threat_level = ? WHERE id = ?";

constexpr char kInsertStatusLog[] =
    "INSERT INTO actor_status_log (actor, at, from_status, to_status, expires_at, comment, by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";

constexpr char kSuppressionHit[] =
    "UPDATE suppressions SET hits = hits + ?, last_hit_at = max(last_hit_at, ?) WHERE id = ?";

constexpr char kUpsertWindow[] =
    "INSERT INTO windows (actor, policy_id, rule, state, version, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (actor, policy_id, rule) DO UPDATE SET state = excluded.state, "
    "version = excluded.version, updated_at = excluded.updated_at "
    "WHERE excluded.version > windows.version";

std::int64_t FloorMinute(std::int64_t t) {
  std::int64_t r = t % 60;
  return r < 0 ? t - r - 60 : t - r;
}

std::string EndpointCacheKey(const EndpointKey& key) {
  std::string out = std::to_string(key.collection_id);
  for (const std::string* part : {&key.host, &key.method, &key.endpoint_template}) {
    out += '\0';
    out += *part;
  }
  return out;
}

// Creates or updates the endpoint row and returns its id.
Result<std::int64_t> UpsertEndpoint(Connection& conn, const EndpointKey& key, std::int64_t minute,
                                    std::int64_t requests) {
  Result<Statement> st = conn.Prepare(kUpsertEndpoint, "upsert endpoint");
  if (!st.ok()) return st.status();
  st->BindInt(1, key.collection_id);
  st->BindText(2, key.host);
  st->BindText(3, key.method);
  st->BindText(4, key.endpoint_template);
  st->BindInt(5, minute);
  st->BindInt(6, minute);
  st->BindInt(7, requests);
  Result<bool> row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("upsert endpoint returned no id");
  std::int64_t id = st->Int(0);
  WARDEN_RETURN_IF_ERROR(st->Run());  // finish the statement so RETURNING completes
  return id;
}

std::string Indexed(const char* what, std::size_t i) {
  return std::string(what) + "[" + std::to_string(i) + "]";
}

Status WriteRollups(Connection& conn, const WriteBatch& batch,
                    std::unordered_map<std::string, std::int64_t>& endpoint_ids) {
  for (std::size_t i = 0; i < batch.rollups.size(); ++i) {
    const EndpointRollup& r = batch.rollups[i];
    std::int64_t minute = FloorMinute(r.minute);
    Result<std::int64_t> id = UpsertEndpoint(conn, r.endpoint, minute, r.requests);
    if (!id.ok()) return id.status().WithContext(Indexed("rollups", i));
    endpoint_ids[EndpointCacheKey(r.endpoint)] = *id;

    Result<Statement> st = conn.Prepare(kUpsertRollup, "upsert rollup");
    if (!st.ok()) return st.status();
    int n = 1;
    st->BindInt(n++, *id);
    st->BindInt(n++, minute);
    for (std::int64_t v : {r.requests, r.status_2xx, r.status_3xx, r.status_4xx, r.status_5xx,
                           r.status_other, r.bytes_in, r.bytes_out}) {
      st->BindInt(n++, v);
    }
    Status s = st->Run();
    if (!s.ok()) return s.WithContext(Indexed("rollups", i));
  }
  return Status::Ok();
}

Status WriteActorCalls(Connection& conn, const WriteBatch& batch,
                       std::unordered_map<std::string, std::int64_t>& endpoint_ids) {
  for (std::size_t i = 0; i < batch.actor_calls.size(); ++i) {
    const ActorCallRollup& c = batch.actor_calls[i];
    std::int64_t minute = FloorMinute(c.minute);
    std::string key = EndpointCacheKey(c.endpoint);
    auto it = endpoint_ids.find(key);
    std::int64_t endpoint_id = 0;
    if (it != endpoint_ids.end()) {
      endpoint_id = it->second;
    } else {
      // An endpoint first seen through an actor call: created without adding requests.
      Result<std::int64_t> id = UpsertEndpoint(conn, c.endpoint, minute, 0);
      if (!id.ok()) return id.status().WithContext(Indexed("actor_calls", i));
      endpoint_id = *id;
      endpoint_ids.emplace(std::move(key), endpoint_id);
    }
    Result<Statement> st = conn.Prepare(kUpsertActorCall, "upsert actor call");
    if (!st.ok()) return st.status();
    st->BindText(1, c.actor);
    st->BindInt(2, endpoint_id);
    st->BindInt(3, minute);
    st->BindInt(4, c.requests);
    Status s = st->Run();
    if (!s.ok()) return s.WithContext(Indexed("actor_calls", i));
  }
  return Status::Ok();
}

Status InsertSample(Connection& conn, const std::string& ref_id, const std::string& payload,
                    std::int64_t now) {
  Result<Statement> sample = conn.Prepare(kInsertSample, "insert sample");
  if (!sample.ok()) return sample.status();
  sample->BindText(1, ref_id);
  sample->BindText(2, payload);
  sample->BindInt(3, now);
  return sample->Run();
}

Status WriteSamples(Connection& conn, const WriteBatch& batch, std::int64_t now) {
  for (std::size_t i = 0; i < batch.samples.size(); ++i) {
    const SampleRecord& r = batch.samples[i];
    if (r.ref_id.empty()) {
      return Status::InvalidArgument(Indexed("samples", i) + ".ref_id: empty",
                                     Indexed("samples", i) + ".ref_id");
    }
    Status s = InsertSample(conn, r.ref_id, r.payload, r.created_at > 0 ? r.created_at : now);
    if (!s.ok()) return s.WithContext(Indexed("samples", i));
  }
  return Status::Ok();
}

Status WriteEventTags(Connection& conn, const Event& e) {
  struct Scheme {
    const char* name;
    const std::vector<std::string>* tags;
  };
  for (Scheme sc : {Scheme{"owasp_api_2023", &e.owasp_api_2023},
                    Scheme{"owasp_2021", &e.owasp_2021}, Scheme{"cwe", &e.cwe}}) {
    for (const std::string& tag : *sc.tags) {
      if (tag.empty()) continue;
      Result<Statement> st = conn.Prepare(kInsertEventTag, "insert event tag");
      if (!st.ok()) return st.status();
      st->BindText(1, e.id);
      st->BindText(2, sc.name);
      st->BindText(3, tag);
      WARDEN_RETURN_IF_ERROR(st->Run());
    }
  }
  for (std::size_t p = 0; p < e.sample_refs.size(); ++p) {
    Result<Statement> st = conn.Prepare(kInsertEventSample, "insert event sample");
    if (!st.ok()) return st.status();
    st->BindText(1, e.id);
    st->BindInt(2, static_cast<std::int64_t>(p));
    st->BindText(3, e.sample_refs[p]);
    WARDEN_RETURN_IF_ERROR(st->Run());
  }
  return Status::Ok();
}

Status WriteEvents(Connection& conn, const WriteBatch& batch, std::int64_t now) {
  for (std::size_t i = 0; i < batch.events.size(); ++i) {
    const Event& e = batch.events[i];
    auto where = [&] { return Indexed("events", i) + " (id " + e.id + ")"; };
    if (e.id.empty()) {
      return Status::InvalidArgument(Indexed("events", i) + ".id: empty",
                                     Indexed("events", i) + ".id");
    }
    if (!e.payload.empty()) {
      if (e.ref_id.empty()) {
        return Status::InvalidArgument(where() + ": payload without ref_id",
                                       Indexed("events", i) + ".ref_id");
      }
      Status s = InsertSample(conn, e.ref_id, e.payload, now);
      if (!s.ok()) return s.WithContext(where());
    }
    Result<Statement> st = conn.Prepare(kInsertEvent, "insert event");
    if (!st.ok()) return st.status();
    int n = 1;
    st->BindText(n++, e.id);
    st->BindText(n++, e.ref_id);
    st->BindText(n++, e.actor);
    st->BindText(n++, e.filter_id);
    st->BindText(n++, e.url);
    st->BindText(n++, e.endpoint_template);
    st->BindText(n++, e.method);
    st->BindText(n++, e.host);
    st->BindText(n++, e.ip);
    st->BindText(n++, e.country);
    st->BindInt(n++, e.api_collection_id);
    st->BindText(n++, DetectionTypeName(e.type));
    st->BindText(n++, EventTypeName(e.event_type));
    st->BindText(n++, e.category);
    st->BindText(n++, e.sub_category);
    st->BindInt(n++, static_cast<std::int64_t>(e.severity));
    st->BindText(n++, e.location);
    st->BindText(n++, e.matched);
    st->BindText(n++, e.metadata);
    st->BindInt(n++, e.detected_at);
    st->BindText(n++, EventStatusName(e.status));
    st->BindInt(n++, e.successful_exploit ? 1 : 0);
    st->BindInt(n++, e.count);
    st->BindInt(n++, std::max(e.last_detected_at, e.detected_at));
    Status s = st->Run();
    if (!s.ok()) return s.WithContext(where());
    s = WriteEventTags(conn, e);
    if (!s.ok()) return s.WithContext(where());
  }
  return Status::Ok();
}

Status WriteFolds(Connection& conn, const WriteBatch& batch) {
  for (std::size_t i = 0; i < batch.folds.size(); ++i) {
    const EventFold& f = batch.folds[i];
    Result<Statement> st = conn.Prepare(kFoldEvent, "fold event");
    if (!st.ok()) return st.status();
    st->BindInt(1, f.count);
    st->BindInt(2, f.last_detected_at);
    st->BindInt(3, f.successful_exploit ? 1 : 0);
    st->BindText(4, f.event_id);
    Status s = st->Run();
    if (!s.ok()) return s.WithContext(Indexed("folds", i));
  }
  return Status::Ok();
}

void BindIpInfo(Statement& st, int first, const IpInfo& info, const std::string& country) {
  st.BindText(first, info.country.empty() ? country : info.country);
  st.BindText(first + 1, info.city);
  st.BindText(first + 2, info.region);
  st.BindInt(first + 3, info.asn);
  st.BindText(first + 4, info.org);
  st.BindText(first + 5, info.ip_type);
  st.BindText(first + 6, info.reputation);
}

struct StoredActorState {
  ActorStatus status = ActorStatus::kActive;
  std::int64_t expires_at = 0;
  RunningScore score;
  std::int64_t reset_at = 0;
};

Result<std::optional<StoredActorState>> ReadActorState(Connection& conn, const std::string& id) {
  Result<Statement> st = conn.Prepare(kActorStatusRow, "read actor state");
  if (!st.ok()) return st.status();
  st->BindText(1, id);
  Result<bool> row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<StoredActorState>();
  StoredActorState s;
  std::optional<ActorStatus> status = ParseActorStatus(st->Text(0));
  s.status = status.value_or(ActorStatus::kActive);
  s.expires_at = st->Int(1);
  s.score = RunningScore{st->Double(2), st->Int(3)};
  s.reset_at = st->Int(4);
  return std::optional<StoredActorState>(s);
}

// RESOLVED / MONITORED actors become ACTIVE on an enforced detection.
Status ReactivateIfNeeded(Connection& conn, const ActorTouch& t) {
  Result<std::optional<StoredActorState>> state = ReadActorState(conn, t.actor);
  if (!state.ok()) return state.status();
  if (!state->has_value()) return Status::Ok();
  ActorStatus effective = EffectiveStatus((*state)->status, (*state)->expires_at, t.seen_at);
  std::optional<ActorStatus> next = StatusAfterMaliciousActivity(effective);
  if (!next) return Status::Ok();
  Result<Statement> st = conn.Prepare(kSetActorActive, "reactivate actor");
  if (!st.ok()) return st.status();
  st->BindInt(1, t.seen_at);
  st->BindText(2, t.actor);
  WARDEN_RETURN_IF_ERROR(st->Run());
  return InsertStatusLog(conn, ActorStatusLogEntry{.actor = t.actor,
                                                   .at = t.seen_at,
                                                   .from = effective,
                                                   .to = *next,
                                                   .comment = "new malicious activity",
                                                   .by = kSystemActor});
}

Status WriteActors(Connection& conn, const WriteBatch& batch) {
  for (std::size_t i = 0; i < batch.actors.size(); ++i) {
    const ActorTouch& t = batch.actors[i];
    auto where = [&] { return Indexed("actors", i) + " (" + t.actor + ")"; };
    if (t.actor.empty()) {
      return Status::InvalidArgument(Indexed("actors", i) + ".actor: empty",
                                     Indexed("actors", i) + ".actor");
    }
    Result<Statement> st = conn.Prepare(kUpsertActor, "upsert actor");
    if (!st.ok()) return st.status();
    int n = 1;
    st->BindText(n++, t.actor);
    st->BindText(n++, ActorKindName(t.kind));
    st->BindText(n++, t.ip);
    st->BindText(n++, t.country);
    st->BindInt(n++, t.seen_at);
    st->BindInt(n++, t.seen_at);
    st->BindText(n++, t.endpoint);
    st->BindText(n++, t.method);
    st->BindText(n++, t.host);
    st->BindText(n++, t.filter_id);
    st->BindText(n++, t.sub_category);
    st->BindInt(n++, static_cast<std::int64_t>(t.severity));
    st->BindInt(n++, t.events);
    st->BindText(n++, ActorStatusName(t.initial_status));
    Status s = st->Run();
    if (!s.ok()) return s.WithContext(where());

    if (!t.ip.empty()) {
      Result<Statement> ip = conn.Prepare(kUpsertActorIp, "upsert actor ip");
      if (!ip.ok()) return ip.status();
      ip->BindText(1, t.actor);
      ip->BindText(2, t.ip);
      ip->BindInt(3, t.seen_at);
      ip->BindInt(4, t.seen_at);
      BindIpInfo(*ip, 5, t.ip_info, t.country);
      s = ip->Run();
      if (!s.ok()) return s.WithContext(where());
    }
    if (!t.host.empty()) {
      Result<Statement> host = conn.Prepare(kUpsertActorHost, "upsert actor host");
      if (!host.ok()) return host.status();
      host->BindText(1, t.actor);
      host->BindText(2, t.host);
      host->BindInt(3, t.seen_at);
      host->BindInt(4, t.seen_at);
      s = host->Run();
      if (!s.ok()) return s.WithContext(where());
    }
    if (t.enforced) {
      s = ReactivateIfNeeded(conn, t);
      if (!s.ok()) return s.WithContext(where());
    }
  }
  return Status::Ok();
}

Status WriteLedger(Connection& conn, const WriteBatch& batch, const ScoringConfig& scoring) {
  for (std::size_t i = 0; i < batch.ledger.size(); ++i) {
    const ScoreLedgerRow& r = batch.ledger[i];
    auto where = [&] { return Indexed("ledger", i) + " (" + r.actor + ")"; };
    Result<Statement> st = conn.Prepare(kInsertLedger, "insert ledger row");
    if (!st.ok()) return st.status();
    st->BindText(1, r.actor);
    st->BindText(2, r.event_id);
    st->BindInt(3, r.at);
    st->BindInt(4, static_cast<std::int64_t>(r.severity));
    st->BindInt(5, r.successful_exploit ? 1 : 0);
    st->BindDouble(6, r.points);
    st->BindText(7, r.reason.empty() ? "event" : r.reason);
    Status s = st->Run();
    if (!s.ok()) return s.WithContext(where());

    Result<std::optional<StoredActorState>> state = ReadActorState(conn, r.actor);
    if (!state.ok()) return state.status().WithContext(where());
    if (!state->has_value() || r.at <= (*state)->reset_at) continue;
    RunningScore next = AddPoints(scoring, (*state)->score, r.points, r.at);
    Result<Statement> up = conn.Prepare(kSetActorScore, "update actor score");
    if (!up.ok()) return up.status();
    up->BindDouble(1, next.value);
    up->BindInt(2, next.at);
    up->BindText(3, ThreatLevelName(LevelForScore(scoring, next.value)));
    up->BindText(4, r.actor);
    s = up->Run();
    if (!s.ok()) return s.WithContext(where());
  }
  return Status::Ok();
}

Status WriteSightings(Connection& conn, const WriteBatch& batch) {
  for (std::size_t i = 0; i < batch.sightings.size(); ++i) {
    const ActorSighting& g = batch.sightings[i];
    if (g.actor.empty()) continue;
    if (!g.ip.empty()) {
      Result<Statement> ip = conn.Prepare(kSightActorIp, "record actor ip");
      if (!ip.ok()) return ip.status();
      ip->BindText(1, g.actor);
      ip->BindText(2, g.ip);
      ip->BindInt(3, g.at);
      ip->BindInt(4, g.at);
      BindIpInfo(*ip, 5, g.ip_info, "");
      Status s = ip->Run();
      if (!s.ok()) return s.WithContext(Indexed("sightings", i));
    }
    if (!g.host.empty()) {
      Result<Statement> host = conn.Prepare(kSightActorHost, "record actor host");
      if (!host.ok()) return host.status();
      host->BindText(1, g.actor);
      host->BindText(2, g.host);
      host->BindInt(3, g.at);
      host->BindInt(4, g.at);
      Status s = host->Run();
      if (!s.ok()) return s.WithContext(Indexed("sightings", i));
    }
  }
  return Status::Ok();
}

Status WriteSuppressionHits(Connection& conn, const WriteBatch& batch) {
  for (std::size_t i = 0; i < batch.suppression_hits.size(); ++i) {
    const SuppressionHit& h = batch.suppression_hits[i];
    Result<Statement> st = conn.Prepare(kSuppressionHit, "count suppressed findings");
    if (!st.ok()) return st.status();
    st->BindInt(1, h.count);
    st->BindInt(2, h.last_at);
    st->BindText(3, h.suppression_id);
    Status s = st->Run();
    if (!s.ok()) return s.WithContext(Indexed("suppression_hits", i));
  }
  return Status::Ok();
}

Status WriteWindows(Connection& conn, const WriteBatch& batch) {
  for (std::size_t i = 0; i < batch.windows.size(); ++i) {
    const WindowRow& w = batch.windows[i];
    Result<Statement> st = conn.Prepare(kUpsertWindow, "write window");
    if (!st.ok()) return st.status();
    st->BindText(1, w.actor);
    st->BindText(2, w.policy_id);
    st->BindText(3, w.rule);
    st->BindText(4, w.state);
    st->BindInt(5, w.version);
    st->BindInt(6, w.updated_at);
    Status s = st->Run();
    if (!s.ok()) return s.WithContext(Indexed("windows", i));
  }
  return Status::Ok();
}

}  // namespace

Status InsertStatusLog(Connection& conn, const ActorStatusLogEntry& entry) {
  Result<Statement> st = conn.Prepare(kInsertStatusLog, "insert status log");
  if (!st.ok()) return st.status();
  st->BindText(1, entry.actor);
  st->BindInt(2, entry.at);
  st->BindText(3, ActorStatusName(entry.from));
  st->BindText(4, ActorStatusName(entry.to));
  st->BindInt(5, entry.expires_at);
  st->BindText(6, entry.comment);
  st->BindText(7, entry.by.empty() ? std::string(kSystemActor) : entry.by);
  return st->Run();
}

Status ApplyWriteBatch(Connection& conn, const WriteBatch& batch, const WriteContext& context) {
  if (context.scoring == nullptr) return Status::Internal("write batch: no scoring config");
  std::unordered_map<std::string, std::int64_t> endpoint_ids;
  WARDEN_RETURN_IF_ERROR(WriteRollups(conn, batch, endpoint_ids));
  WARDEN_RETURN_IF_ERROR(WriteActorCalls(conn, batch, endpoint_ids));
  WARDEN_RETURN_IF_ERROR(WriteSamples(conn, batch, context.now));
  WARDEN_RETURN_IF_ERROR(WriteEvents(conn, batch, context.now));
  WARDEN_RETURN_IF_ERROR(WriteFolds(conn, batch));
  WARDEN_RETURN_IF_ERROR(WriteActors(conn, batch));
  WARDEN_RETURN_IF_ERROR(WriteLedger(conn, batch, *context.scoring));
  WARDEN_RETURN_IF_ERROR(WriteSightings(conn, batch));
  WARDEN_RETURN_IF_ERROR(WriteSuppressionHits(conn, batch));
  WARDEN_RETURN_IF_ERROR(WriteWindows(conn, batch));
  return Status::Ok();
}

}  // namespace warden::sqlite
