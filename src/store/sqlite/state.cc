#include "store/sqlite/state.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "actors/status.h"
#include "common/ids.h"
#include "store/sqlite/reads.h"
#include "store/sqlite/sql_builder.h"
#include "store/sqlite/writes.h"

namespace warden::sqlite {

namespace {

constexpr char kSuppressionColumns[] =
    "id, filter_id, endpoint_template, host, actor, created_at, created_by, reason, expires_at, "
    "hits, last_hit_at";

Suppression SuppressionFromRow(const Statement& st) {
  Suppression s;
  int c = 0;
  s.id = st.Text(c++);
  s.filter_id = st.Text(c++);
  s.endpoint_template = st.Text(c++);
  s.host = st.Text(c++);
  s.actor = st.Text(c++);
  s.created_at = st.Int(c++);
  s.created_by = st.Text(c++);
  s.reason = st.Text(c++);
  s.expires_at = st.Int(c++);
  s.hits = st.Int(c++);
  s.last_hit_at = st.Int(c++);
  return s;
}

Status CheckLimit(std::int64_t limit, std::string_view op) {
  if (limit < 0) return Status::InvalidArgument(std::string(op) + ": limit < 0", "limit");
  return Status::Ok();
}

// The events an EventStatusChange chooses, as conditions on `events e`.
Conditions ChosenEvents(const EventStatusChange& change) {
  Conditions c;
  if (change.filter) c = EventFilterConditions(*change.filter);
  c.AddIn("e.id", change.ids);
  return c;
}

// Creates (or extends) one suppression rule; returns it.
Result<Suppression> UpsertSuppression(Connection& conn, Suppression want, std::int64_t now) {
  constexpr std::string_view kOp = "create suppression";
  Result<Statement> find = conn.Prepare(
      std::string("SELECT ") + kSuppressionColumns +
          " FROM suppressions WHERE filter_id = ? AND endpoint_template = ? AND host = ? "
          "AND actor = ? AND (expires_at = 0 OR expires_at > ?) ORDER BY created_at LIMIT 1",
      kOp);
  if (!find.ok()) return find.status();
  find->BindText(1, want.filter_id);
  find->BindText(2, want.endpoint_template);
  find->BindText(3, want.host);
  find->BindText(4, want.actor);
  find->BindInt(5, now);
  Result<bool> row = find->Step();
  if (!row.ok()) return row.status();
  if (*row) {
    Suppression existing = SuppressionFromRow(*find);
    Result<Statement> up = conn.Prepare(
        "UPDATE suppressions SET expires_at = ?, reason = ?, created_by = ? WHERE id = ?", kOp);
    if (!up.ok()) return up.status();
    up->BindInt(1, want.expires_at);
    up->BindText(2, want.reason);
    up->BindText(3, want.created_by);
    up->BindText(4, existing.id);
    WARDEN_RETURN_IF_ERROR(up->Run());
    existing.expires_at = want.expires_at;
    existing.reason = want.reason;
    existing.created_by = want.created_by;
    return existing;
  }
  want.id = NewUuid();
  want.created_at = now;
  Result<Statement> ins = conn.Prepare(
      "INSERT INTO suppressions (id, filter_id, endpoint_template, host, actor, created_at, "
      "created_by, reason, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      kOp);
  if (!ins.ok()) return ins.status();
  int n = 1;
  ins->BindText(n++, want.id);
  ins->BindText(n++, want.filter_id);
  ins->BindText(n++, want.endpoint_template);
  ins->BindText(n++, want.host);
  ins->BindText(n++, want.actor);
  ins->BindInt(n++, want.created_at);
  ins->BindText(n++, want.created_by);
  ins->BindText(n++, want.reason);
  ins->BindInt(n++, want.expires_at);
  WARDEN_RETURN_IF_ERROR(ins->Run());
  return want;
}

struct StatusRow {
  ActorStatus status = ActorStatus::kActive;
  std::int64_t expires_at = 0;
  ActorKind kind = ActorKind::kIp;
};

Result<std::optional<StatusRow>> ReadStatusRow(Connection& conn, const std::string& id,
                                               std::string_view op) {
  Result<Statement> st =
      conn.Prepare("SELECT status, status_expires_at, kind FROM actors WHERE id = ?", op);
  if (!st.ok()) return st.status();
  st->BindText(1, id);
  Result<bool> row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<StatusRow>();
  StatusRow r;
  std::string status = st->Text(0);
  std::optional<ActorStatus> parsed = ParseActorStatus(status);
  if (!parsed) {
    return Status::Internal(std::string(op) + ": stored actor status '" + status +
                            "' is not valid");
  }
  r.status = *parsed;
  r.expires_at = st->Int(1);
  r.kind = st->Text(2) == "user" ? ActorKind::kUser : ActorKind::kIp;
  return std::optional<StatusRow>(r);
}

// A decision from one actor's own status, or nullopt when it neither allows nor blocks.
std::optional<BlockDecision> Decide(const std::string& actor, const StatusRow& row,
                                    std::int64_t now, std::string_view reason) {
  if (IsAllowingStatus(row.status, row.expires_at, now)) {
    return BlockDecision{.blocked = false,
                         .actor = actor,
                         .status = row.status,
                         .until = row.status == ActorStatus::kSnooze ? row.expires_at : 0,
                         .reason = "allowed"};
  }
  if (IsBlockingStatus(row.status, row.expires_at, now)) {
    return BlockDecision{.blocked = true,
                         .actor = actor,
                         .status = row.status,
                         .until = row.status == ActorStatus::kSuspend ? row.expires_at : 0,
                         .reason = std::string(reason)};
  }
  return std::nullopt;
}

}  // namespace

Result<EventStatusResult> UpdateEventStatus(Connection& conn, const EventStatusChange& change,
                                            std::int64_t now) {
  constexpr std::string_view kOp = "update event status";
  if (change.ids.empty() && !change.filter) {
    return Status::InvalidArgument("update event status: give event ids or a filter", "ids");
  }
  if (change.suppress_until < 0) {
    return Status::InvalidArgument("update event status: suppress_until < 0", "suppress_until");
  }
  Conditions where = ChosenEvents(change);
  EventStatusResult result;

  if (change.status == EventStatus::kIgnored && change.suppress) {
    std::string actor_col = change.suppress_actor_only ? "e.actor" : "''";
    Result<Statement> keys =
        conn.Prepare("SELECT DISTINCT e.filter_id, e.endpoint_template, e.host, " + actor_col +
                         " FROM events e" + where.WhereClause() + " ORDER BY 1, 2, 3, 4",
                     kOp);
    if (!keys.ok()) return keys.status();
    BindValues(*keys, where.values());
    std::vector<Suppression> wanted;
    for (;;) {
      Result<bool> row = keys->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      Suppression s;
      s.filter_id = keys->Text(0);
      s.endpoint_template = keys->Text(1);
      s.host = keys->Text(2);
      s.actor = keys->Text(3);
      s.created_by = change.by.empty() ? std::string(kSystemActor) : change.by;
      s.reason = change.reason;
      s.expires_at = change.suppress_until;
      wanted.push_back(std::move(s));
    }
    for (Suppression& s : wanted) {
      Result<Suppression> made = UpsertSuppression(conn, std::move(s), now);
      if (!made.ok()) return made.status();
      result.suppressions.push_back(std::move(made).value());
    }
  } else if (change.status != EventStatus::kIgnored) {
    // Un-ignoring events lifts the rules that covered them.
    Result<Statement> lift = conn.Prepare(
        "DELETE FROM suppressions WHERE EXISTS (SELECT 1 FROM events e WHERE "
        "e.status = 'IGNORED' AND e.filter_id = suppressions.filter_id "
        "AND e.endpoint_template = suppressions.endpoint_template "
        "AND (suppressions.host = '' OR suppressions.host = e.host) "
        "AND (suppressions.actor = '' OR suppressions.actor = e.actor)" +
            where.AndClause() + ")",
        kOp);
    if (!lift.ok()) return lift.status();
    BindValues(*lift, where.values());
    WARDEN_RETURN_IF_ERROR(lift->Run());
  }

  Result<Statement> up =
      conn.Prepare("UPDATE events SET status = ? WHERE id IN (SELECT e.id FROM events e" +
                       where.WhereClause() + ")",
                   kOp);
  if (!up.ok()) return up.status();
  up->BindText(1, EventStatusName(change.status));
  BindValues(*up, where.values(), 2);
  WARDEN_RETURN_IF_ERROR(up->Run());
  result.updated = conn.Changes();
  return result;
}

Result<Suppression> InsertSuppression(Connection& conn, const Suppression& rule, std::int64_t now) {
  if (rule.filter_id.empty()) {
    return Status::InvalidArgument("create suppression: filter_id is empty", "filter_id");
  }
  if (rule.endpoint_template.empty()) {
    return Status::InvalidArgument("create suppression: endpoint_template is empty",
                                   "endpoint_template");
  }
  if (rule.expires_at < 0) {
    return Status::InvalidArgument("create suppression: expires_at < 0", "expires_at");
  }
  Suppression want = rule;
  want.id.clear();
  want.hits = 0;
  want.last_hit_at = 0;
  if (want.created_by.empty()) want.created_by = kSystemActor;
  return UpsertSuppression(conn, std::move(want), now);
}

Result<std::vector<Suppression>> ReadSuppressions(Connection& conn, bool include_expired,
                                                  std::int64_t now) {
  constexpr std::string_view kOp = "list suppressions";
  std::string sql = std::string("SELECT ") + kSuppressionColumns + " FROM suppressions";
  if (!include_expired) sql += " WHERE expires_at = 0 OR expires_at > ?";
  sql += " ORDER BY created_at DESC, id";
  Result<Statement> st = conn.Prepare(sql, kOp);
  if (!st.ok()) return st.status();
  if (!include_expired) st->BindInt(1, now);
  std::vector<Suppression> out;
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(SuppressionFromRow(*st));
  }
  return out;
}

Status RemoveSuppression(Connection& conn, const std::string& id) {
  Result<Statement> st =
      conn.Prepare("DELETE FROM suppressions WHERE id = ?", "delete suppression");
  if (!st.ok()) return st.status();
  st->BindText(1, id);
  WARDEN_RETURN_IF_ERROR(st->Run());
  if (conn.Changes() == 0) return Status::NotFound("suppression " + id + " not found");
  return Status::Ok();
}

Result<std::vector<SampleRecord>> ReadEventSamples(Connection& conn, const std::string& event_id) {
  constexpr std::string_view kOp = "list event samples";
  Result<Statement> ev = conn.Prepare("SELECT ref_id FROM events WHERE id = ?", kOp);
  if (!ev.ok()) return ev.status();
  ev->BindText(1, event_id);
  Result<bool> found = ev->Step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("event " + event_id + " not found");
  std::string ref_id = ev->Text(0);

  std::vector<SampleRecord> out;
  Result<Statement> st = conn.Prepare(
      "SELECT s.ref_id, s.payload, s.created_at FROM event_samples x "
      "JOIN samples s ON s.ref_id = x.ref_id WHERE x.event_id = ? ORDER BY x.position",
      kOp);
  if (!st.ok()) return st.status();
  st->BindText(1, event_id);
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(SampleRecord{st->Text(0), st->Text(1), st->Int(2)});
  }
  if (!out.empty() || ref_id.empty()) return out;
  Result<Statement> one =
      conn.Prepare("SELECT ref_id, payload, created_at FROM samples WHERE ref_id = ?", kOp);
  if (!one.ok()) return one.status();
  one->BindText(1, ref_id);
  Result<bool> row = one->Step();
  if (!row.ok()) return row.status();
  if (*row) out.push_back(SampleRecord{one->Text(0), one->Text(1), one->Int(2)});
  return out;
}

Result<ActorDetail> ReadActorDetail(Connection& conn, const std::string& id) {
  constexpr std::string_view kOp = "get actor";
  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  ActorDetail detail;
  {
    Result<Statement> st =
        conn.Prepare("SELECT " + ActorColumns() + " FROM actors a WHERE a.id = ?", kOp);
    if (!st.ok()) return st.status();
    st->BindText(1, id);
    Result<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("actor " + id + " not found");
    Result<Actor> actor = ReadActorRow(*st, kOp);
    if (!actor.ok()) return actor.status();
    detail.actor = std::move(actor).value();
  }
  std::set<std::string> countries;
  {
    Result<Statement> st = conn.Prepare(
        "SELECT ip, first_seen, last_seen, country, city, region, asn, org, ip_type, reputation "
        "FROM actor_ips WHERE actor = ? ORDER BY last_seen DESC, ip",
        kOp);
    if (!st.ok()) return st.status();
    st->BindText(1, id);
    for (;;) {
      Result<bool> row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      ActorIp ip;
      int c = 0;
      ip.ip = st->Text(c++);
      ip.first_seen = st->Int(c++);
      ip.last_seen = st->Int(c++);
      ip.info.country = st->Text(c++);
      ip.info.city = st->Text(c++);
      ip.info.region = st->Text(c++);
      ip.info.asn = st->Int(c++);
      ip.info.org = st->Text(c++);
      ip.info.ip_type = st->Text(c++);
      ip.info.reputation = st->Text(c++);
      if (!ip.info.country.empty()) countries.insert(ip.info.country);
      detail.ips.push_back(std::move(ip));
    }
  }
  {
    Result<Statement> st = conn.Prepare(
        "SELECT host, first_seen, last_seen FROM actor_hosts WHERE actor = ? "
        "ORDER BY last_seen DESC, host",
        kOp);
    if (!st.ok()) return st.status();
    st->BindText(1, id);
    for (;;) {
      Result<bool> row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      detail.hosts.push_back(ActorHost{st->Text(0), st->Int(1), st->Int(2)});
    }
  }
  if (!detail.actor.country.empty()) countries.insert(detail.actor.country);
  detail.countries.assign(countries.begin(), countries.end());
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return detail;
}

Result<std::int64_t> ApplyActorStatus(Connection& conn, const ActorStatusChange& change,
                                      std::int64_t now) {
  constexpr std::string_view kOp = "set actor status";
  if (change.actor_ids.empty()) {
    return Status::InvalidArgument("set actor status: no actor ids", "actor_ids");
  }
  WARDEN_RETURN_IF_ERROR(ValidateStatusChange(change.status, change.duration_seconds));
  std::int64_t expires = IsTimedStatus(change.status) ? now + change.duration_seconds : 0;
  bool resolve = change.status == ActorStatus::kResolved;
  std::set<std::string> done;
  std::int64_t changed = 0;
  for (const std::string& id : change.actor_ids) {
    if (!done.insert(id).second) continue;
    Result<std::optional<StatusRow>> row = ReadStatusRow(conn, id, kOp);
    if (!row.ok()) return row.status();
    if (!row->has_value()) return Status::NotFound("actor " + id + " not found");
    ActorStatus from = EffectiveStatus((*row)->status, (*row)->expires_at, now);
    Result<Statement> up = conn.Prepare(
        resolve ? "UPDATE actors SET status = ?, status_expires_at = ?, status_changed_at = ?, "
                  "score = 0, score_at = ?4, score_reset_at = ?4, threat_level = 'LOW' "
                  "WHERE id = ?5"
                : "UPDATE actors SET status = ?, status_expires_at = ?, status_changed_at = ? "
                  "WHERE id = ?5",
        kOp);
    if (!up.ok()) return up.status();
    up->BindText(1, ActorStatusName(change.status));
    up->BindInt(2, expires);
    up->BindInt(3, now);
    if (resolve) up->BindInt(4, now);
    up->BindText(5, id);
    WARDEN_RETURN_IF_ERROR(up->Run());
    WARDEN_RETURN_IF_ERROR(InsertStatusLog(conn, ActorStatusLogEntry{.actor = id,
                                                                     .at = now,
                                                                     .from = from,
                                                                     .to = change.status,
                                                                     .expires_at = expires,
                                                                     .comment = change.comment,
                                                                     .by = change.by}));
    ++changed;
  }
  return changed;
}

Result<std::vector<ActorStatusLogEntry>> ReadStatusLog(Connection& conn, const std::string& actor,
                                                       std::int64_t limit) {
  constexpr std::string_view kOp = "list status log";
  WARDEN_RETURN_IF_ERROR(CheckLimit(limit, kOp));
  Result<Statement> st = conn.Prepare(
      "SELECT actor, at, from_status, to_status, expires_at, comment, by FROM actor_status_log "
      "WHERE actor = ? ORDER BY at DESC, id DESC LIMIT ?",
      kOp);
  if (!st.ok()) return st.status();
  st->BindText(1, actor);
  st->BindInt(2, limit);
  std::vector<ActorStatusLogEntry> out;
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ActorStatusLogEntry e;
    e.actor = st->Text(0);
    e.at = st->Int(1);
    e.from = ParseActorStatus(st->Text(2)).value_or(ActorStatus::kActive);
    e.to = ParseActorStatus(st->Text(3)).value_or(ActorStatus::kActive);
    e.expires_at = st->Int(4);
    e.comment = st->Text(5);
    e.by = st->Text(6);
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::int64_t> ExpireStatuses(Connection& conn, std::int64_t now) {
  constexpr std::string_view kOp = "expire actor statuses";
  struct Due {
    std::string id;
    ActorStatus status;
    std::int64_t expires_at;
  };
  std::vector<Due> due;
  {
    Result<Statement> st = conn.Prepare(
        "SELECT id, status, status_expires_at FROM actors WHERE status IN ('SNOOZE', 'SUSPEND') "
        "AND status_expires_at > 0 AND status_expires_at <= ? ORDER BY status_expires_at, id",
        kOp);
    if (!st.ok()) return st.status();
    st->BindInt(1, now);
    for (;;) {
      Result<bool> row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      due.push_back(Due{st->Text(0), ParseActorStatus(st->Text(1)).value_or(ActorStatus::kSnooze),
                        st->Int(2)});
    }
  }
  for (const Due& d : due) {
    Result<Statement> up = conn.Prepare(
        "UPDATE actors SET status = 'ACTIVE', status_expires_at = 0, status_changed_at = ? "
        "WHERE id = ?",
        kOp);
    if (!up.ok()) return up.status();
    up->BindInt(1, d.expires_at);
    up->BindText(2, d.id);
    WARDEN_RETURN_IF_ERROR(up->Run());
    WARDEN_RETURN_IF_ERROR(InsertStatusLog(
        conn, ActorStatusLogEntry{.actor = d.id,
                                  .at = d.expires_at,
                                  .from = d.status,
                                  .to = ActorStatus::kActive,
                                  .comment = std::string(ActorStatusName(d.status)) + " expired",
                                  .by = kSystemActor}));
  }
  return static_cast<std::int64_t>(due.size());
}

Result<std::vector<ScoreLedgerRow>> ReadLedger(Connection& conn, const std::string& actor,
                                               std::int64_t limit) {
  constexpr std::string_view kOp = "list score ledger";
  WARDEN_RETURN_IF_ERROR(CheckLimit(limit, kOp));
  Result<Statement> st = conn.Prepare(
      "SELECT actor, event_id, at, severity, successful_exploit, points, reason "
      "FROM actor_score_ledger WHERE actor = ? ORDER BY at DESC, id DESC LIMIT ?",
      kOp);
  if (!st.ok()) return st.status();
  st->BindText(1, actor);
  st->BindInt(2, limit);
  std::vector<ScoreLedgerRow> out;
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ScoreLedgerRow r;
    r.actor = st->Text(0);
    r.event_id = st->Text(1);
    r.at = st->Int(2);
    std::int64_t rank = st->Int(3);
    r.severity = rank >= 1 && rank <= 4 ? static_cast<Severity>(rank) : Severity::kHigh;
    r.successful_exploit = st->Int(4) != 0;
    r.points = st->Double(5);
    r.reason = st->Text(6);
    out.push_back(std::move(r));
  }
  return out;
}

Result<BlockDecision> ReadBlockDecision(Connection& conn, const BlockQuery& query,
                                        std::int64_t now) {
  constexpr std::string_view kOp = "check blocked";
  if (query.actor.empty() && query.ip.empty()) {
    return Status::InvalidArgument("check blocked: give an ip or an actor", "ip");
  }
  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  // The most specific identity decides first: the actor asked about, then the IP's own actor.
  for (const auto& [id, reason] : {std::pair<std::string, std::string_view>{query.actor, "actor"},
                                   std::pair<std::string, std::string_view>{query.ip, "ip"}}) {
    if (id.empty()) continue;
    Result<std::optional<StatusRow>> row = ReadStatusRow(conn, id, kOp);
    if (!row.ok()) return row.status();
    if (!row->has_value()) continue;
    std::optional<BlockDecision> d = Decide(id, **row, now, reason);
    if (d) {
      WARDEN_RETURN_IF_ERROR(txn->Commit());
      return *d;
    }
  }
  BlockDecision out;
  if (!query.ip.empty()) {
    // A suspended or denied user covers every IP it used, new ones included.
    Result<Statement> st = conn.Prepare(
        "SELECT a.id, a.status, a.status_expires_at FROM actor_ips i "
        "JOIN actors a ON a.id = i.actor WHERE i.ip = ? AND a.kind = 'user' "
        "AND a.status IN ('SUSPEND', 'DENY') ORDER BY a.id",
        kOp);
    if (!st.ok()) return st.status();
    st->BindText(1, query.ip);
    for (;;) {
      Result<bool> row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      StatusRow r;
      r.status = ParseActorStatus(st->Text(1)).value_or(ActorStatus::kActive);
      r.expires_at = st->Int(2);
      r.kind = ActorKind::kUser;
      std::optional<BlockDecision> d = Decide(st->Text(0), r, now, "user actor using this ip");
      if (!d || !d->blocked) continue;
      // The longest block wins: DENY (until 0) over any SUSPEND.
      bool longer = !out.blocked || d->until == 0 || (out.until != 0 && d->until > out.until);
      if (longer) out = *d;
    }
  }
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return out;
}

Result<std::vector<WindowRow>> ReadWindows(Connection& conn) {
  constexpr std::string_view kOp = "load windows";
  Result<Statement> st = conn.Prepare(
      "SELECT actor, policy_id, rule, state, version, updated_at FROM windows "
      "ORDER BY actor, policy_id, rule",
      kOp);
  if (!st.ok()) return st.status();
  std::vector<WindowRow> out;
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(
        WindowRow{st->Text(0), st->Text(1), st->Text(2), st->Text(3), st->Int(4), st->Int(5)});
  }
  return out;
}

}  // namespace warden::sqlite
