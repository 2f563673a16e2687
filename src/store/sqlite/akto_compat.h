#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace warden::sqlite {

// The queries added for the Akto-compatible API (migration 0004): event triage with ticket
// links, events by sample, filter values and totals over events, policy authorship. Writers run
// on the writable connection inside a transaction the caller opens and commits; readers open
// their own read transaction when they run several statements. `now` is the store's clock.

Result<EventStatusResult> TriageEvents(Connection& conn, const EventTriage& triage,
                                       std::int64_t now);
Result<std::vector<EventTicket>> ReadEventTickets(Connection& conn,
                                                  const std::vector<std::string>& event_ids);
Result<std::vector<Event>> ReadEventsByRef(Connection& conn, const std::string& ref_id);

Result<EventFilterValues> ReadEventFilterValues(Connection& conn, const DashboardQuery& q,
                                                FilterValueLists lists);
Result<EventTotals> ReadEventTotals(Connection& conn, const DashboardQuery& q);

Status UpsertPolicyAuthorship(Connection& conn, const std::string& policy_id, const std::string& by,
                              std::int64_t now);
Status DeletePolicyAuthorship(Connection& conn, const std::string& policy_id);
Result<std::vector<PolicyAuthorship>> ReadPolicyAuthorship(Connection& conn);

}  // namespace warden::sqlite
