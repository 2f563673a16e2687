#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace warden::sqlite {

// The threat-state operations behind Store's event-status, suppression, actor and window
// methods. Writers run on the writable connection inside a transaction the caller opens and
// commits; readers run on any connection. `now` is the store's clock in Unix seconds.

Result<EventStatusResult> UpdateEventStatus(Connection& conn, const EventStatusChange& change,
                                            std::int64_t now);
Result<std::vector<Suppression>> ReadSuppressions(Connection& conn, bool include_expired,
                                                  std::int64_t now);
Status RemoveSuppression(Connection& conn, const std::string& id);
// Store::CreateSuppression, inside the caller's write transaction.
Result<Suppression> InsertSuppression(Connection& conn, const Suppression& rule, std::int64_t now);
Result<std::vector<SampleRecord>> ReadEventSamples(Connection& conn, const std::string& event_id);

Result<ActorDetail> ReadActorDetail(Connection& conn, const std::string& id);
Result<std::int64_t> ApplyActorStatus(Connection& conn, const ActorStatusChange& change,
                                      std::int64_t now);
Result<std::vector<ActorStatusLogEntry>> ReadStatusLog(Connection& conn, const std::string& actor,
                                                       std::int64_t limit);
Result<std::int64_t> ExpireStatuses(Connection& conn, std::int64_t now);
Result<std::vector<ScoreLedgerRow>> ReadLedger(Connection& conn, const std::string& actor,
                                               std::int64_t limit);
Result<BlockDecision> ReadBlockDecision(Connection& conn, const BlockQuery& query,
                                        std::int64_t now);
Result<std::vector<WindowRow>> ReadWindows(Connection& conn);

}  // namespace warden::sqlite
