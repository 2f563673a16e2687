#include "ingest/parse_util.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

#include "common/strings.h"

namespace warden {

namespace {

bool IsSchemeChar(unsigned char c) { return IsAsciiAlnum(c) || c == '+' || c == '-' || c == '.'; }

// Reads exactly `n` digits at s[*pos] into `*value`.
bool ReadDigits(std::string_view s, std::size_t* pos, int n, int* value) {
  if (*pos + static_cast<std::size_t>(n) > s.size()) return false;
  int v = 0;
  for (int k = 0; k < n; ++k) {
    unsigned char c = static_cast<unsigned char>(s[*pos + static_cast<std::size_t>(k)]);
    if (!IsAsciiDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += static_cast<std::size_t>(n);
  *value = v;
  return true;
}

bool Consume(std::string_view s, std::size_t* pos, char c) {
  if (*pos < s.size() && s[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && IsLeapYear(y)) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Expected length of a UTF-8 sequence from its lead byte, or 0 for a byte that cannot lead.
std::size_t Utf8LeadLength(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 0;
}

void AppendHexEscape(unsigned char c, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\x");
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 15]);
}

}  // namespace

std::optional<UrlParts> SplitAbsoluteUrl(std::string_view url) {
  std::size_t i = 0;
  if (url.empty() || !IsAsciiAlpha(static_cast<unsigned char>(url[0]))) return std::nullopt;
  while (i < url.size() && IsSchemeChar(static_cast<unsigned char>(url[i]))) ++i;
  if (url.substr(i, 3) != "://") return std::nullopt;
  std::size_t authority_begin = i + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  std::string_view authority = url.substr(authority_begin, authority_end - authority_begin);
  std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view rest = url.substr(authority_end);
  std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  return UrlParts{.host = authority, .target = rest};
}

void SetTargetFromUrl(std::string_view url, Exchange* exchange) {
  if (std::optional<UrlParts> parts = SplitAbsoluteUrl(url)) {
    exchange->host.assign(parts->host);
    url = parts->target;
  }
  if (url.empty()) {
    exchange->target = "/";
  } else if (url.front() == '?') {
    exchange->target.reserve(url.size() + 1);
    exchange->target = "/";
    exchange->target.append(url);
  } else {
    exchange->target.assign(url);
  }
}

std::optional<std::int64_t> ParseIsoTimestamp(std::string_view s) {
  s = TrimSpace(s);
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(s, &pos, 4, &year) || !Consume(s, &pos, '-') || !ReadDigits(s, &pos, 2, &month) ||
      !Consume(s, &pos, '-') || !ReadDigits(s, &pos, 2, &day)) {
    return std::nullopt;
  }
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')) return std::nullopt;
  ++pos;
  if (!ReadDigits(s, &pos, 2, &hour) || !Consume(s, &pos, ':') ||
      !ReadDigits(s, &pos, 2, &minute)) {
    return std::nullopt;
  }
  if (Consume(s, &pos, ':')) {
    if (!ReadDigits(s, &pos, 2, &second)) return std::nullopt;
    if (Consume(s, &pos, '.') || Consume(s, &pos, ',')) {
      std::size_t digits = 0;
      while (pos < s.size() && IsAsciiDigit(static_cast<unsigned char>(s[pos]))) {
        ++pos;
        ++digits;
      }
      if (digits == 0) return std::nullopt;
    }
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  int offset_s = 0;
  if (pos < s.size()) {
    char z = s[pos];
    if (z == 'Z' || z == 'z') {
      ++pos;
    } else if (z == '+' || z == '-') {
      ++pos;
      int oh = 0, om = 0;
      if (!ReadDigits(s, &pos, 2, &oh)) return std::nullopt;
      if (pos < s.size()) {
        Consume(s, &pos, ':');
        if (!ReadDigits(s, &pos, 2, &om)) return std::nullopt;
      }
      if (oh > 23 || om > 59) return std::nullopt;
      offset_s = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_s;
}

std::int64_t EpochToSeconds(std::int64_t value) {
  constexpr std::int64_t kMillisThreshold = 100'000'000'000;  // 1e11 s is the year 5138
  return value > kMillisThreshold ? value / 1000 : value;
}

void CapBody(std::string_view body, std::size_t max_bytes, std::string* out, bool* truncated) {
  if (body.size() <= max_bytes) {
    out->assign(body);
    *truncated = false;
    return;
  }
  // Back off over at most three continuation bytes, and only when a lead byte starts the
  // sequence we would split; binary bodies are cut at exactly max_bytes.
  std::size_t end = max_bytes;
  std::size_t k = 0;
  while (k < 3 && end > 0 && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) {
    --end;
    ++k;
  }
  unsigned char lead = static_cast<unsigned char>(body[end]);
  if (end != max_bytes && !(Utf8LeadLength(lead) > k && (lead & 0xC0) == 0xC0)) end = max_bytes;
  out->assign(body.substr(0, end));
  *truncated = true;
}

std::string FormUrlEncode(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out.push_back('&');
    out += PercentEncode(params[i].first, true);
    out.push_back('=');
    out += PercentEncode(params[i].second, true);
  }
  return out;
}

const std::string* FindHeader(const Headers& headers, std::string_view name) {
  for (const HeaderField& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) return &h.value;
  }
  return nullptr;
}

std::string QuoteForMessage(std::string_view value) {
  constexpr std::size_t kMaxBytes = 64;
  std::string out = "\"";
  std::size_t i = 0;
  while (i < value.size() && i < kMaxBytes) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (c < 0x20 || c == 0x7F) {
      AppendHexEscape(c, &out);
      ++i;
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else {
      std::size_t len = Utf8LeadLength(c);
      if (len > 1 && i + len <= value.size() && IsValidUtf8(value.substr(i, len))) {
        out.append(value.substr(i, len));
        i += len;
      } else {
        AppendHexEscape(c, &out);
        ++i;
      }
    }
  }
  out.push_back('"');
  if (i < value.size()) out.append("...");
  return out;
}

namespace {

// The code unit of a "\uXXXX" escape starting at json[i] (the backslash), or -1.
int EscapedCodeUnit(std::string_view json, std::size_t i) {
  if (i + 6 > json.size() || json[i] != '\\' || json[i + 1] != 'u') return -1;
  int v = 0;
  for (std::size_t k = i + 2; k < i + 6; ++k) {
    int h = HexValue(static_cast<unsigned char>(json[k]));
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

bool IsHighSurrogate(int u) { return u >= 0xD800 && u <= 0xDBFF; }
bool IsLowSurrogate(int u) { return u >= 0xDC00 && u <= 0xDFFF; }

}  // namespace

std::optional<std::string> ReplaceLoneSurrogateEscapes(std::string_view json) {
  std::optional<std::string> out;
  std::size_t copied = 0;  // json[0, copied) is already in *out
  bool in_string = false;
  std::size_t i = 0;
  while (i < json.size()) {
    char c = json[i];
    if (!in_string) {
      in_string = c == '"';
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = false;
      ++i;
      continue;
    }
    if (c != '\\') {
      ++i;
      continue;
    }
    int unit = EscapedCodeUnit(json, i);
    if (unit < 0) {
      i += 2;  // another escape; the parser judges it
      continue;
    }
    if (IsHighSurrogate(unit) && IsLowSurrogate(EscapedCodeUnit(json, i + 6))) {
      i += 12;
      continue;
    }
    if (IsHighSurrogate(unit) || IsLowSurrogate(unit)) {
      if (!out) out.emplace().reserve(json.size());
      out->append(json.substr(copied, i - copied));
      out->append("\\ufffd");
      copied = i + 6;
    }
    i += 6;
  }
  if (out) out->append(json.substr(std::min(copied, json.size())));
  return out;
}

std::string FormatJsonNumber(double value) {
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) <= kExactIntegers) {
    return std::to_string(static_cast<std::int64_t>(value));
  }
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  if (ec != std::errc()) return "0";
  return std::string(buf, ptr);
}

}  // namespace warden
