#pragma once

// Internal to src/api: what the /api/v1 route groups share — the JSON of events and threat
// APIs, the event-list filters, CSV cells, list pages, audit records, opaque endpoint ids and
// request-body helpers. Includes Boost.JSON, so only api .cc files include it.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/http.h"
#include "api/query_args.h"
#include "api/router.h"
#include "api/v1_routes.h"
#include "common/status.h"
#include "store/store.h"

namespace warden {

// Attacker-controlled or stored text as a JSON string (invalid UTF-8 replaced).
boost::json::string JsonText(std::string_view s);
boost::json::array JsonTexts(const std::vector<std::string>& v);

// Policy names by id, for the `policyName` / `name` fields. Empty without a PolicyService.
using PolicyNames = std::unordered_map<std::string, std::string>;
PolicyNames LoadPolicyNames(const V1Deps& deps);

// An event as docs/api-v1.md `Event`; `ticket` is its jiraTicketUrl ("" = none).
boost::json::object EventJson(const Event& e, const PolicyNames& names, const std::string& ticket);
// The events of a page as `Event` objects, with their ticket links (one store query).
Result<std::vector<boost::json::object>> EventsJson(const V1Deps& deps,
                                                    const std::vector<Event>& events,
                                                    const PolicyNames& names);

// The filters and sort of GET /api/v1/events, shared by the list, the CSV export and the bulk
// status change (whose JSON `filter` is read through QueryArgs too). Errors name the parameter.
EventQuery ReadEventQuery(QueryArgs& args);
// A JSON object of list filters as query parameters: strings and numbers as written, booleans
// as true/false, arrays joined by commas. InvalidArgument naming `<prefix>.<key>` for nested
// objects.
Result<QueryArgs> QueryArgsFromJson(const boost::json::object& o, std::string_view prefix);

// One CSV cell: UTF-8 sanitized, quoted when needed, and prefixed with ' when a spreadsheet
// would run it as a formula (CSV injection: = + - @ tab CR).
std::string CsvField(std::string_view s);
// A text/csv attachment.
HttpResponse CsvResponse(std::string body, std::string_view filename);

// {"items":[…],"total":N,"nextCursor":"…"|null}.
boost::json::object PageJson(boost::json::array items, std::int64_t total,
                             const PageRequest& page);
// {"items":[…],"total":N,"nextCursor"} for a list held in memory: the page of `all` at `page`.
boost::json::object SlicePageJson(const boost::json::array& all, const PageRequest& page);

// The clock's now (the wall clock when deps.clock is null).
std::int64_t Now(const V1Deps& deps);

// Who made a request, as the audit log and status logs name it: the key's name (or its id).
std::string By(const Principal& p);
// Appends an audit entry for a change that succeeded; a failure to record it is logged.
void RecordAudit(const V1Deps& deps, const Principal& who, std::string_view action,
                 std::string_view target, boost::json::object detail = {});

// The opaque id of an endpoint: base64url of {"c":collection,"h":host,"m":method,"t":template}.
std::string EncodeEndpointId(const EndpointKey& key);
// InvalidArgument naming `id` when `id` is not one EncodeEndpointId makes.
Result<EndpointKey> DecodeEndpointId(std::string_view id);

// A threat API as docs/api-v1.md `ThreatApi`.
boost::json::object ThreatApiJson(const ThreatApi& api);

// An ignore rule as docs/api-v1.md `IgnoreRule` (plus `expired` and `lastSuppressedAt`).
boost::json::object IgnoreRuleJson(const Suppression& s, std::int64_t now);

// Statistics default to the last 24 hours: [to - 86400, to], `to` defaulting to now.
TimeRange StatsRange(QueryArgs& args, const V1Deps& deps);

// Parses the request body as a JSON object; on failure answers 400 and returns nullopt.
std::optional<boost::json::object> BodyOrRespond(const HttpRequest& req, const Responder& respond);
// Answers `status` as an error and returns true when it is not ok.
bool RespondIfError(const Status& status, const Responder& respond);

// Only http(s) links are kept (they are rendered as links): InvalidArgument naming `field`.
Status CheckHttpUrl(std::string_view url, const char* field);

}  // namespace warden
