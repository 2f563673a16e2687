#pragma once

// Internal to src/api: what the /api/v1 route groups share — the JSON of events and threat
// APIs, the event-list filters, CSV cells, list pages, audit records, opaque endpoint ids and
// request-body helpers. Includes Boost.JSON, so only api .cc files include it.

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
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

// Rows per store call of a CSV export.
inline constexpr std::int64_t kCsvPageRows = 1000;
// The most rows a CSV export writes (`limit`), and its default.
inline constexpr std::int64_t kCsvMaxRows = 100000;
inline constexpr std::int64_t kCsvDefaultRows = 1000;

// The OpenAPI operation of a CSV export route (docs/api-v1.md "CSV exports").
inline constexpr char kCsvExportDoc[] = R"json({"parameters": [
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1000}, "description": "rows; the list filters and sort apply too"}
],
"responses": {
  "200": {"description": "CSV, streamed with Transfer-Encoding: chunked (no Content-Length), a store page at a time. A store error after the header ends the transfer without its final chunk: the client sees a truncated body, never a short complete file.", "content": {"text/csv": {}}},
  "400": {"description": "Bad parameter; error.field names it"}}})json";

// Reads the next page of an export: appends at most `max_rows` CSV lines to `*out` and returns
// how many it appended (fewer than `max_rows` means the rows are exhausted), or the store's
// error. Keeps its own position (offset or keyset) between calls.
using CsvPageReader = std::function<Result<std::int64_t>(std::int64_t max_rows, std::string* out)>;

// Answers a streamed text/csv attachment: `header_line`, then rows from `read_page` a page at
// a time until `limit` rows or a short page. The first page is read before answering, so a
// store error there is an ordinary error response; a later one ends the transfer without its
// last chunk (see HttpServer). The reader runs on the thread that sends the body.
void RespondCsvStream(std::string header_line, std::int64_t limit, CsvPageReader read_page,
                      std::string_view filename, const Responder& respond);

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
