#include "app/policy_cmd.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/sample_traffic.h"
#include "common/strings.h"
#include "detect/engine.h"
#include "detect/operators/operator.h"
#include "detect/policy/loader.h"
#include "detect/policy/test_vector.h"
#include "ingest/formats.h"
#include "normalize/normalize.h"

namespace warden {

namespace {

// Loads every file (directories recursively), reporting each failing file rather than only the
// first. Returns false when anything failed.
bool LoadAll(const std::vector<std::string>& files, std::vector<Policy>* out) {
  bool ok = true;
  for (const auto& f : files) {
    std::error_code ec;
    Result<std::vector<Policy>> loaded =
        std::filesystem::is_directory(f, ec) ? LoadPolicies({f}) : LoadPolicyFile(f);
    if (!loaded.ok()) {
      std::fprintf(stderr, "error: %s\n", loaded.status().message().c_str());
      ok = false;
      continue;
    }
    for (auto& p : *loaded) out->push_back(std::move(p));
  }
  if (!ok) return false;
  Status unique = CheckUniqueIds(*out);
  if (!unique.ok()) {
    std::fprintf(stderr, "error: %s\n", unique.message().c_str());
    return false;
  }
  return true;
}

std::shared_ptr<const CompiledPolicySet> LoadAndCompile(const std::vector<std::string>& files) {
  std::vector<Policy> policies;
  if (!LoadAll(files, &policies)) return nullptr;
  auto compiled = CompilePolicies(std::move(policies));
  if (!compiled.ok()) {
    std::fprintf(stderr, "error: %s\n", compiled.status().message().c_str());
    return nullptr;
  }
  return *compiled;
}

int Validate(const CompiledPolicySet& set, std::size_t files) {
  std::size_t vectors = 0;
  for (const auto& p : set.policies()) vectors += p.tests.size();
  std::printf("ok: %zu policies, %zu test vectors in %zu file(s)\n", set.policies().size(),
              vectors, files);
  return 0;
}

int Test(const CompiledPolicySet& set) {
  std::size_t passed = 0;
  std::size_t failed = 0;
  for (const VectorOutcome& o : RunTestVectors(set, NormalizeOptions{})) {
    if (o.passed) {
      ++passed;
      std::printf("PASS %s: %s\n", o.policy->id.c_str(), o.vector->name.c_str());
    } else {
      ++failed;
      std::printf("FAIL %s: %s (%s): %s\n", o.policy->id.c_str(), o.vector->name.c_str(),
                  o.vector->mark.ToString().c_str(), o.message.c_str());
    }
  }
  std::printf("%zu passed, %zu failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

struct Cost {
  std::size_t candidate = 0;  // exchanges on which the policy was evaluated
  std::size_t matched = 0;
  double eval_ns = 0;
};

// The exchanges lint profiles on: the JSON Lines file `traffic` if given, else generated
// sample traffic. Empty (after printing why) when the file cannot be read or holds none.
std::vector<Exchange> LintTraffic(const PolicyCommandOptions& options) {
  if (options.traffic.empty()) {
    SampleTrafficOptions traffic;
    traffic.count = options.sample_count;
    traffic.start_time_s = 1700000000;
    return GenerateSampleTraffic(traffic);
  }
  std::ifstream in(options.traffic, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    std::fprintf(stderr, "error: --traffic: cannot read %s\n", options.traffic.c_str());
    return {};
  }
  auto parsed = ParseAktoJsonl(text.str(), ParseOptions{});
  if (!parsed.ok()) {
    std::fprintf(stderr, "error: --traffic: %s\n", parsed.status().ToString().c_str());
    return {};
  }
  for (const RejectedRecord& r : parsed->rejected) {
    std::fprintf(stderr, "warning: --traffic %s: %s\n", options.traffic.c_str(),
                 r.message.c_str());
  }
  if (parsed->exchanges.empty()) {
    std::fprintf(stderr, "error: --traffic: no exchange in %s\n", options.traffic.c_str());
  }
  return std::move(parsed->exchanges);
}

// A regex whose RE2 program has more instructions than this is reported by lint: every search
// of it is slow, and finding the extent of a match slower still. Bounded repetitions are the
// usual cause, as RE2 unrolls them ([^{}]{0,60} inside {0,12}: 8,618 instructions; with `*`, 98).
constexpr std::size_t kLargeProgram = 5000;

// "file:line: policy ID: regex of N RE2 instructions ...: /pattern/" for each large regex leaf
// of `c`, once per leaf (a YAML anchor used under several selectors is one leaf).
void LargePrograms(const Condition& c, const std::string& id, std::vector<std::string>* out) {
  if (c.kind == Condition::Kind::kOperator && c.op != nullptr &&
      c.op->ProgramSize() > kLargeProgram) {
    const std::vector<PrefilterPattern> patterns = c.op->Prefilter();
    const std::string pattern =
        Abbreviated(patterns.empty() ? c.name : patterns.front().expression, 60);
    std::string line = c.mark.ToString() + ": policy " + id + ": regex of " +
                       std::to_string(c.op->ProgramSize()) +
                       " RE2 instructions, slow to search (bounded repetitions unroll): /" +
                       pattern + "/";
    if (std::find(out->begin(), out->end(), line) == out->end()) out->push_back(std::move(line));
  }
  for (const Condition& child : c.children) LargePrograms(child, id, out);
}

int Lint(const CompiledPolicySet& set, const PolicyCommandOptions& options) {
  const auto& policies = set.policies();
  std::size_t warnings = 0;
  for (std::size_t i = 0; i < policies.size(); ++i) {
    std::vector<std::string> large;
    const Policy& p = policies[i];
    LargePrograms(p.filter, p.id, &large);
    for (const auto* c : {&p.ignore, &p.success_filter, &p.failure_filter, &p.success}) {
      if (c->has_value()) LargePrograms(**c, p.id, &large);
    }
    for (const std::string& line : large) {
      ++warnings;
      std::printf("%s\n", line.c_str());
    }
    const PrefilterInfo& info = set.prefilter_info(i);
    const std::string where = policies[i].source.ToString();
    if (info.always) {
      ++warnings;
      std::printf("%s: policy %s: no prefilterable literal; evaluated on every exchange\n",
                  where.c_str(), policies[i].id.c_str());
      for (const std::string& why : info.open_because) {
        std::printf("  open through %s\n", why.c_str());
      }
      if (info.more_open > 0) std::printf("  open through %zu more\n", info.more_open);
    }
    for (const auto& r : info.approximate) {
      std::printf("%s: policy %s: regex used approximately by the prefilter: %s\n", where.c_str(),
                  policies[i].id.c_str(), r.c_str());
    }
    for (const auto& r : info.unusable) {
      ++warnings;
      std::printf("%s: policy %s: regex the prefilter cannot use: %s\n", where.c_str(),
                  policies[i].id.c_str(), r.c_str());
    }
  }

  const std::vector<Exchange> exchanges = LintTraffic(options);
  if (exchanges.empty()) return 2;
  std::vector<Cost> costs(policies.size());
  ScanScratch scratch;
  std::vector<std::size_t> candidates;
  double prefilter_ns = 0;
  using Clock = std::chrono::steady_clock;
  for (const Exchange& ex : exchanges) {
    View view = BuildView(ex, NormalizeOptions{});
    auto t0 = Clock::now();
    set.Candidates(view, scratch, &candidates);
    prefilter_ns += std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
    for (std::size_t i : candidates) {
      Finding f;
      auto t1 = Clock::now();
      bool hit = set.Evaluate(i, view, scratch, &f);
      costs[i].eval_ns += std::chrono::duration<double, std::nano>(Clock::now() - t1).count();
      ++costs[i].candidate;
      costs[i].matched += hit ? 1 : 0;
    }
  }
  const double n = static_cast<double>(std::max<std::size_t>(exchanges.size(), 1));
  const PrefilterStats stats = set.prefilter_stats();
  std::printf(
      "\nprefilter: %zu literal/atom slot(s) over %zu transform chain(s), %zu requirement "
      "node(s)\n",
      stats.slots, stats.chains, stats.nodes);
  std::printf("cost on %zu %s exchanges (prefilter %.1f us/exchange):\n", exchanges.size(),
              options.traffic.empty() ? "sample" : "traffic", prefilter_ns / n / 1000.0);
  std::printf("%-40s %10s %10s %14s\n", "POLICY", "CANDIDATE", "MATCHED", "US/EXCHANGE");
  for (std::size_t i = 0; i < policies.size(); ++i) {
    std::printf("%-40s %9.1f%% %9.1f%% %14.2f\n", policies[i].id.c_str(),
                100.0 * static_cast<double>(costs[i].candidate) / n,
                100.0 * static_cast<double>(costs[i].matched) / n, costs[i].eval_ns / n / 1000.0);
  }
  std::printf("%zu warning(s)\n", warnings);
  return 0;
}

}  // namespace

int RunPolicyCommand(const PolicyCommandOptions& options) {
  if (options.files.empty()) {
    std::fprintf(stderr, "error: no policy files given\n");
    return 2;
  }
  auto set = LoadAndCompile(options.files);
  if (set == nullptr) return 2;
  if (options.action == "validate") return Validate(*set, options.files.size());
  if (options.action == "test") return Test(*set);
  if (options.action == "lint") return Lint(*set, options);
  std::fprintf(stderr, "error: unknown policy action '%s'\n", options.action.c_str());
  return 2;
}

}  // namespace warden
