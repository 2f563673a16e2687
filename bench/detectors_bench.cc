// Throughput of the built-in detectors on generated parameter values: ordinary API values
// (names, prose, identifiers, JSON, headers) and attack values. Numbers are relative: compare
// runs of the same binary on the same machine (see docs/benchmarks.md).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "detect/detectors/sqli.h"
#include "detect/detectors/xss.h"

namespace warden {
namespace {

// Deterministic values built from a few pools, so each run measures the same input.
std::vector<std::string> BenignValues() {
  static const char* const kPieces[] = {
      "O'Brien", "d'Artagnan", "it's fine", "select a size", "order by price", "rock & roll",
      "50% off", "1 or 2 items", "2024-01-01T10:20:30Z", "john.doe@example.com", "user-id",
      "5f4dcc3b5aa765d61d8327deb882cf99", "aGVsbG8gd29ybGQ=", "https://example.com/a?b=c&d=e",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)",
      "{\"sku\": \"A-17\", \"qty\": 3}", "a < b and c > d", "John <john@example.com>",
      "I love onions=yes", "**bold** [link](https://example.com)", "12345", "-12.5"};
  std::vector<std::string> out;
  std::uint32_t seed = 12345;
  for (int i = 0; i < 2048; ++i) {
    seed = seed * 1103515245u + 12345u;
    std::string v = kPieces[(seed >> 16) % (sizeof(kPieces) / sizeof(kPieces[0]))];
    if ((seed >> 8) % 4 == 0) v += " " + std::string(kPieces[(seed >> 4) % 10]);
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<std::string> AttackValues() {
  return {"' or 1=1--",
          "-1 UNION ALL SELECT NULL,concat(user(),0x3a,version()),3--",
          "1; DROP TABLE orders--",
          "x' AND 1=CONVERT(int,(SELECT @@version))--",
          "1 AND SLEEP(5)#",
          "<script>alert(1)</script>",
          "<img src=x onerror=alert(1)>",
          "\" autofocus onfocus=\"alert(1)",
          "&lt;svg/onload=alert(1)&gt;",
          "javascript:alert(document.domain)"};
}

template <typename Detect>
void Run(benchmark::State& state, const std::vector<std::string>& values, Detect detect) {
  std::size_t i = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const std::string& v = values[i++ % values.size()];
    benchmark::DoNotOptimize(detect(v));
    bytes += static_cast<std::int64_t>(v.size());
  }
  state.SetBytesProcessed(bytes);
}

void BM_SqliBenign(benchmark::State& state) {
  static const auto values = BenignValues();
  Run(state, values, [](const std::string& v) { return DetectSqli(v).matched; });
}
void BM_SqliAttack(benchmark::State& state) {
  static const auto values = AttackValues();
  Run(state, values, [](const std::string& v) { return DetectSqli(v).matched; });
}
void BM_XssBenign(benchmark::State& state) {
  static const auto values = BenignValues();
  Run(state, values, [](const std::string& v) { return DetectXss(v).matched; });
}
void BM_XssAttack(benchmark::State& state) {
  static const auto values = AttackValues();
  Run(state, values, [](const std::string& v) { return DetectXss(v).matched; });
}
// The worst case per call: a value at the size cap that keeps every context alive.
void BM_SqliLongValue(benchmark::State& state) {
  std::string v;
  while (v.size() < kSqliMaxInputBytes) v += "1+'a'||(\"b\")-";
  const std::vector<std::string> values = {v};
  Run(state, values, [](const std::string& s) { return DetectSqli(s).matched; });
}
void BM_XssLongValue(benchmark::State& state) {
  std::string v;
  while (v.size() < kXssMaxInputBytes) v += "<a b='c' d=\"&#x3c;\" e=f>\\u0041%41 ";
  const std::vector<std::string> values = {v};
  Run(state, values, [](const std::string& s) { return DetectXss(s).matched; });
}

BENCHMARK(BM_SqliBenign);
BENCHMARK(BM_SqliAttack);
BENCHMARK(BM_XssBenign);
BENCHMARK(BM_XssAttack);
BENCHMARK(BM_SqliLongValue);
BENCHMARK(BM_XssLongValue);

}  // namespace
}  // namespace warden

BENCHMARK_MAIN();
