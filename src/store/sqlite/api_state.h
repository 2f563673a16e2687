#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace warden::sqlite {

// The queries added for Warden's own API (/api/v1, migration 0005): the endpoint inventory,
// time series over events and rollups, an actor's breakdown, ledger rows by event, settings and
// the audit log. Readers that run several statements open their own read transaction; writers
// run inside the transaction the caller opens and commits. `now` is the store's clock.

Result<EndpointPage> ReadEndpointPage(Connection& conn, const EndpointQuery& query);
Result<Endpoint> ReadEndpoint(Connection& conn, const EndpointKey& key);

Result<std::vector<TimeCount>> ReadEventsOverTime(Connection& conn, const EventFilter& filter,
                                                  std::int64_t bucket_seconds);
Result<std::vector<ScoreLedgerRow>> ReadLedgerForEvents(Connection& conn,
                                                        const std::vector<std::string>& ids);
Result<ActorEventBreakdown> ReadActorBreakdown(Connection& conn, const std::string& actor,
                                               const DashboardQuery& q);

Result<std::vector<CallPoint>> ReadCallSeries(Connection& conn, const EndpointKey& endpoint,
                                              const CallSeriesQuery& q);
Result<std::vector<KeyCount>> ReadTopCallers(Connection& conn, const EndpointKey* endpoint,
                                             const DashboardQuery& q);
Result<std::vector<TimeCount>> ReadNewActorsPerDay(Connection& conn, const DashboardQuery& q);

Result<std::map<std::string, std::string>> ReadSettings(Connection& conn);
Status WriteSettings(Connection& conn, const std::map<std::string, std::string>& values,
                     std::int64_t now);
Status InsertAudit(Connection& conn, const AuditEntry& entry, std::int64_t now);
Result<AuditPage> ReadAudit(Connection& conn, const AuditQuery& query);

}  // namespace warden::sqlite
