#include "store/sqlite/api_state.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "model/severity.h"
#include "store/sqlite/reads.h"
#include "store/sqlite/sql_builder.h"

namespace warden::sqlite {

namespace {

constexpr std::int64_t kDay = 86400;
// IN lists longer than this are read in chunks (SQLite limits bound parameters).
constexpr std::size_t kInChunk = 500;

Status CheckPaging(std::int64_t skip, std::int64_t limit, std::string_view op) {
  if (skip < 0) return Status::InvalidArgument(std::string(op) + ": skip < 0", "skip");
  if (limit < 0) return Status::InvalidArgument(std::string(op) + ": limit < 0", "limit");
  return Status::Ok();
}

std::int64_t FloorTo(std::int64_t t, std::int64_t step) {
  std::int64_t r = t % step;
  return r < 0 ? t - r - step : t - r;
}

Result<std::optional<std::int64_t>> FindEndpointId(Connection& conn, const EndpointKey& k,
                                                   std::string_view op) {
  Result<Statement> st = conn.Prepare(
      "SELECT id FROM endpoints WHERE collection_id = ? AND host = ? AND method = ? "
      "AND template = ?",
      op);
  if (!st.ok()) return st.status();
  st->BindInt(1, k.collection_id);
  st->BindText(2, k.host);
  st->BindText(3, k.method);
  st->BindText(4, k.endpoint_template);
  Result<bool> row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(st->Int(0));
}

Endpoint EndpointFromRow(const Statement& st) {
  Endpoint ep;
  int c = 0;
  ep.key.collection_id = static_cast<std::int32_t>(st.Int(c++));
  ep.key.host = st.Text(c++);
  ep.key.method = st.Text(c++);
  ep.key.endpoint_template = st.Text(c++);
  ep.first_seen = st.Int(c++);
  ep.last_seen = st.Int(c++);
  ep.total_requests = st.Int(c++);
  return ep;
}

constexpr char kEndpointColumns[] =
    "SELECT collection_id, host, method, template, first_seen, last_seen, total_requests "
    "FROM endpoints";

// The events of one actor under a dashboard query, on `events e`.
Conditions ActorEvents(const std::string& actor, const DashboardQuery& q) {
  Conditions c;
  c.Add("e.actor = ?", {actor});
  if (q.start_ts) c.Add("e.detected_at >= ?", {*q.start_ts});
  if (q.end_ts) c.Add("e.detected_at <= ?", {*q.end_ts});
  c.AddIn("e.filter_id", q.filter_ids);
  std::vector<std::string> statuses;
  for (EventStatus s : q.statuses) statuses.emplace_back(EventStatusName(s));
  c.AddIn("e.status", statuses);
  return c;
}

std::string SeverityKey(std::int64_t rank) {
  if (rank < 1 || rank > 4) return std::to_string(rank);
  return std::string(SeverityName(static_cast<Severity>(rank)));
}

}  // namespace

Result<EndpointPage> ReadEndpointPage(Connection& conn, const EndpointQuery& query) {
  constexpr std::string_view kOp = "list endpoint inventory";
  WARDEN_RETURN_IF_ERROR(CheckPaging(query.skip, query.limit, kOp));
  Conditions where;
  where.AddIn("host", query.hosts);
  where.AddContains({"template", "host"}, query.search_text);
  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  EndpointPage page;
  WARDEN_RETURN_IF_ERROR(
      ForEachRow(conn,
                 std::string(kEndpointColumns) + where.WhereClause() +
                     " ORDER BY last_seen DESC, id ASC LIMIT ? OFFSET ?",
                 Concat(where.values(), {query.limit, query.skip}), kOp,
                 [&](const Statement& st) { page.endpoints.push_back(EndpointFromRow(st)); }));
  WARDEN_RETURN_IF_ERROR(ForEachRow(conn, "SELECT count(*) FROM endpoints" + where.WhereClause(),
                                    where.values(), kOp,
                                    [&](const Statement& st) { page.total = st.Int(0); }));
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return page;
}

Result<Endpoint> ReadEndpoint(Connection& conn, const EndpointKey& key) {
  constexpr std::string_view kOp = "get endpoint";
  std::optional<Endpoint> found;
  WARDEN_RETURN_IF_ERROR(
      ForEachRow(conn,
                 std::string(kEndpointColumns) +
                     " WHERE collection_id = ? AND host = ? AND method = ? AND template = ?",
                 {std::int64_t{key.collection_id}, key.host, key.method, key.endpoint_template},
                 kOp, [&](const Statement& st) { found = EndpointFromRow(st); }));
  if (!found) {
    return Status::NotFound("endpoint " + key.method + " " + key.host + key.endpoint_template +
                            " not found");
  }
  return *found;
}

Result<std::vector<TimeCount>> ReadEventsOverTime(Connection& conn, const EventFilter& filter,
                                                  std::int64_t bucket_seconds) {
  constexpr std::string_view kOp = "count events over time";
  if (bucket_seconds < 60) {
    return Status::InvalidArgument("count events over time: bucket_seconds < 60", "bucket_seconds");
  }
  Conditions where = EventFilterConditions(filter);
  std::vector<TimeCount> out;
  WARDEN_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT (e.detected_at / ?1) * ?1 AS bucket, count(*), sum(e.count) FROM events e" +
          where.WhereClause() + " GROUP BY bucket ORDER BY bucket",
      Concat({bucket_seconds}, where.values()), kOp, [&](const Statement& st) {
        out.push_back(TimeCount{.ts = st.Int(0), .events = st.Int(1), .detections = st.Int(2)});
      }));
  return out;
}

Result<std::vector<ScoreLedgerRow>> ReadLedgerForEvents(Connection& conn,
                                                        const std::vector<std::string>& ids) {
  constexpr std::string_view kOp = "list ledger rows of events";
  std::vector<std::pair<std::int64_t, ScoreLedgerRow>> rows;  // (row id, row)
  for (std::size_t first = 0; first < ids.size(); first += kInChunk) {
    std::vector<std::string> chunk(
        ids.begin() + static_cast<std::ptrdiff_t>(first),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), first + kInChunk)));
    WARDEN_RETURN_IF_ERROR(ForEachRow(
        conn,
        "SELECT id, actor, event_id, at, severity, successful_exploit, points, reason "
        "FROM actor_score_ledger WHERE event_id IN " +
            Conditions::InPlaceholders(chunk.size()),
        Conditions::Padded(chunk), kOp, [&](const Statement& st) {
          ScoreLedgerRow r;
          r.actor = st.Text(1);
          r.event_id = st.Text(2);
          r.at = st.Int(3);
          std::int64_t rank = st.Int(4);
          r.severity = rank >= 1 && rank <= 4 ? static_cast<Severity>(rank) : Severity::kLow;
          r.successful_exploit = st.Int(5) != 0;
          r.points = st.Double(6);
          r.reason = st.Text(7);
          rows.emplace_back(st.Int(0), std::move(r));
        }));
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ScoreLedgerRow> out;
  out.reserve(rows.size());
  for (auto& [id, row] : rows) out.push_back(std::move(row));
  return out;
}

Result<ActorEventBreakdown> ReadActorBreakdown(Connection& conn, const std::string& actor,
                                               const DashboardQuery& q) {
  constexpr std::string_view kOp = "summarize actor events";
  if (q.limit < 0) return Status::InvalidArgument("summarize actor events: limit < 0", "limit");
  Conditions where = ActorEvents(actor, q);
  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  ActorEventBreakdown out;
  WARDEN_RETURN_IF_ERROR(
      ForEachRow(conn,
                 "SELECT count(*), coalesce(sum(e.count), 0), "
                 "count(CASE WHEN e.successful_exploit = 1 THEN 1 END), "
                 "coalesce(min(e.detected_at), 0), coalesce(max(e.detected_at), 0) FROM events e" +
                     where.WhereClause(),
                 where.values(), kOp, [&](const Statement& st) {
                   out.events = st.Int(0);
                   out.detections = st.Int(1);
                   out.successful_exploits = st.Int(2);
                   out.first_at = st.Int(3);
                   out.last_at = st.Int(4);
                 }));
  if (out.events == 0) {
    WARDEN_RETURN_IF_ERROR(txn->Commit());
    return out;
  }
  struct Group {
    std::string key_sql;
    std::vector<KeyCount>* into;
    bool severity = false;
    bool samples = false;
  };
  const Group groups[] = {
      {"e.host", &out.hosts, false, false},
      {"e.method || ' ' || e.endpoint_template", &out.endpoints, false, false},
      {"e.filter_id", &out.policies, false, false},
      {"e.category", &out.categories, false, false},
      {"e.sub_category", &out.sub_categories, false, false},
      {"e.severity", &out.severities, true, false},
      {"e.country", &out.countries, false, false},
      // The response status of each event's stored sample (Akto ingest record: "statusCode").
      {"coalesce(CASE WHEN json_valid(s.payload) THEN "
       "CAST(json_extract(s.payload, '$.statusCode') AS TEXT) END, '')",
       &out.status_codes, false, true},
  };
  for (const Group& g : groups) {
    std::string from =
        g.samples ? " FROM events e LEFT JOIN samples s ON s.ref_id = e.ref_id" : " FROM events e";
    std::string order = g.severity ? " ORDER BY k DESC" : " ORDER BY count(*) DESC, k";
    WARDEN_RETURN_IF_ERROR(ForEachRow(
        conn,
        "SELECT " + g.key_sql + " AS k, count(*), warden_distinct(e.actor)" + from +
            where.WhereClause() + " GROUP BY k" + order + " LIMIT ?",
        Concat(where.values(), {q.limit}), kOp, [&](const Statement& st) {
          g.into->push_back(KeyCount{.key = g.severity ? SeverityKey(st.Int(0)) : st.Text(0),
                                     .count = st.Int(1),
                                     .actors = st.Int(2)});
        }));
  }
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return out;
}

Result<std::vector<CallPoint>> ReadCallSeries(Connection& conn, const EndpointKey& endpoint,
                                              const CallSeriesQuery& q) {
  constexpr std::string_view kOp = "endpoint call series";
  if (q.bucket_seconds <= 0 || q.bucket_seconds % 60 != 0) {
    return Status::InvalidArgument(
        "endpoint call series: bucket_seconds must be a positive multiple of 60", "bucket_seconds");
  }
  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  Result<std::optional<std::int64_t>> id = FindEndpointId(conn, endpoint, kOp);
  if (!id.ok()) return id.status();
  std::vector<CallPoint> out;
  if (id->has_value()) {
    WARDEN_RETURN_IF_ERROR(ForEachRow(
        conn,
        "SELECT (minute / ?1) * ?1 AS bucket, sum(requests), sum(status_4xx + status_5xx) "
        "FROM endpoint_rollups WHERE endpoint_id = ?2 AND minute >= ?3 AND minute <= ?4 "
        "GROUP BY bucket ORDER BY bucket",
        {q.bucket_seconds, **id, FloorTo(q.start_ts, 60), q.end_ts}, kOp, [&](const Statement& st) {
          out.push_back(CallPoint{.ts = st.Int(0), .requests = st.Int(1), .errors = st.Int(2)});
        }));
  }
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return out;
}

Result<std::vector<KeyCount>> ReadTopCallers(Connection& conn, const EndpointKey* endpoint,
                                             const DashboardQuery& q) {
  constexpr std::string_view kOp = "top callers";
  if (q.limit < 0) return Status::InvalidArgument("top callers: limit < 0", "limit");
  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  Conditions where;
  if (endpoint != nullptr) {
    Result<std::optional<std::int64_t>> id = FindEndpointId(conn, *endpoint, kOp);
    if (!id.ok()) return id.status();
    where.Add("endpoint_id = ?", {id->value_or(-1)});
  }
  if (q.start_ts) where.Add("minute >= ?", {FloorTo(*q.start_ts, 60)});
  if (q.end_ts) where.Add("minute <= ?", {*q.end_ts});
  std::vector<KeyCount> out;
  WARDEN_RETURN_IF_ERROR(
      ForEachRow(conn,
                 "SELECT actor, sum(requests) AS calls FROM actor_calls" + where.WhereClause() +
                     " GROUP BY actor HAVING calls > 0 ORDER BY calls DESC, actor LIMIT ?",
                 Concat(where.values(), {q.limit}), kOp, [&](const Statement& st) {
                   out.push_back(KeyCount{.key = st.Text(0), .count = st.Int(1), .actors = 1});
                 }));
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return out;
}

Result<std::vector<TimeCount>> ReadNewActorsPerDay(Connection& conn, const DashboardQuery& q) {
  constexpr std::string_view kOp = "new actors per day";
  Conditions where;
  // An actor first seen in the range was last seen there or later: the actors_seen index
  // (last_seen, first_seen) holds the candidates and the column.
  if (q.start_ts) where.Add("a.last_seen >= ?", {*q.start_ts});
  if (q.start_ts) where.Add("a.first_seen >= ?", {*q.start_ts});
  if (q.end_ts) where.Add("a.first_seen <= ?", {*q.end_ts});
  if (!q.filter_ids.empty()) {
    where.Add("EXISTS (SELECT 1 FROM events x WHERE x.actor = a.id AND x.filter_id IN " +
                  Conditions::InPlaceholders(q.filter_ids.size()) + ")",
              Conditions::Padded(q.filter_ids));
  }
  std::vector<TimeCount> out;
  WARDEN_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT (a.first_seen / " + std::to_string(kDay) + ") * " + std::to_string(kDay) +
          " AS day, count(*) FROM actors a" + where.WhereClause() + " GROUP BY day ORDER BY day",
      where.values(), kOp, [&](const Statement& st) {
        out.push_back(TimeCount{.ts = st.Int(0), .events = st.Int(1), .detections = st.Int(1)});
      }));
  return out;
}

Result<std::map<std::string, std::string>> ReadSettings(Connection& conn) {
  std::map<std::string, std::string> out;
  WARDEN_RETURN_IF_ERROR(ForEachRow(conn, "SELECT key, value FROM settings", {}, "read settings",
                                    [&](const Statement& st) { out[st.Text(0)] = st.Text(1); }));
  return out;
}

Status WriteSettings(Connection& conn, const std::map<std::string, std::string>& values,
                     std::int64_t now) {
  for (const auto& [key, value] : values) {
    if (key.empty()) return Status::InvalidArgument("write settings: empty key", "key");
    Result<Statement> st = conn.Prepare(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) "
        "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        "write settings");
    if (!st.ok()) return st.status();
    st->BindText(1, key);
    st->BindText(2, value);
    st->BindInt(3, now);
    WARDEN_RETURN_IF_ERROR(st->Run());
  }
  return Status::Ok();
}

Status InsertAudit(Connection& conn, const AuditEntry& entry, std::int64_t now) {
  if (entry.action.empty()) return Status::InvalidArgument("append audit: empty action", "action");
  Result<Statement> st =
      conn.Prepare("INSERT INTO audit_log (at, by, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                   "append audit");
  if (!st.ok()) return st.status();
  st->BindInt(1, entry.at > 0 ? entry.at : now);
  st->BindText(2, entry.by);
  st->BindText(3, entry.action);
  st->BindText(4, entry.target);
  st->BindText(5, entry.detail.empty() ? std::string("{}") : entry.detail);
  return st->Run();
}

Result<AuditPage> ReadAudit(Connection& conn, const AuditQuery& query) {
  constexpr std::string_view kOp = "list audit";
  WARDEN_RETURN_IF_ERROR(CheckPaging(query.skip, query.limit, kOp));
  Conditions where;
  where.AddIn("action", query.actions);
  if (query.start_ts) where.Add("at >= ?", {*query.start_ts});
  if (query.end_ts) where.Add("at <= ?", {*query.end_ts});
  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  AuditPage page;
  WARDEN_RETURN_IF_ERROR(
      ForEachRow(conn,
                 "SELECT id, at, by, action, target, detail FROM audit_log" + where.WhereClause() +
                     " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
                 Concat(where.values(), {query.limit, query.skip}), kOp, [&](const Statement& st) {
                   page.entries.push_back(AuditEntry{.id = st.Int(0),
                                                     .at = st.Int(1),
                                                     .by = st.Text(2),
                                                     .action = st.Text(3),
                                                     .target = st.Text(4),
                                                     .detail = st.Text(5)});
                 }));
  WARDEN_RETURN_IF_ERROR(ForEachRow(conn, "SELECT count(*) FROM audit_log" + where.WhereClause(),
                                    where.values(), kOp,
                                    [&](const Statement& st) { page.total = st.Int(0); }));
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return page;
}

}  // namespace warden::sqlite
