#include "store/sqlite/dashboards.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "model/actor.h"
#include "model/severity.h"
#include "store/sqlite/sql_builder.h"

namespace warden::sqlite {

namespace {

constexpr std::int64_t kDay = 86400;

std::vector<std::string> StatusNames(const DashboardQuery& q) {
  std::vector<std::string> names;
  for (EventStatus s : q.statuses) names.emplace_back(EventStatusName(s));
  return names;
}

Conditions EventRange(const DashboardQuery& q) {
  Conditions c;
  if (q.start_ts) c.Add("e.detected_at >= ?", {*q.start_ts});
  if (q.end_ts) c.Add("e.detected_at <= ?", {*q.end_ts});
  c.AddIn("e.filter_id", q.filter_ids);
  c.AddIn("e.status", StatusNames(q));
  return c;
}

// The events (aliased e) detected in [lo, hi].
Conditions DetectedBetween(std::int64_t lo, std::int64_t hi) {
  Conditions c;
  c.Add("e.detected_at >= ?", {lo});
  c.Add("e.detected_at <= ?", {hi});
  return c;
}

Status CheckLimit(std::int64_t limit, std::string_view op) {
  if (limit < 0) return Status::InvalidArgument(std::string(op) + ": limit < 0", "limit");
  return Status::Ok();
}

Result<std::optional<std::int64_t>> EndpointId(Connection& conn, const EndpointKey& k,
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

std::int64_t FloorMinute(std::int64_t t) {
  std::int64_t r = t % 60;
  return r < 0 ? t - r - 60 : t - r;
}

std::int64_t FloorDay(std::int64_t t) {
  std::int64_t r = t % kDay;
  return r < 0 ? t - r - kDay : t - r;
}

std::int64_t CeilDay(std::int64_t t) {
  std::int64_t f = FloorDay(t);
  return f == t ? t : f + kDay;
}

// A dashboard range split into whole UTC days [days_from, days_to) (either end open), read from
// the day tables when `whole_days`, and the inclusive detected_at ranges of the partial days at
// its ends (`edges`), read from events.
struct DaySplit {
  bool whole_days = false;
  std::optional<std::int64_t> days_from;
  std::optional<std::int64_t> days_to;
  std::vector<std::pair<std::int64_t, std::int64_t>> edges;

  // The whole days in a day table whose day column is `column`.
  Conditions WholeDays(std::string_view column) const {
    Conditions c;
    std::string col(column);
    if (days_from) c.Add(col + " >= ?", {*days_from});
    if (days_to) c.Add(col + " < ?", {*days_to});
    return c;
  }
};

DaySplit SplitDays(const DashboardQuery& q) {
  DaySplit s;
  if (q.start_ts) s.days_from = CeilDay(*q.start_ts);
  if (q.end_ts) s.days_to = FloorDay(*q.end_ts + 1);
  s.whole_days = !(s.days_from && s.days_to && *s.days_from >= *s.days_to);
  if (!s.whole_days) {
    s.edges.emplace_back(*q.start_ts, *q.end_ts);
  } else {
    if (q.start_ts && *q.start_ts < *s.days_from) {
      s.edges.emplace_back(*q.start_ts, *s.days_from - 1);
    }
    if (q.end_ts && *s.days_to <= *q.end_ts) s.edges.emplace_back(*s.days_to, *q.end_ts);
  }
  return s;
}

// Event counts grouped by `columns` over the dashboard range, from event_days (migration 0007)
// for the whole UTC days in the range and from events for the partial days at its ends. With
// `day_expr` (the day of an event) the day is the first column of each row; the count is the
// last. fn(statement) is called per row of each part, so a group may come more than once.
template <typename Fn>
Status ForEachDayPart(Connection& conn, const DashboardQuery& q, const std::string& columns,
                      const std::string& day_expr, std::string_view op, Fn fn) {
  const DaySplit split = SplitDays(q);
  std::string select =
      std::string("SELECT ") + (day_expr.empty() ? "" : "%DAY%, ") + columns + ", ";
  std::string group = std::string(" GROUP BY ") + (day_expr.empty() ? "" : "1, ") + columns;
  if (split.whole_days) {
    Conditions c = split.WholeDays("e.day");
    c.AddIn("e.filter_id", q.filter_ids);
    c.AddIn("e.status", StatusNames(q));
    std::string sql = select + "sum(e.events) FROM event_days e" + c.WhereClause() + group;
    if (!day_expr.empty()) sql.replace(sql.find("%DAY%"), 5, "e.day");
    WARDEN_RETURN_IF_ERROR(ForEachRow(conn, sql, c.values(), op, fn));
  }
  for (const auto& [lo, hi] : split.edges) {
    DashboardQuery edge = q;
    edge.start_ts = lo;
    edge.end_ts = hi;
    Conditions c = EventRange(edge);
    std::string sql = select + "count(*) FROM events e" + c.WhereClause() + group;
    if (!day_expr.empty()) sql.replace(sql.find("%DAY%"), 5, day_expr);
    WARDEN_RETURN_IF_ERROR(ForEachRow(conn, sql, c.values(), op, fn));
  }
  return Status::Ok();
}

}  // namespace

std::optional<ActorDayRows> ActorDayRowsSql(const DashboardQuery& q) {
  if (!q.filter_ids.empty()) return std::nullopt;
  const std::vector<std::string> statuses = StatusNames(q);
  const DaySplit split = SplitDays(q);
  // Without a whole day (the default last 24 hours) the direct count over events is cheaper.
  if (!split.whole_days) return std::nullopt;
  ActorDayRows out;
  std::vector<std::string> parts;
  {
    Conditions c = split.WholeDays("d.day");
    c.AddIn("d.status", statuses);
    parts.push_back(
        "SELECT d.day, d.status, d.actor, d.events, d.critical_events, d.exploits "
        "FROM actor_days d" +
        c.WhereClause());
    out.values.insert(out.values.end(), c.values().begin(), c.values().end());
  }
  for (const auto& [lo, hi] : split.edges) {
    Conditions c = DetectedBetween(lo, hi);
    c.AddIn("e.status", statuses);
    parts.push_back(
        "SELECT (e.detected_at / 86400) * 86400, e.status, e.actor, count(*), "
        "count(CASE WHEN e.severity = 4 THEN 1 END), "
        "count(CASE WHEN e.successful_exploit = 1 THEN 1 END) FROM events e" +
        c.WhereClause() + " GROUP BY 1, 2, 3");
    out.values.insert(out.values.end(), c.values().begin(), c.values().end());
  }
  out.sql =
      "SELECT 0 AS day, '' AS status, '' AS actor, 0 AS events, 0 AS critical_events, "
      "0 AS exploits WHERE 0";
  for (const std::string& p : parts) out.sql += " UNION ALL " + p;
  return out;
}

namespace {

// Events and distinct actors of one status.
struct StatusTotals {
  std::int64_t events = 0;
  std::int64_t actors = 0;
  std::uint32_t group = 0;  // in TotalsPass::pairs
};

// Totals of events gathered in C++ from plain rows: hash sets instead of SQL GROUP BY and
// count(DISTINCT), which sort (several times slower on a day of events).
struct TotalsPass {
  static constexpr std::uint32_t kCriticalGroup = 0;
  std::int64_t events = 0;
  std::int64_t exploits = 0;
  StringIds actor_ids;
  DistinctPairs pairs;  // (kCriticalGroup or a status's group, actor id)
  std::int64_t critical_actors = 0;
  std::map<std::string, StatusTotals, std::less<>> by_status;
  std::map<std::int64_t, std::int64_t, std::greater<>> by_severity;
  // category -> sub-category -> events
  std::map<std::string, std::map<std::string, std::int64_t, std::less<>>, std::less<>> by_category;

  // The entries for a row's status and (category, sub-category), copying the keys only when new.
  StatusTotals& StatusEntry(std::string_view status) {
    auto it = by_status.find(status);
    if (it == by_status.end()) {
      auto group = static_cast<std::uint32_t>(by_status.size() + 1);
      it = by_status.emplace(std::string(status), StatusTotals{.group = group}).first;
    }
    return it->second;
  }
  std::int64_t& CategoryEntry(std::string_view category, std::string_view sub_category) {
    auto it = by_category.find(category);
    if (it == by_category.end())
      it = by_category
               .emplace(std::string(category), std::map<std::string, std::int64_t, std::less<>>{})
               .first;
    auto sub = it->second.find(sub_category);
    if (sub == it->second.end()) sub = it->second.emplace(std::string(sub_category), 0).first;
    return sub->second;
  }
};

constexpr int kCritical = static_cast<int>(Severity::kCritical);

// Adds the events matching `where` (aliased e) to `t`; with `actors` false the actor sets stay
// empty.
Status ScanTotals(Connection& conn, const Conditions& where, bool actors, std::string_view op,
                  TotalsPass* t) {
  return ForEachRow(conn,
                    std::string("SELECT e.status, e.severity, e.category, e.sub_category, "
                                "e.successful_exploit = 1") +
                        (actors ? ", e.actor" : "") + " FROM events e" + where.WhereClause(),
                    where.values(), op, [&](const Statement& st) {
                      ++t->events;
                      if (st.Int(4) != 0) ++t->exploits;
                      std::int64_t severity = st.Int(1);
                      StatusTotals& status = t->StatusEntry(st.TextView(0));
                      ++status.events;
                      ++t->by_severity[severity];
                      ++t->CategoryEntry(st.TextView(2), st.TextView(3));
                      if (!actors) return;
                      std::uint32_t actor = t->actor_ids.Id(st.TextView(5));
                      if (t->pairs.Add(status.group, actor)) ++status.actors;
                      if (severity == kCritical && t->pairs.Add(TotalsPass::kCriticalGroup, actor))
                        ++t->critical_actors;
                    });
}

// The by-status, by-severity and by-category parts of `out` from `t`, in the order the store
// interface promises (statuses ACTIVE..TRAINING, severities highest first, categories by count).
void FillBreakdowns(const TotalsPass& t, bool status_actors, EventTotals* out) {
  out->by_status.clear();
  for (EventStatus s : {EventStatus::kActive, EventStatus::kUnderReview, EventStatus::kIgnored,
                        EventStatus::kTraining}) {
    KeyCount k{.key = std::string(EventStatusName(s))};
    if (auto it = t.by_status.find(k.key); it != t.by_status.end()) {
      k.count = it->second.events;
      if (status_actors) k.actors = it->second.actors;
    }
    out->by_status.push_back(std::move(k));
  }
  out->by_severity.clear();
  for (const auto& [rank, n] : t.by_severity) {
    Severity s = rank >= 1 && rank <= 4 ? static_cast<Severity>(rank) : Severity::kHigh;
    out->by_severity.push_back(KeyCount{.key = std::string(SeverityName(s)), .count = n});
  }
  out->by_category.clear();
  for (const auto& [category, subs] : t.by_category) {
    for (const auto& [sub, n] : subs) out->by_category.push_back(CategoryCount{category, sub, n});
  }
  std::stable_sort(
      out->by_category.begin(), out->by_category.end(),
      [](const CategoryCount& a, const CategoryCount& b) { return a.count > b.count; });
}

// Distinct actors per kind ('*', 'CRITICAL', a status) of a range that holds every event after
// its start: those whose last day of the kind is a whole day of the range (span_days), plus those
// whose last day is the partial first day and who had such an event inside it (an index seek on the
// actor's events each; the planner would otherwise scan the day's events by status or severity
// for every actor).
Result<std::int64_t> SpanActors(Connection& conn, const DashboardQuery& q,
                                std::optional<std::int64_t> days_from, const std::string& kind,
                                std::string_view op) {
  std::int64_t n = 0;
  std::vector<SqlValue> values = {kind};
  std::string sql = "SELECT coalesce(sum(actors), 0) FROM span_days WHERE kind = ?";
  if (days_from) {
    sql += " AND last_day >= ?";
    values.emplace_back(*days_from);
  }
  WARDEN_RETURN_IF_ERROR(
      ForEachRow(conn, sql, values, op, [&](const Statement& st) { n += st.Int(0); }));
  if (!days_from || !q.start_ts || *q.start_ts >= *days_from) return n;
  std::vector<SqlValue> edge = {kind, *days_from - kDay, *q.start_ts, *days_from - 1};
  std::string cond;
  if (kind == "CRITICAL") {
    cond = " AND e.severity = " + std::to_string(kCritical);
  } else if (kind != "*") {
    cond = " AND e.status = ?";
    edge.emplace_back(kind);
  }
  WARDEN_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT count(*) FROM actor_spans s WHERE s.kind = ? AND s.last_day = ? AND EXISTS "
      "(SELECT 1 FROM events e INDEXED BY events_actor WHERE e.actor = s.actor AND "
      "e.detected_at >= ? AND e.detected_at <= ?" +
          cond + ")",
      edge, op, [&](const Statement& st) { n += st.Int(0); }));
  return n;
}

}  // namespace

Result<EventTotals> ReadTotals(Connection& conn, const DashboardQuery& q) {
  constexpr std::string_view kOp = "count event totals";
  const DaySplit split = SplitDays(q);
  const bool unfiltered = q.filter_ids.empty() && q.statuses.empty();
  bool spans = unfiltered && split.whole_days;
  // actor_spans knows each actor's last day only: the range must hold every later event.
  if (spans && q.end_ts) {
    WARDEN_RETURN_IF_ERROR(ForEachRow(conn, "SELECT 1 FROM events WHERE detected_at > ? LIMIT 1",
                                      {*q.end_ts}, kOp, [&](const Statement&) { spans = false; }));
  }
  EventTotals out;
  TotalsPass pass;
  if (spans) {
    // Whole days from day_actors and event_days, the partial days at the ends from events.
    const Conditions days = split.WholeDays("day");
    WARDEN_RETURN_IF_ERROR(
        ForEachRow(conn,
                   "SELECT coalesce(sum(events), 0), coalesce(sum(exploits), 0) FROM day_actors" +
                       days.WhereClause(),
                   days.values(), kOp, [&](const Statement& st) {
                     pass.events += st.Int(0);
                     pass.exploits += st.Int(1);
                   }));
    WARDEN_RETURN_IF_ERROR(
        ForEachRow(conn,
                   // Summed here: GROUP BY would sort the range's rows first.
                   "SELECT status, severity, category, sub_category, events FROM event_days" +
                       days.WhereClause(),
                   days.values(), kOp, [&](const Statement& st) {
                     std::int64_t n = st.Int(4);
                     pass.StatusEntry(st.TextView(0)).events += n;
                     pass.by_severity[st.Int(1)] += n;
                     pass.CategoryEntry(st.TextView(2), st.TextView(3)) += n;
                   }));
    for (const auto& [lo, hi] : split.edges) {
      WARDEN_RETURN_IF_ERROR(ScanTotals(conn, DetectedBetween(lo, hi), false, kOp, &pass));
    }
    out.events = pass.events;
    out.successful_exploits = pass.exploits;
    FillBreakdowns(pass, false, &out);
    Result<std::int64_t> n = SpanActors(conn, q, split.days_from, "*", kOp);
    if (!n.ok()) return n.status();
    out.actors = *n;
    n = SpanActors(conn, q, split.days_from, "CRITICAL", kOp);
    if (!n.ok()) return n.status();
    out.critical_actors = *n;
    for (KeyCount& k : out.by_status) {
      n = SpanActors(conn, q, split.days_from, k.key, kOp);
      if (!n.ok()) return n.status();
      k.actors = *n;
    }
    return out;
  }
  if (std::optional<ActorDayRows> rows = ActorDayRowsSql(q)) {
    // Per (day, status, actor) rows from actor_days (migration 0009) and the partial days.
    WARDEN_RETURN_IF_ERROR(ForEachRow(
        conn,
        "SELECT coalesce(sum(r.events), 0), coalesce(sum(r.exploits), 0), "
        "warden_distinct(r.actor), warden_distinct(CASE WHEN r.critical_events > 0 THEN r.actor "
        "END) FROM (" +
            rows->sql + ") r",
        rows->values, kOp, [&](const Statement& st) {
          out.events = st.Int(0);
          out.successful_exploits = st.Int(1);
          out.actors = st.Int(2);
          out.critical_actors = st.Int(3);
        }));
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> status;
    WARDEN_RETURN_IF_ERROR(ForEachRow(conn,
                                      "SELECT r.status, sum(r.events), warden_distinct(r.actor) "
                                      "FROM (" +
                                          rows->sql + ") r GROUP BY r.status",
                                      rows->values, kOp, [&](const Statement& st) {
                                        status[st.Text(0)] = {st.Int(1), st.Int(2)};
                                      }));
    WARDEN_RETURN_IF_ERROR(ForEachDayPart(
        conn, q, "e.severity, e.category, e.sub_category", "", kOp, [&](const Statement& st) {
          pass.by_severity[st.Int(0)] += st.Int(3);
          pass.CategoryEntry(st.TextView(1), st.TextView(2)) += st.Int(3);
        }));
    FillBreakdowns(pass, false, &out);
    for (KeyCount& k : out.by_status) {
      k.count = status[k.key].first;
      k.actors = status[k.key].second;
    }
    return out;
  }
  WARDEN_RETURN_IF_ERROR(ScanTotals(conn, EventRange(q), true, kOp, &pass));
  out.events = pass.events;
  out.successful_exploits = pass.exploits;
  out.actors = static_cast<std::int64_t>(pass.actor_ids.size());
  out.critical_actors = pass.critical_actors;
  FillBreakdowns(pass, true, &out);
  return out;
}

Result<std::vector<ThreatRuleStat>> ReadTopThreatRules(Connection& conn, const DashboardQuery& q) {
  constexpr std::string_view kOp = "top threat rules";
  WARDEN_RETURN_IF_ERROR(CheckLimit(q.limit, kOp));
  Conditions where = EventRange(q);
  // One pass grouped in C++ (SQL would sort the range for GROUP BY and each count(DISTINCT));
  // the affected APIs are the distinct (collection, host, method, template) keys.
  struct Rule {
    ThreatRuleStat stat;
    std::uint32_t group = 0;
  };
  StringMap<Rule> rules;
  StringIds actors;
  StringIds apis;
  DistinctPairs rule_actors;
  DistinctPairs rule_apis;
  std::string api;
  WARDEN_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT e.filter_id, e.count, e.detected_at, e.actor, e.collection_id, e.host, e.method, "
      "e.endpoint_template FROM events e" +
          where.WhereClause(),
      where.values(), kOp, [&](const Statement& st) {
        bool fresh = false;
        Rule& r = EntryFor(rules, st.TextView(0), &fresh);
        if (fresh) r.group = static_cast<std::uint32_t>(rules.size());
        ++r.stat.events;
        r.stat.detections += st.Int(1);
        r.stat.last_seen = std::max(r.stat.last_seen, st.Int(2));
        if (rule_actors.Add(r.group, actors.Id(st.TextView(3)))) ++r.stat.actors;
        EndpointKeyAt(st, 4, &api);
        if (rule_apis.Add(r.group, apis.Id(api))) ++r.stat.apis;
      }));
  std::vector<ThreatRuleStat> out;
  out.reserve(rules.size());
  for (auto& [id, r] : rules) {
    r.stat.filter_id = id;
    out.push_back(std::move(r.stat));
  }
  std::sort(out.begin(), out.end(), [](const ThreatRuleStat& a, const ThreatRuleStat& b) {
    return a.events != b.events ? a.events > b.events : a.filter_id < b.filter_id;
  });
  if (static_cast<std::int64_t>(out.size()) > q.limit)
    out.resize(static_cast<std::size_t>(q.limit));
  return out;
}

Result<std::vector<KeyCount>> ReadTopThreatTypes(Connection& conn, ThreatTypeScheme scheme,
                                                 const DashboardQuery& q) {
  constexpr std::string_view kOp = "top threat types";
  WARDEN_RETURN_IF_ERROR(CheckLimit(q.limit, kOp));
  Conditions where = EventRange(q);
  std::string sql;
  std::vector<SqlValue> values;
  switch (scheme) {
    case ThreatTypeScheme::kCategory:
    case ThreatTypeScheme::kSubCategory: {
      std::string col = scheme == ThreatTypeScheme::kCategory ? "e.category" : "e.sub_category";
      sql = "SELECT " + col + ", count(*), warden_distinct(e.actor) FROM events e" +
            where.WhereClause() + " GROUP BY " + col + " ORDER BY count(*) DESC, " + col +
            " LIMIT ?";
      values = where.values();
      break;
    }
    case ThreatTypeScheme::kOwaspApi2023:
    case ThreatTypeScheme::kOwasp2021:
    case ThreatTypeScheme::kCwe: {
      std::string name = scheme == ThreatTypeScheme::kOwaspApi2023 ? "owasp_api_2023"
                         : scheme == ThreatTypeScheme::kOwasp2021  ? "owasp_2021"
                                                                   : "cwe";
      sql =
          "SELECT t.tag, count(*), warden_distinct(e.actor) FROM event_tags t "
          "JOIN events e ON e.id = t.event_id WHERE t.scheme = ?" +
          where.AndClause() + " GROUP BY t.tag ORDER BY count(*) DESC, t.tag LIMIT ?";
      values.emplace_back(name);
      for (const auto& v : where.values()) values.push_back(v);
      break;
    }
  }
  values.emplace_back(q.limit);
  std::vector<KeyCount> out;
  WARDEN_RETURN_IF_ERROR(ForEachRow(conn, sql, values, kOp, [&](const Statement& st) {
    out.push_back(KeyCount{.key = st.Text(0), .count = st.Int(1), .actors = st.Int(2)});
  }));
  return out;
}

Result<std::vector<KeyCount>> ReadSeverityCounts(Connection& conn, const DashboardQuery& q) {
  constexpr std::string_view kOp = "count events by severity";
  std::map<std::int64_t, std::int64_t, std::greater<>> counts;
  WARDEN_RETURN_IF_ERROR(ForEachDayPart(conn, q, "e.severity", "", kOp, [&](const Statement& st) {
    counts[st.Int(0)] += st.Int(1);
  }));
  std::vector<KeyCount> out;
  for (const auto& [rank, n] : counts) {
    Severity s = rank >= 1 && rank <= 4 ? static_cast<Severity>(rank) : Severity::kHigh;
    out.push_back(KeyCount{.key = std::string(SeverityName(s)), .count = n});
  }
  return out;
}

Result<std::vector<CategoryCount>> ReadCategoryCounts(Connection& conn, const DashboardQuery& q) {
  constexpr std::string_view kOp = "count events by category";
  std::map<std::pair<std::string, std::string>, std::int64_t> counts;
  WARDEN_RETURN_IF_ERROR(
      ForEachDayPart(conn, q, "e.category, e.sub_category", "", kOp, [&](const Statement& st) {
        counts[{st.Text(0), st.Text(1)}] += st.Int(2);
      }));
  std::vector<CategoryCount> out;
  for (const auto& [key, n] : counts) out.push_back(CategoryCount{key.first, key.second, n});
  std::stable_sort(out.begin(), out.end(), [](const CategoryCount& a, const CategoryCount& b) {
    return a.count > b.count;
  });
  return out;
}

Result<std::vector<TimelineDay>> ReadActivityTimeline(Connection& conn, const DashboardQuery& q) {
  constexpr std::string_view kOp = "activity timeline";
  std::map<std::int64_t, std::map<std::string, std::int64_t>> days;
  WARDEN_RETURN_IF_ERROR(
      ForEachDayPart(conn, q, "e.sub_category", "(e.detected_at / 86400) * 86400", kOp,
                     [&](const Statement& st) { days[st.Int(0)][st.Text(1)] += st.Int(2); }));
  std::vector<TimelineDay> out;
  for (const auto& [day, subs] : days) {
    TimelineDay d{.day = day};
    for (const auto& [sub, n] : subs) d.sub_categories.push_back(KeyCount{.key = sub, .count = n});
    std::stable_sort(d.sub_categories.begin(), d.sub_categories.end(),
                     [](const KeyCount& a, const KeyCount& b) { return a.count > b.count; });
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

// Distinct actors (all, with a CRITICAL event) per UTC day of the events matching `where`, in
// hash sets (SQL would sort for GROUP BY and count(DISTINCT)).
class DaySets {
 public:
  Status Add(Connection& conn, const Conditions& where, std::string_view op) {
    return ForEachRow(
        conn, "SELECT e.detected_at, e.actor, e.severity FROM events e" + where.WhereClause(),
        where.values(), op, [&](const Statement& st) {
          std::int64_t day = FloorDay(st.Int(0));
          auto [it, fresh] = days_.try_emplace(day);
          Day& d = it->second;
          if (fresh) d.group = static_cast<std::uint32_t>(2 * days_.size());
          std::uint32_t actor = ids_.Id(st.TextView(1));
          if (pairs_.Add(d.group, actor)) ++d.actors;
          if (st.Int(2) == kCritical && pairs_.Add(d.group + 1, actor)) ++d.critical;
        });
  }
  void AppendTo(std::vector<DailyActors>* out) const {
    for (const auto& [day, d] : days_) out->push_back(DailyActors{day, d.actors, d.critical});
  }

 private:
  struct Day {
    std::int64_t actors = 0;
    std::int64_t critical = 0;
    std::uint32_t group = 0;  // in pairs_: all actors; group + 1: the CRITICAL ones
  };
  std::map<std::int64_t, Day> days_;
  StringIds ids_;
  DistinctPairs pairs_;
};

}  // namespace

Result<std::vector<DailyActors>> ReadDailyActors(Connection& conn, const DashboardQuery& q) {
  constexpr std::string_view kOp = "daily actors";
  std::vector<DailyActors> out;
  auto add = [&](const Statement& st) {
    out.push_back(DailyActors{st.Int(0), st.Int(1), st.Int(2)});
  };
  const DaySplit split = SplitDays(q);
  DaySets sets;
  if (q.filter_ids.empty() && q.statuses.empty() && split.whole_days) {
    // Whole days from day_actors (0010), the partial days at the ends (other days) from events.
    Conditions days = split.WholeDays("day");
    days.Add("actors > 0");
    WARDEN_RETURN_IF_ERROR(
        ForEachRow(conn, "SELECT day, actors, critical_actors FROM day_actors" + days.WhereClause(),
                   days.values(), kOp, add));
    for (const auto& [lo, hi] : split.edges) {
      WARDEN_RETURN_IF_ERROR(sets.Add(conn, DetectedBetween(lo, hi), kOp));
    }
    sets.AppendTo(&out);
    std::sort(out.begin(), out.end(),
              [](const DailyActors& a, const DailyActors& b) { return a.day < b.day; });
    return out;
  }
  if (std::optional<ActorDayRows> rows = ActorDayRowsSql(q)) {
    WARDEN_RETURN_IF_ERROR(
        ForEachRow(conn,
                   "SELECT r.day, warden_distinct(r.actor), "
                   "warden_distinct(CASE WHEN r.critical_events > 0 THEN r.actor END) FROM (" +
                       rows->sql + ") r GROUP BY r.day ORDER BY r.day",
                   rows->values, kOp, add));
    return out;
  }
  WARDEN_RETURN_IF_ERROR(sets.Add(conn, EventRange(q), kOp));
  sets.AppendTo(&out);
  return out;
}

std::string ActorHasEvent(const DashboardQuery& q, const Conditions& where) {
  constexpr std::int64_t kWeek = 7 * kDay;
  if (q.start_ts && q.end_ts && *q.end_ts - *q.start_ts <= kWeek) {
    return "a.id IN (SELECT e.actor FROM events e" + where.WhereClause() + ")";
  }
  return "EXISTS (SELECT 1 FROM events e WHERE e.actor = a.id" + where.AndClause() + ")";
}

Result<std::vector<KeyCount>> ReadActorsPerCountry(Connection& conn, const DashboardQuery& q) {
  constexpr std::string_view kOp = "actors per country";
  Conditions where = EventRange(q);
  if (q.start_ts && q.end_ts && *q.end_ts - *q.start_ts <= 7 * kDay) {
    // Up to a week: the range's actors gathered in a hash set, then counted per country in one
    // pass over the actors seen since the start.
    StringSet actors;
    WARDEN_RETURN_IF_ERROR(
        ForEachRow(conn, "SELECT e.actor FROM events e" + where.WhereClause(), where.values(), kOp,
                   [&](const Statement& st) { AddView(actors, st.TextView(0)); }));
    std::map<std::string, std::int64_t> counts;
    WARDEN_RETURN_IF_ERROR(CountActorCountries(conn, actors, q.start_ts, kOp, &counts));
    std::vector<KeyCount> out;
    for (const auto& [country, n] : counts) {
      out.push_back(KeyCount{.key = country, .count = n, .actors = n});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const KeyCount& a, const KeyCount& b) { return a.count > b.count; });
    return out;
  }
  std::string sql = "SELECT a.country, count(*) FROM actors a";
  if (!where.values().empty()) sql += " WHERE " + ActorHasEvent(q, where);
  sql += " GROUP BY a.country ORDER BY count(*) DESC, a.country";
  std::vector<KeyCount> out;
  WARDEN_RETURN_IF_ERROR(ForEachRow(conn, sql, where.values(), kOp, [&](const Statement& st) {
    out.push_back(KeyCount{.key = st.Text(0), .count = st.Int(1), .actors = st.Int(1)});
  }));
  return out;
}

Result<NewVsExistingActors> ReadNewVsExisting(Connection& conn, const DashboardQuery& q,
                                              std::int64_t now) {
  constexpr std::string_view kOp = "new vs existing actors";
  std::int64_t start = q.start_ts.value_or(now - kDay);
  std::int64_t end = q.end_ts.value_or(now);
  Conditions extra;
  extra.AddIn("x.filter_id", q.filter_ids);
  std::string attack;
  if (!q.filter_ids.empty()) {
    attack = " AND EXISTS (SELECT 1 FROM events x WHERE x.actor = a.id" + extra.AndClause() + ")";
  }
  // Both kinds were seen at or after the start: the actors_seen index (last_seen, first_seen)
  // holds the candidates and both columns, so no actor row is read.
  std::vector<SqlValue> values = {start, end, start, start, end};
  for (const auto& v : extra.values()) values.push_back(v);
  NewVsExistingActors out;
  WARDEN_RETURN_IF_ERROR(
      ForEachRow(conn,
                 "SELECT count(CASE WHEN a.first_seen >= ? AND a.first_seen <= ? THEN 1 END), "
                 "count(CASE WHEN a.first_seen < ? THEN 1 END) FROM actors a "
                 "WHERE a.last_seen >= ? AND a.first_seen <= ?" +
                     attack,
                 values, kOp, [&](const Statement& st) {
                   out.new_actors = st.Int(0);
                   out.existing_actors = st.Int(1);
                 }));
  return out;
}

Result<std::vector<KeyCount>> ReadActorsByThreatLevel(Connection& conn,
                                                      const ScoringConfig& scoring,
                                                      std::int64_t now) {
  constexpr std::string_view kOp = "actors by threat level";
  // Levels computed here while reading (score, score_at): SQL would call warden_level for each
  // actor and then sort every actor by its level name to group them.
  std::int64_t counts[4] = {};
  WARDEN_RETURN_IF_ERROR(
      ForEachRow(conn, "SELECT score, score_at FROM actors", {}, kOp, [&](const Statement& st) {
        RunningScore running{st.Double(0), st.Int(1)};
        ++counts[static_cast<int>(LevelForScore(scoring, ScoreAt(scoring, running, now)))];
      }));
  std::vector<KeyCount> out;
  for (ThreatLevel t :
       {ThreatLevel::kCritical, ThreatLevel::kHigh, ThreatLevel::kMedium, ThreatLevel::kLow}) {
    std::int64_t n = counts[static_cast<int>(t)];
    out.push_back(KeyCount{.key = std::string(ThreatLevelName(t)), .count = n, .actors = n});
  }
  return out;
}

Result<std::vector<IntervalCount>> ReadEndpointCallCounts(Connection& conn,
                                                          const EndpointKey& endpoint,
                                                          std::int64_t now) {
  constexpr std::string_view kOp = "endpoint call counts";
  static constexpr std::pair<const char*, std::int64_t> kIntervals[] = {
      {"15m", 15 * 60}, {"30m", 30 * 60},   {"1h", 3600}, {"3h", 3 * 3600},
      {"6h", 6 * 3600}, {"12h", 12 * 3600}, {"1d", kDay}, {"7d", 7 * kDay}};
  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  Result<std::optional<std::int64_t>> id = EndpointId(conn, endpoint, kOp);
  if (!id.ok()) return id.status();
  std::vector<IntervalCount> out;
  for (const auto& [name, seconds] : kIntervals) {
    IntervalCount ic{.interval = name, .seconds = seconds};
    if (id->has_value()) {
      std::int64_t from = FloorMinute(now - seconds);
      WARDEN_RETURN_IF_ERROR(ForEachRow(
          conn,
          "SELECT coalesce(sum(requests), 0) FROM endpoint_rollups WHERE endpoint_id = ? "
          "AND minute >= ? AND minute <= ?",
          {**id, from, now}, kOp, [&](const Statement& st) { ic.calls = st.Int(0); }));
      WARDEN_RETURN_IF_ERROR(ForEachRow(
          conn,
          "SELECT warden_distinct(actor) FROM actor_calls WHERE endpoint_id = ? AND minute >= ? "
          "AND minute <= ?",
          {**id, from, now}, kOp, [&](const Statement& st) { ic.actors = st.Int(0); }));
    }
    out.push_back(std::move(ic));
  }
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return out;
}

Result<std::vector<CallBucket>> ReadCallerDistribution(Connection& conn,
                                                       const EndpointKey* endpoint,
                                                       const DashboardQuery& q) {
  constexpr std::string_view kOp = "caller distribution";
  static constexpr std::pair<std::int64_t, std::int64_t> kBuckets[] = {
      {1, 1}, {2, 5}, {6, 10}, {11, 50}, {51, 100}, {101, 500}, {501, 1000}, {1001, 0}};
  Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kDeferred, kOp);
  if (!txn.ok()) return txn.status();
  Conditions where;
  if (endpoint != nullptr) {
    Result<std::optional<std::int64_t>> id = EndpointId(conn, *endpoint, kOp);
    if (!id.ok()) return id.status();
    where.Add("endpoint_id = ?", {id->value_or(-1)});
  }
  if (q.start_ts) where.Add("minute >= ?", {FloorMinute(*q.start_ts)});
  if (q.end_ts) where.Add("minute <= ?", {*q.end_ts});
  std::map<std::int64_t, std::int64_t> per_bucket;
  WARDEN_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT CASE WHEN calls <= 1 THEN 0 WHEN calls <= 5 THEN 1 WHEN calls <= 10 THEN 2 "
      "WHEN calls <= 50 THEN 3 WHEN calls <= 100 THEN 4 WHEN calls <= 500 THEN 5 "
      "WHEN calls <= 1000 THEN 6 ELSE 7 END AS bucket, count(*) FROM "
      "(SELECT actor, sum(requests) AS calls FROM actor_calls" +
          where.WhereClause() + " GROUP BY actor HAVING calls > 0) GROUP BY bucket",
      where.values(), kOp, [&](const Statement& st) { per_bucket[st.Int(0)] = st.Int(1); }));
  std::vector<CallBucket> out;
  for (std::size_t i = 0; i < std::size(kBuckets); ++i) {
    out.push_back(CallBucket{kBuckets[i].first, kBuckets[i].second,
                             per_bucket[static_cast<std::int64_t>(i)]});
  }
  WARDEN_RETURN_IF_ERROR(txn->Commit());
  return out;
}

Result<RetentionResult> DeleteExpired(Connection& conn, const RetentionPolicy& p,
                                      std::int64_t now) {
  constexpr std::string_view kOp = "apply retention";
  RetentionResult r;
  auto run = [&](const std::string& sql, std::int64_t before, std::int64_t* count) -> Status {
    Result<Statement> st = conn.Prepare(sql, kOp);
    if (!st.ok()) return st.status();
    st->BindInt(1, before);
    WARDEN_RETURN_IF_ERROR(st->Run());
    if (count != nullptr) *count += conn.Changes();
    return Status::Ok();
  };
  if (p.events_seconds > 0) {
    std::int64_t before = now - p.events_seconds;
    WARDEN_RETURN_IF_ERROR(
        run("DELETE FROM event_tags WHERE event_id IN "
            "(SELECT id FROM events WHERE detected_at < ?)",
            before, nullptr));
    WARDEN_RETURN_IF_ERROR(
        run("DELETE FROM event_samples WHERE event_id IN "
            "(SELECT id FROM events WHERE detected_at < ?)",
            before, nullptr));
    WARDEN_RETURN_IF_ERROR(run("DELETE FROM events WHERE detected_at < ?", before, &r.events));
  }
  if (p.rollups_seconds > 0) {
    std::int64_t before = now - p.rollups_seconds;
    WARDEN_RETURN_IF_ERROR(
        run("DELETE FROM endpoint_rollups WHERE minute < ?", before, &r.rollups));
    WARDEN_RETURN_IF_ERROR(run("DELETE FROM actor_calls WHERE minute < ?", before, &r.actor_calls));
  }
  if (p.orphan_samples_seconds > 0) {
    WARDEN_RETURN_IF_ERROR(
        run("DELETE FROM samples WHERE created_at < ? "
            "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.ref_id = samples.ref_id) "
            "AND NOT EXISTS (SELECT 1 FROM event_samples x WHERE x.ref_id = samples.ref_id)",
            now - p.orphan_samples_seconds, &r.samples));
  }
  if (p.windows_seconds > 0) {
    WARDEN_RETURN_IF_ERROR(
        run("DELETE FROM windows WHERE updated_at < ?", now - p.windows_seconds, &r.windows));
  }
  if (p.status_log_seconds > 0) {
    WARDEN_RETURN_IF_ERROR(run("DELETE FROM actor_status_log WHERE at < ?",
                               now - p.status_log_seconds, &r.status_log));
  }
  if (p.expired_suppressions_seconds > 0) {
    WARDEN_RETURN_IF_ERROR(run("DELETE FROM suppressions WHERE expires_at > 0 AND expires_at < ?",
                               now - p.expired_suppressions_seconds, &r.suppressions));
  }
  return r;
}

}  // namespace warden::sqlite
