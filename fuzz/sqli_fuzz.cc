// libFuzzer target for the SQL injection detector: any bytes must be judged without crashing,
// deterministically, and a match must be well formed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detect/detectors/sql_lexer.h"
#include "detect/detectors/sqli.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const warden::SqliMatch m = warden::DetectSqli(input);
  if (m.matched) {
    if (m.context != "unquoted" && m.context != "single-quote" && m.context != "double-quote" &&
        m.context != "single-quote-backslash") {
      __builtin_trap();
    }
    if (m.reason.empty() || m.fingerprint.empty() || m.fingerprint.size() > 12) __builtin_trap();
  } else if (!m.context.empty() || !m.reason.empty() || !m.fingerprint.empty() || m.decoded) {
    __builtin_trap();
  }
  const warden::SqliMatch again = warden::DetectSqli(input);
  if (again.matched != m.matched || again.reason != m.reason || again.fingerprint != m.fingerprint) {
    __builtin_trap();
  }
  // The lexer on its own, in every context: tokens stay inside the input and in order.
  for (const char quote : {'\0', '\'', '"'}) {
    warden::detectors::SqlLexer lexer(input, quote, quote == '\'');
    warden::detectors::SqlToken t;
    std::uint32_t last_end = 0;
    while (lexer.Next(&t)) {
      if (t.begin > t.end || t.end > size || t.end < last_end) __builtin_trap();
      last_end = t.end;
    }
  }
  return 0;
}
