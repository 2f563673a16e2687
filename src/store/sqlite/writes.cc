#include "store/sqlite/writes.h"

#include <cstdint>
#include <string>
#include <unordered_map>

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
    "INSERT INTO samples (ref_id, payload) VALUES (?, ?) ON CONFLICT (ref_id) DO NOTHING";

constexpr char kInsertEvent[] =
    "INSERT INTO events (id, ref_id, actor, filter_id, url, endpoint_template, method, host, ip, "
    "country, collection_id, detection_type, event_type, category, sub_category, severity, "
    "location, matched, metadata, detected_at, status, successful_exploit, count) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

// "Latest" fields follow the touch with the newest seen_at (ties: the later write); an empty
// value in a touch means "unknown" and keeps the stored one. In DO UPDATE, bare column names are
// the stored row before the update.
// clang-format off
constexpr char kUpsertActor[] =
    "INSERT INTO actors (id, kind, latest_ip, country, first_seen, last_seen, "
    "latest_api_endpoint, latest_api_method, latest_api_host, latest_attack, "
    "latest_sub_category, max_severity, event_count) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
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

constexpr char kUpsertActorIp[] =
    "INSERT INTO actor_ips (actor, ip, first_seen, last_seen) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (actor, ip) DO UPDATE SET "
    "first_seen = min(first_seen, excluded.first_seen), "
    "last_seen = max(last_seen, excluded.last_seen)";

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

Status WriteEvents(Connection& conn, const WriteBatch& batch) {
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
      Result<Statement> sample = conn.Prepare(kInsertSample, "insert sample");
      if (!sample.ok()) return sample.status();
      sample->BindText(1, e.ref_id);
      sample->BindText(2, e.payload);
      Status s = sample->Run();
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
    Status s = st->Run();
    if (!s.ok()) return s.WithContext(where());
  }
  return Status::Ok();
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
    Status s = st->Run();
    if (!s.ok()) return s.WithContext(where());

    if (t.ip.empty()) continue;
    Result<Statement> ip = conn.Prepare(kUpsertActorIp, "upsert actor ip");
    if (!ip.ok()) return ip.status();
    ip->BindText(1, t.actor);
    ip->BindText(2, t.ip);
    ip->BindInt(3, t.seen_at);
    ip->BindInt(4, t.seen_at);
    s = ip->Run();
    if (!s.ok()) return s.WithContext(where());
  }
  return Status::Ok();
}

}  // namespace

Status ApplyWriteBatch(Connection& conn, const WriteBatch& batch) {
  std::unordered_map<std::string, std::int64_t> endpoint_ids;
  WARDEN_RETURN_IF_ERROR(WriteRollups(conn, batch, endpoint_ids));
  WARDEN_RETURN_IF_ERROR(WriteActorCalls(conn, batch, endpoint_ids));
  WARDEN_RETURN_IF_ERROR(WriteEvents(conn, batch));
  WARDEN_RETURN_IF_ERROR(WriteActors(conn, batch));
  return Status::Ok();
}

}  // namespace warden::sqlite
