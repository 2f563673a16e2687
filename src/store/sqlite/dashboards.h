#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/scoring.h"
#include "common/status.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sql_builder.h"
#include "store/store.h"

namespace warden::sqlite {

// The dashboard rollups behind Store's dashboard methods, on one connection; `now` is the store
// clock. Event-based counts use the events indexes on (detected_at), (filter_id, detected_at) and
// event_tags (scheme, tag); traffic counts use endpoint_rollups (endpoint_id, minute) and
// actor_calls (endpoint_id, minute), never raw traffic. Negative limits are InvalidArgument.

Result<std::vector<ThreatRuleStat>> ReadTopThreatRules(Connection& conn, const DashboardQuery& q);
Result<std::vector<KeyCount>> ReadTopThreatTypes(Connection& conn, ThreatTypeScheme scheme,
                                                 const DashboardQuery& q);
Result<std::vector<KeyCount>> ReadSeverityCounts(Connection& conn, const DashboardQuery& q);
Result<std::vector<CategoryCount>> ReadCategoryCounts(Connection& conn, const DashboardQuery& q);
Result<std::vector<TimelineDay>> ReadActivityTimeline(Connection& conn, const DashboardQuery& q);
// The events of a dashboard range as rows (day, status, actor, events, critical_events, exploits)
// (one per UTC day, event status and actor) read from actor_days (migration 0009) for the whole
// days and from events for the partial days at the ends. `sql` is a compound SELECT to use as a
// subquery; nullopt when the query filters by policy (actor_days has no policy column) or
// the range holds no whole day.
struct ActorDayRows {
  std::string sql;
  std::vector<SqlValue> values;
};
std::optional<ActorDayRows> ActorDayRowsSql(const DashboardQuery& q);
// Event totals, by status, severity and category, for a dashboard range (inside the caller's
// read transaction). A range without policy or status filters that holds whole days and every
// event after its start counts distinct actors from actor_spans and whole days from day_actors
// and event_days (migration 0010); other ranges with whole days read actor_days (0009); the
// rest is one pass over the matching events, grouped in C++.
Result<EventTotals> ReadTotals(Connection& conn, const DashboardQuery& q);
Result<std::vector<DailyActors>> ReadDailyActors(Connection& conn, const DashboardQuery& q);
Result<std::vector<KeyCount>> ReadActorsPerCountry(Connection& conn, const DashboardQuery& q);

// "Actor a has an event matching `where`" (the events aliased `e`, its values bound where the
// fragment appears). For a range of at most a week the matching events' actors are listed once
// (`a.id IN (…)`: a range scan); otherwise each actor is looked up (`EXISTS`: an index seek per
// actor), which is cheaper when the range holds most events.
std::string ActorHasEvent(const DashboardQuery& q, const Conditions& where);
Result<NewVsExistingActors> ReadNewVsExisting(Connection& conn, const DashboardQuery& q,
                                              std::int64_t now);
Result<std::vector<KeyCount>> ReadActorsByThreatLevel(Connection& conn,
                                                      const ScoringConfig& scoring,
                                                      std::int64_t now);
Result<std::vector<IntervalCount>> ReadEndpointCallCounts(Connection& conn,
                                                          const EndpointKey& endpoint,
                                                          std::int64_t now);
Result<std::vector<CallBucket>> ReadCallerDistribution(Connection& conn,
                                                       const EndpointKey* endpoint,
                                                       const DashboardQuery& q);

// Deletes on the writable connection, inside the caller's transaction.
Result<RetentionResult> DeleteExpired(Connection& conn, const RetentionPolicy& policy,
                                      std::int64_t now);

}  // namespace warden::sqlite
