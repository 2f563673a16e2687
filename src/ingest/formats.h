#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/exchange.h"

namespace warden {

// Options shared by every input-format parser.
struct ParseOptions {
  // Bodies longer than this are truncated (and flagged), never rejected.
  std::size_t max_body_bytes = 1 << 20;
  // Value for Exchange::source.
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
Result<InputFormat> ParseInputFormat(std::string_view name);

// Guesses the format of a document from its first bytes: a JSON object with "batchData" is an
// Akto batch, one with "log" is HAR, anything else is JSON Lines.
InputFormat DetectFormat(std::string_view data);

// Akto's ingest batch `{"batchData":[{...}, ...]}`. Returns an error only when the document as a
// whole is unusable (not JSON, no batchData array); bad entries land in `rejected`.
Result<ParsedExchanges> ParseAktoBatch(std::string_view json, const ParseOptions& options);

// JSON Lines: every non-blank line one Akto record. Bad lines land in `rejected`.
Result<ParsedExchanges> ParseAktoJsonl(std::string_view text, const ParseOptions& options);

// HAR 1.2: log.entries[] with request, response, postData and response content (including
// `encoding: base64`). Bad entries land in `rejected`.
Result<ParsedExchanges> ParseHar(std::string_view json, const ParseOptions& options);

// Dispatches on `format` (kAuto detects it).
Result<ParsedExchanges> ParseDocument(std::string_view data, InputFormat format,
                                      const ParseOptions& options);

}  // namespace warden
