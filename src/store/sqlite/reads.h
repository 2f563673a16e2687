#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sql_builder.h"
#include "store/store.h"

namespace warden::sqlite {

// The queries behind Store's read methods, run on one connection. Multi-statement reads (a page
// and its total) run in one read transaction so that both see the same snapshot.
//
// Orders, beyond what store.h says: events sorted by detected_at break ties by id in the same
// direction; by severity, ties go to detected_at descending, then id descending. Actors break
// first_seen ties by id in the same direction. Threat APIs break ties by discovered_at
// descending, then (host, method, template, collection) ascending. Endpoints come newest
// last_seen first. Negative skip, limit or activity_limit are InvalidArgument.
// Text filters compare exactly, except search_text (ASCII case-insensitive substring).

Result<EventPage> ReadEvents(Connection& conn, const EventQuery& query);
Result<Event> ReadEvent(Connection& conn, const std::string& id);
Result<ActorPage> ReadActors(Connection& conn, const ActorQuery& query);
Result<ThreatApiPage> ReadThreatApis(Connection& conn, const ThreatApiQuery& query);
Result<std::vector<Endpoint>> ReadEndpoints(Connection& conn, std::int64_t limit);

// The WHERE conditions of an event filter, on `events e`.
Conditions EventFilterConditions(const EventFilter& filter);

// The actor columns every actor read selects (from `actors a`), score, threat level and status
// computed as of the store's clock by the warden_* SQL functions (see functions.h), and the
// reader of such a row.
std::string ActorColumns();
Result<Actor> ReadActorRow(const Statement& st, std::string_view op);

// The statement texts ReadEvents and ReadActors run for a page (parameters unbound), so that
// tests can check their query plans.
std::string EventPageSql(const EventQuery& query);
std::string ActorPageSql(const ActorQuery& query);

}  // namespace warden::sqlite
