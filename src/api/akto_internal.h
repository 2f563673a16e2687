#pragma once

// Internal to src/api: what the Akto-compatible route files (akto_*.cc) share. Includes
// Boost.JSON, so only those files include it.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/akto_routes.h"
#include "api/json_args.h"
#include "api/router.h"
#include "store/store.h"

namespace warden::akto {

constexpr std::int64_t kMaxLimit = 1000;
constexpr std::int64_t kMaxSkip = 10'000'000;
constexpr std::int64_t kMaxTs = 4'102'444'800;  // 2100-01-01

// Text as a JSON string, invalid UTF-8 replaced.
boost::json::string Str(std::string_view s);
boost::json::array StrArray(const std::vector<std::string>& in);

// Parses the request body as a JSON object; on failure answers 400 and returns nullopt.
std::optional<boost::json::object> BodyOrRespond(const HttpRequest& req, const Responder& respond);

// Answers 400 with the first argument error and returns false, or returns true.
bool CheckArgs(const JsonArgs& args, const Responder& respond);

// `{"<field>": -1|1}` as the request gave it, or null.
boost::json::value SortEcho(const std::optional<std::pair<std::string, bool>>& sort);

// Reads the list filters of fetchSuspectSampleData (ips, urls, hosts, method, types,
// latestAttack, subCategory, severity, statusFilter, successfulExploit, apiCollectionIds, actors,
// searchText, startTimestamp/endTimestamp or startTs/endTs) into `f`. InvalidArgument naming the
// field (prefixed with `prefix`, e.g. "filter.") on a wrong type or an unknown enum value.
Status ReadEventFilter(const boost::json::object& body, std::string_view prefix, EventFilter* f);

// Reads the dashboard filter: startTs/endTs (or startTimestamp/endTimestamp), latestAttack and
// status (or statusFilter). `args` records type errors.
DashboardQuery ReadDashboardQuery(JsonArgs& args, Status* enum_error);

// An event as Akto's maliciousEvents[] entry, with Warden's extra fields.
boost::json::object EventJson(const Event& e, std::string_view ticket_url);

// Appends an audit entry (by: the key's name, or its id) for a change that succeeded; a
// failure to record it is logged, not answered.
void RecordAudit(const AktoRoutesDeps& deps, const Principal& who, std::string_view action,
                 std::string_view target, boost::json::object detail = {});

// The route groups AddAktoRoutes registers, one file each.
void AddAktoListRoutes(Router* router, const AktoRoutesDeps& deps);       // akto_routes.cc
void AddAktoDashboardRoutes(Router* router, const AktoRoutesDeps& deps);  // akto_dashboard.cc
void AddAktoTriageRoutes(Router* router, const AktoRoutesDeps& deps);     // akto_triage.cc
void AddAktoTemplateRoutes(Router* router, const AktoRoutesDeps& deps);   // akto_templates.cc

}  // namespace warden::akto
