#include "store/sqlite/akto_compat.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "model/event.h"
#include "store/sqlite/dashboards.h"
#include "store/sqlite/reads.h"
#include "store/sqlite/sql_builder.h"
#include "store/sqlite/state.h"

namespace warden::sqlite {

namespace {

constexpr std::int64_t kMaxEventsByRef = 100;

// The dashboards' common filter on `events e` (as in dashboards.cc).
Conditions EventRange(const DashboardQuery& q) {
  Conditions c;
  if (q.start_ts) c.Add("e.detected_at >= ?", {*q.start_ts});
  if (q.end_ts) c.Add("e.detected_at <= ?", {*q.end_ts});
  c.AddIn("e.filter_id", q.filter_ids);
  std::vector<std::string> statuses;
  for (EventStatus s : q.statuses) statuses.emplace_back(EventStatusName(s));
  c.AddIn("e.status", statuses);
  return c;
}

}  // namespace

Result<EventStatusResult> TriageEvents(Connection& conn, const EventTriage& triage,
                                       std::int64_t now) {
  constexpr std::string_view kOp = "triage events";
  if (triage.ids.empty() && !triage.filter) {
    return Status::InvalidArgument("triage events: give event ids or a filter", "ids");
  }
  if (!triage.status && !triage.ticket_url) {
    return Status::InvalidArgument("triage events: give a status or a ticket url", "status");
  }
  Conditions where;
  if (triage.filter) where = EventFilterConditions(*triage.filter);
  where.AddIn("e.id", triage.ids);

  EventStatusResult result;
  // The link first: a status change can move events out of a filter that names statuses.
  if (triage.ticket_url) {
    Result<Statement> up =
        conn.Prepare("UPDATE events SET ticket_url = ? WHERE id IN (SELECT e.id FROM events e" +
                         where.WhereClause() + ")",
                     kOp);
    if (!up.ok()) return up.status();
    up->BindText(1, *triage.ticket_url);
    BindValues(*up, where.values(), 2);
    WARDEN_RETURN_IF_ERROR(up->Run());
    result.updated = conn.Changes();
  }
  if (triage.status) {
    EventStatusChange change{.ids = triage.ids,
                             .filter = triage.filter,
                             .status = *triage.status,
                             .by = triage.by,
                             .reason = triage.reason,
                             .suppress = triage.suppress,
                             .suppress_actor_only = triage.suppress_actor_only,
                             .suppress_until = triage.suppress_until};
    Result<EventStatusResult> changed = UpdateEventStatus(conn, change, now);
    if (!changed.ok()) return changed.status();
    result.suppressions = std::move(changed->suppressions);
    result.updated = changed->updated;
  }
  return result;
}

Result<std::vector<EventTicket>> ReadEventTickets(Connection& conn,
                                                  const std::vector<std::string>& event_ids) {
  constexpr std::string_view kOp = "list event tickets";
  std::vector<EventTicket> out;
  if (event_ids.empty()) return out;
  Conditions where;
  where.AddIn("e.id", event_ids);
  where.Add("e.ticket_url <> ''");
  WARDEN_RETURN_IF_ERROR(ForEachRow(
      conn, "SELECT e.id, e.ticket_url FROM events e" + where.WhereClause() + " ORDER BY e.id",
      where.values(), kOp, [&](const Statement& st) {
        out.push_back(EventTicket{st.Text(0), st.Text(1)});
      }));
  return out;
}

Result<std::vector<Event>> ReadEventsByRef(Connection& conn, const std::string& ref_id) {
  constexpr std::string_view kOp = "list events by ref";
  std::vector<Event> out;
  if (ref_id.empty()) return out;
  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  std::vector<std::string> ids;
  WARDEN_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT id FROM events WHERE ref_id = ? OR id = ? ORDER BY detected_at DESC, id DESC "
      "LIMIT ?",
      {ref_id, ref_id, kMaxEventsByRef}, kOp,
      [&](const Statement& st) { ids.push_back(st.Text(0)); }));
  for (const std::string& id : ids) {
    Result<Event> e = ReadEvent(conn, id);
    if (!e.ok()) return e.status();
    out.push_back(std::move(e).value());
  }
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return out;
}

Result<EventFilterValues> ReadEventFilterValues(Connection& conn, const DashboardQuery& q,
                                                FilterValueLists lists) {
  constexpr std::string_view kOp = "list event filter values";
  if (q.limit < 0) return Status::InvalidArgument(std::string(kOp) + ": limit < 0", "limit");
  Conditions where = EventRange(q);
  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  // One pass over the matching events (five SELECT DISTINCT queries would sort the range five
  // times). Each column keeps only its `limit` smallest values, so most rows cost a comparison
  // with the largest kept value and no copy; for their countries the actors are also gathered
  // whole.
  const auto keep = static_cast<std::size_t>(q.limit);
  std::set<std::string, std::less<>> smallest[5];
  StringSet actors;
  WARDEN_RETURN_IF_ERROR(ForEachRow(
      conn, "SELECT e.actor, e.ip, e.url, e.host, e.filter_id FROM events e" + where.WhereClause(),
      where.values(), kOp, [&](const Statement& st) {
        for (int i = 0; i < 5; ++i) {
          std::string_view v = st.TextView(i);
          if (i == 0 && lists.countries) AddView(actors, v);
          if (v.empty() || keep == 0) continue;
          auto& set = smallest[i];
          if (set.size() == keep && v >= *set.rbegin()) continue;
          if (set.find(v) != set.end()) continue;
          set.emplace(v);
          if (set.size() > keep) set.erase(std::prev(set.end()));
        }
      }));
  // The countries of those actors: one pass over the actors seen since the start (an index
  // seek per actor costs more once a range holds thousands of them).
  std::map<std::string, std::int64_t> country_counts;
  WARDEN_RETURN_IF_ERROR(CountActorCountries(conn, actors, q.start_ts, kOp, &country_counts));
  auto sorted = [&](const auto& set) {
    std::vector<std::string> v(set.begin(), set.end());
    if (v.size() > keep) v.resize(keep);
    return v;
  };
  EventFilterValues out;
  out.actors = sorted(smallest[0]);
  out.ips = sorted(smallest[1]);
  out.urls = sorted(smallest[2]);
  out.hosts = sorted(smallest[3]);
  out.filter_ids = sorted(smallest[4]);
  for (const auto& [country, n] : country_counts) {
    if (out.countries.size() == keep) break;
    out.countries.push_back(country);
  }
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return out;
}

Result<EventTotals> ReadEventTotals(Connection& conn, const DashboardQuery& q) {
  constexpr std::string_view kOp = "count event totals";
  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  Result<EventTotals> out = ReadTotals(conn, q);
  if (!out.ok()) return out.status();
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return out;
}

Status UpsertPolicyAuthorship(Connection& conn, const std::string& policy_id, const std::string& by,
                              std::int64_t now) {
  if (policy_id.empty()) {
    return Status::InvalidArgument("record policy change: empty policy id", "policy_id");
  }
  Result<Statement> st = conn.Prepare(
      "INSERT INTO policy_authors (policy_id, created_by, created_at, updated_by, updated_at) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (policy_id) DO UPDATE SET "
      "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
      "record policy change");
  if (!st.ok()) return st.status();
  st->BindText(1, policy_id);
  st->BindText(2, by);
  st->BindInt(3, now);
  st->BindText(4, by);
  st->BindInt(5, now);
  return st->Run();
}

Status DeletePolicyAuthorship(Connection& conn, const std::string& policy_id) {
  Result<Statement> st =
      conn.Prepare("DELETE FROM policy_authors WHERE policy_id = ?", "forget policy authorship");
  if (!st.ok()) return st.status();
  st->BindText(1, policy_id);
  return st->Run();
}

Result<std::vector<PolicyAuthorship>> ReadPolicyAuthorship(Connection& conn) {
  std::vector<PolicyAuthorship> out;
  WARDEN_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT policy_id, created_by, created_at, updated_by, updated_at FROM policy_authors "
      "ORDER BY policy_id",
      {}, "list policy authorship", [&](const Statement& st) {
        out.push_back(PolicyAuthorship{.policy_id = st.Text(0),
                                       .created_by = st.Text(1),
                                       .created_at = st.Int(2),
                                       .updated_by = st.Text(3),
                                       .updated_at = st.Int(4)});
      }));
  return out;
}

}  // namespace warden::sqlite
