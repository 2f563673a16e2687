#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/exchange.h"

// Small text helpers shared by the input-format parsers. They know nothing about JSON, so they
// can be tested directly and reused by other sources (an HTTP ingest route, a NATS adapter).
// All functions are pure, never throw on any input bytes (allocation failure aside) and are
// thread-safe.
namespace warden {

// The pieces of an absolute URL "scheme://authority/path?query#fragment".
struct UrlParts {
  std::string_view host;    // authority without "userinfo@"; may hold a port or "[v6]"
  std::string_view target;  // path plus "?query" as written, without the fragment; may be ""
};

// Splits `url` when it is absolute (a scheme of letters, digits, '+', '-', '.' then "://").
// Returns nullopt when `url` is not absolute (for example "/a?b"). The returned views point
// into `url`.
std::optional<UrlParts> SplitAbsoluteUrl(std::string_view url);

// Sets `host` (unless `url` is relative) and `target` from a request URL or path as a sensor
// wrote it. An empty target becomes "/"; a target that starts with '?' gets a leading '/'.
void SetTargetFromUrl(std::string_view url, Exchange* exchange);

// Parses an ISO 8601 / RFC 3339 timestamp "YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|±hh[[:]mm]]"
// ('t', ' ' and 'z' accepted too; no zone means UTC) and returns Unix seconds, rounded down.
// Returns nullopt for anything else, including out-of-range fields (month 13, Feb 30).
std::optional<std::int64_t> ParseIsoTimestamp(std::string_view s);

// Converts a sensor timestamp to Unix seconds: values above 1e11 are taken as milliseconds.
std::int64_t EpochToSeconds(std::int64_t value);

// Copies `body` into `*out`, cutting it to at most `max_bytes` (at a UTF-8 boundary when the
// text is UTF-8) and setting `*truncated` when anything was cut.
void CapBody(std::string_view body, std::size_t max_bytes, std::string* out, bool* truncated);

// Builds an application/x-www-form-urlencoded body "a=1&b=x+y" from name/value pairs,
// percent-encoding every byte outside the unreserved set.
std::string FormUrlEncode(const std::vector<std::pair<std::string, std::string>>& params);

// Returns the value of the first header named `name` (ASCII case-insensitive), or nullptr.
const std::string* FindHeader(const Headers& headers, std::string_view name);

// Renders a hostile value for an error message: at most 64 bytes, in double quotes, with
// quotes, backslashes, control bytes and invalid UTF-8 escaped, and "..." when cut.
std::string QuoteForMessage(std::string_view value);

// JSON text with every unpaired UTF-16 surrogate escape ("\ud800" alone) inside strings
// replaced by "\ufffd", or nullopt when there is none. Boost.JSON rejects such escapes, and one
// in a single body must not cost the whole document. Linear; the input need not be valid JSON.
std::optional<std::string> ReplaceLoneSurrogateEscapes(std::string_view json);

// Shortest decimal text for a finite double; integral values print without a fraction
// ("200", "1.5", "1e+300").
std::string FormatJsonNumber(double value);

}  // namespace warden
