#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/exchange.h"

// Parsers for the input formats Warden reads traffic from. Every function here is pure: it
// owns nothing after it returns, the returned Exchanges own their bytes, and all of them are
// thread-safe. None throws (allocation failure comes back as kResourceExhausted), none recurses
// on input nesting, and all run in time linear in the input, whatever the bytes.
namespace warden {

// Options shared by every input-format parser.
struct ParseOptions {
  // Bodies longer than this are truncated (and flagged), never rejected.
  std::size_t max_body_bytes = 1 << 20;
  // Value for Exchange::source; empty means the format's name ("akto", "akto-jsonl", "har").
  std::string source;
};

// One input record that could not be parsed. `index` is the 0-based entry (Akto batch, HAR) or
// 1-based line (JSON Lines); `field` names the offending field ("requestHeaders", "time").
struct RejectedRecord {
  std::size_t index = 0;
  std::string field;
  std::string message;  // "batchData[3].time: not a number: \"abc\""
};

// The result of parsing a document: the exchanges that parsed plus the records that did not.
// A malformed record never loses the others.
struct ParsedExchanges {
  std::vector<Exchange> exchanges;
  std::vector<std::size_t> input_index;  // for each exchange, its index in the input
  std::vector<RejectedRecord> rejected;
};

enum class InputFormat { kAuto, kAktoBatch, kAktoJsonl, kHar };
std::string_view InputFormatName(InputFormat f);  // "akto", "akto-jsonl", "har", "auto"
// Inverse of InputFormatName (ASCII case-insensitive; "akto-batch" and "jsonl" are accepted as
// aliases). Unknown names are kInvalidArgument with field "format".
Result<InputFormat> ParseInputFormat(std::string_view name);

// Guesses the format of a document from its first bytes: a JSON object with "batchData" is an
// Akto batch, one with "log" is HAR, anything else is JSON Lines. Only top-level keys of the
// first value count, and a second value after it means JSON Lines.
InputFormat DetectFormat(std::string_view data);

// Akto's ingest batch `{"batchData":[{...}, ...]}`. Returns an error only when the document as a
// whole is unusable (not JSON, no batchData array); bad entries land in `rejected`.
//
// A record needs `path` (a path+query, or an absolute URL whose authority becomes the host) and
// `method`. `requestHeaders`/`responseHeaders` are JSON-encoded maps inside a string, or plain
// objects; array values become repeated headers. `time` is epoch seconds (milliseconds above
// 1e11), `statusCode` a number; both may be numeric strings. Numbers and bools are accepted
// where strings are expected. A record is rejected when it is not an object, lacks path or
// method, has a non-numeric time/statusCode or undecodable requestHeaders; undecodable
// responseHeaders are dropped instead. Unknown fields are ignored.
Result<ParsedExchanges> ParseAktoBatch(std::string_view json, const ParseOptions& options);

// JSON Lines: every non-blank line one Akto record. Bad lines land in `rejected`, indexed by
// 1-based line number ("line 7: requestHeaders: invalid JSON"). Also reads the labeled-corpus
// variant where `headers` (an object) stands for requestHeaders and `body` for requestPayload.
// LF and CRLF line ends, with or without a final newline. Never returns an error status except
// on allocation failure.
Result<ParsedExchanges> ParseAktoJsonl(std::string_view text, const ParseOptions& options);

// HAR 1.2: log.entries[] with request, response, postData and response content (including
// `encoding: base64`). Bad entries land in `rejected` ("log.entries[2].request.url: ...").
// startedDateTime may carry a fraction and a Z or ±hh[:]mm offset. The client address comes
// from a private field (`_clientIp`, `_remoteAddress`, ...) if present, else the left-most
// X-Forwarded-For address, else stays empty. postData without text but with params becomes an
// urlencoded body.
Result<ParsedExchanges> ParseHar(std::string_view json, const ParseOptions& options);

// Dispatches on `format` (kAuto detects it with DetectFormat).
Result<ParsedExchanges> ParseDocument(std::string_view data, InputFormat format,
                                      const ParseOptions& options);

}  // namespace warden
