#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Built-in SQL injection detector, exposed to policies as the `sqli` operator. It is applied to
// one already-decoded parameter value (query, form or JSON value, path segment, header value,
// cookie) and answers whether that value, pasted into an SQL statement, would change the
// statement's structure in a way only an attacker wants.
//
// How: the value is tokenized as SQL three times - as written (dropped unquoted into SQL), and
// as the rest of a string literal the application opened with ' and with " (the attacker
// closes it); values holding \' are also read as the rest of a MySQL string, and a value that
// is a whole form field ("name=value", its '=' encoded once more) also from after the '='.
// Each token sequence is read by a small, permissive SQL grammar. A value matches
// when it is valid SQL in that position up to the point where it does something a data value
// never does: UNION SELECT, a stacked statement, a boolean condition built from literals or
// functions, a comment that cuts the query, a delay or out-of-band function, ORDER BY probing,
// INTO OUTFILE, EXEC. A value that is only a comparison of two literals which holds (1=1,
// 2<>3) matches too. English text rarely survives the grammar, which keeps false positives low.
namespace warden {

// Work per call is bounded: a value longer than this is examined only in its first and last
// kSqliMaxInputBytes / 2 bytes, so a payload padded to sit at either end is still seen but one
// hidden in the middle of a long value is not.
inline constexpr std::size_t kSqliMaxInputBytes = 8192;

struct SqliMatch {
  bool matched = false;
  // Where the value was assumed to land: "unquoted", "single-quote", "double-quote", or
  // "single-quote-backslash" (a MySQL string where \ escapes). Points to static storage.
  std::string_view context;
  // Token classes from the start of the value up to the finding, one letter each (s string,
  // n number, v variable, w word, f function, k keyword, U union, T statement, & logic,
  // o operator, ( ) , ; c comment, ? other). At most 12 characters.
  std::string fingerprint;
  // Why it matched, in a few words. Points to static storage.
  std::string_view reason;
  // True when the finding needed %XX escapes left in the value decoded first.
  bool decoded = false;
};

// Pure and thread-safe; linear in the input; never throws. Accepts any bytes, including NUL
// and invalid UTF-8. Allocates nothing (the fingerprint fits the small-string buffer).
SqliMatch DetectSqli(std::string_view value);

}  // namespace warden
