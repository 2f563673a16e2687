#include "ingest/formats.h"

#include "common/strings.h"

namespace warden {

namespace {

// Skips a JSON string starting at the quote s[i]; returns the index just past the closing quote
// (or s.size() when it never closes) and sets `*contents` to the raw bytes between the quotes.
std::size_t SkipString(std::string_view s, std::size_t i, std::string_view* contents) {
  std::size_t start = i + 1;
  std::size_t j = start;
  while (j < s.size() && s[j] != '"') j += (s[j] == '\\') ? 2 : 1;
  if (j >= s.size()) {
    *contents = s.substr(start);
    return s.size();
  }
  *contents = s.substr(start, j - start);
  return j + 1;
}

std::size_t SkipSpace(std::string_view s, std::size_t i) {
  while (i < s.size() && IsAsciiSpace(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

}  // namespace

std::string_view InputFormatName(InputFormat f) {
  switch (f) {
    case InputFormat::kAuto:
      return "auto";
    case InputFormat::kAktoBatch:
      return "akto";
    case InputFormat::kAktoJsonl:
      return "akto-jsonl";
    case InputFormat::kHar:
      return "har";
  }
  return "auto";
}

Result<InputFormat> ParseInputFormat(std::string_view name) {
  std::string lowered = AsciiLowered(TrimSpace(name));
  if (lowered == "auto") return InputFormat::kAuto;
  if (lowered == "akto" || lowered == "akto-batch") return InputFormat::kAktoBatch;
  if (lowered == "akto-jsonl" || lowered == "jsonl") return InputFormat::kAktoJsonl;
  if (lowered == "har") return InputFormat::kHar;
  return Status::InvalidArgument("unknown input format \"" + SanitizeUtf8(name.substr(0, 64)) +
                                     "\" (want auto, akto, akto-jsonl or har)",
                                 "format");
}

// Looks only at the top-level keys of the first JSON value, with a small lexical scan that
// never recurses, so detection costs at most one pass over the first value.
InputFormat DetectFormat(std::string_view data) {
  if (data.substr(0, 3) == "\xEF\xBB\xBF") data.remove_prefix(3);
  std::size_t i = SkipSpace(data, 0);
  if (i >= data.size() || data[i] != '{') return InputFormat::kAktoJsonl;
  bool has_batch = false;
  bool has_log = false;
  std::size_t depth = 0;
  bool ended = false;
  while (i < data.size()) {
    char c = data[i];
    if (c == '"') {
      std::string_view key;
      i = SkipString(data, i, &key);
      if (depth == 1) {
        std::size_t next = SkipSpace(data, i);
        if (next < data.size() && data[next] == ':') {
          has_batch = has_batch || key == "batchData";
          has_log = has_log || key == "log";
        }
      }
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth > 0) --depth;
      if (depth == 0) {
        ended = true;
        ++i;
        break;
      }
    }
    ++i;
  }
  // A second value after the first one means one record per line.
  if (ended && SkipSpace(data, i) < data.size()) return InputFormat::kAktoJsonl;
  if (has_batch) return InputFormat::kAktoBatch;
  if (has_log) return InputFormat::kHar;
  return InputFormat::kAktoJsonl;
}

Result<ParsedExchanges> ParseDocument(std::string_view data, InputFormat format,
                                      const ParseOptions& options) {
  if (format == InputFormat::kAuto) format = DetectFormat(data);
  switch (format) {
    case InputFormat::kAktoBatch:
      return ParseAktoBatch(data, options);
    case InputFormat::kHar:
      return ParseHar(data, options);
    case InputFormat::kAktoJsonl:
    case InputFormat::kAuto:
      break;
  }
  return ParseAktoJsonl(data, options);
}

}  // namespace warden
