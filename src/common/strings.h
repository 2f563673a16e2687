#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Small byte and string helpers shared by every module. All functions are pure and thread-safe.
// Byte classifiers take unsigned char; inputs may hold any bytes, including NUL and invalid UTF-8.
namespace warden {

constexpr bool IsAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAsciiAlpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool IsAsciiAlnum(unsigned char c) { return IsAsciiDigit(c) || IsAsciiAlpha(c); }
constexpr bool IsHexDigit(unsigned char c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
constexpr char AsciiLower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
}
inline char AsciiUpper(unsigned char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : static_cast<char>(c);
}
// Value of a hex digit, or -1.
int HexValue(unsigned char c);
// The position of the first `a` or `b` in `s`, or npos. One pass: std::string_view's
// find_first_of searches its set once per byte of `s`.
inline std::size_t FindEither(std::string_view s, char a, char b, std::size_t from = 0) {
  for (std::size_t i = from; i < s.size(); ++i) {
    if (s[i] == a || s[i] == b) return i;
  }
  return std::string_view::npos;
}

std::string AsciiLowered(std::string_view s);
std::string AsciiUppered(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
std::string_view TrimSpace(std::string_view s);

// Splits on every occurrence of `sep`; keeps empty pieces.
std::vector<std::string_view> Split(std::string_view s, char sep);

// Decodes %XX escapes; with `plus_as_space`, '+' becomes ' ' (query strings and form bodies).
// Invalid escapes are kept as written. Never fails.
std::string PercentDecode(std::string_view s, bool plus_as_space);
// PercentDecode() into `out`, copying the runs between escapes whole; false, with `out` empty,
// when nothing decodes (the text would come out the same).
bool PercentDecodeInto(std::string_view s, bool plus_as_space, std::string* out);

// Percent-encodes every byte outside the unreserved set (A-Z a-z 0-9 - . _ ~); with
// `space_as_plus`, ' ' becomes '+' (form encoding). PercentDecode(PercentEncode(s), …) == s.
std::string PercentEncode(std::string_view s, bool space_as_plus);

// Standard and URL-safe base64, with or without padding; whitespace is skipped.
// Returns nullopt when the input is not valid base64.
std::optional<std::string> Base64Decode(std::string_view s);
std::string Base64Encode(std::string_view bytes);

std::string HexEncode(std::string_view bytes);

// Parses a whole string as a base-10 integer (optional sign, surrounding spaces allowed).
std::optional<std::int64_t> ParseInt64(std::string_view s);
// Parses a whole string as a finite double.
std::optional<double> ParseDouble(std::string_view s);

// Truncates to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view TruncateUtf8(std::string_view s, std::size_t max_bytes);
// `s` for a one-line message: cut to `max_bytes` (TruncateUtf8) and "..." added when longer.
std::string Abbreviated(std::string_view s, std::size_t max_bytes);

// True when the bytes form valid UTF-8.
bool IsValidUtf8(std::string_view s);
// Replaces invalid UTF-8 sequences by U+FFFD so the text can go into JSON.
std::string SanitizeUtf8(std::string_view s);

}  // namespace warden
