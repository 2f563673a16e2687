// traffic_bench: runs labeled JSON Lines traffic through normalize + the compiled policies and
// prints detection per label, false positives, throughput (one thread and all cores), latency
// percentiles and peak memory. With --modsec PL=SUMMARY.json (summaries written by the
// ModSecurity + CRS anchor on the same file) it prints the ratios side by side.
//
//   traffic_bench --input sample.jsonl [--threads N] [--rounds R] [--policies DIR]
//                 [--modsec 1=build/modsec-pl1.json --modsec 2=build/modsec-pl2.json]
//                 [--json-out FILE]
//
// A line's class is its "category" when "label" is "attack" (the corpus format), otherwise its
// "label" (the anchor's format: "benign", "sqli", ...). "benign" is the negative class.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/policy_sources.h"
#include "common/strings.h"
#include "detect/engine.h"
#include "ingest/formats.h"
#include "normalize/normalize.h"

namespace warden {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string input;
  int threads = 0;
  int rounds = 3;
  std::vector<std::string> policy_dirs;
  std::vector<std::pair<int, std::string>> modsec;  // (paranoia level, summary file)
  std::string json_out;
};

struct LabelStats {
  std::int64_t count = 0;
  std::int64_t detected = 0;
};

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// CPU time of the calling thread: on a shared machine it moves far less than wall time.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::int64_t PeakRssKiB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

std::size_t ExchangeBytes(const Exchange& e) {
  std::size_t n = e.method.size() + e.target.size() + e.request_body.size() + e.response_body.size();
  for (const auto& h : e.request_headers) n += h.name.size() + h.value.size() + 4;
  for (const auto& h : e.response_headers) n += h.name.size() + h.value.size() + 4;
  return n;
}

bool ParseArgs(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--input") {
      o->input = next();
    } else if (a == "--threads") {
      o->threads = std::atoi(next().c_str());
    } else if (a == "--rounds") {
      o->rounds = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--policies") {
      o->policy_dirs.push_back(next());
    } else if (a == "--modsec") {
      std::string v = next();
      std::size_t eq = v.find('=');
      if (eq == std::string::npos) {
        std::fprintf(stderr, "--modsec wants PL=FILE\n");
        return false;
      }
      o->modsec.emplace_back(std::atoi(v.substr(0, eq).c_str()), v.substr(eq + 1));
    } else if (a == "--json-out") {
      o->json_out = next();
    } else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return false;
    }
  }
  if (o->input.empty()) {
    std::fprintf(stderr, "usage: traffic_bench --input FILE.jsonl [options]\n");
    return false;
  }
  return true;
}

// The class of every non-blank line, in input order.
std::vector<std::string> ReadClasses(const std::string& text) {
  std::vector<std::string> classes;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (TrimSpace(line).empty()) continue;
    std::string cls = "unlabeled";
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    if (!ec && v.is_object()) {
      const auto& o = v.as_object();
      const auto* label = o.if_contains("label");
      const auto* category = o.if_contains("category");
      if (label != nullptr && label->is_string()) cls = std::string(label->as_string());
      if (cls == "attack" && category != nullptr && category->is_string()) {
        cls = std::string(category->as_string());
      }
    }
    classes.push_back(cls);
  }
  return classes;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t idx = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[idx];
}

int Run(const Options& opt) {
  std::ifstream in(opt.input, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", opt.input.c_str());
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::vector<std::string> classes = ReadClasses(text);
  auto parsed = ParseAktoJsonl(text, ParseOptions{});
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", parsed.status().ToString().c_str());
    return 2;
  }
  const auto& exchanges = parsed->exchanges;
  std::size_t total_bytes = 0;
  for (const auto& e : exchanges) total_bytes += ExchangeBytes(e);

  auto load_start = Clock::now();
  PolicySources sources;
  sources.dirs = opt.policy_dirs;
  auto policies = LoadConfiguredPolicies(sources);
  if (!policies.ok()) {
    std::fprintf(stderr, "%s\n", policies.status().ToString().c_str());
    return 2;
  }
  auto compiled = CompilePolicies(std::move(policies).value());
  if (!compiled.ok()) {
    std::fprintf(stderr, "%s\n", compiled.status().ToString().c_str());
    return 2;
  }
  double load_s = Seconds(Clock::now() - load_start);
  const CompiledPolicySet& set = **compiled;
  NormalizeOptions nopts;

  // Detection and latency: one thread, first round.
  std::vector<char> detected(exchanges.size(), 0);
  std::vector<double> latency_us;
  latency_us.reserve(exchanges.size());
  std::map<std::string, std::int64_t> fp_policies;
  {
    ScanScratch scratch;
    std::vector<Finding> findings;
    for (std::size_t i = 0; i < exchanges.size(); ++i) {
      auto t0 = Clock::now();
      View v = BuildView(exchanges[i], nopts);
      findings.clear();
      set.Scan(v, scratch, &findings);
      latency_us.push_back(Seconds(Clock::now() - t0) * 1e6);
      detected[i] = !findings.empty();
      std::size_t line = parsed->input_index[i] - 1;
      if (!findings.empty() && line < classes.size() && classes[line] == "benign") {
        for (const auto& f : findings) ++fp_policies[f.policy_id];
      }
    }
  }

  // Throughput: `rounds` timed passes on one thread, then on all threads.
  auto pass = [&](std::size_t begin, std::size_t end, ScanScratch& scratch) {
    std::vector<Finding> findings;
    std::size_t n = 0;
    for (std::size_t i = begin; i < end; ++i) {
      View v = BuildView(exchanges[i], nopts);
      findings.clear();
      set.Scan(v, scratch, &findings);
      n += findings.size();
    }
    return n;
  };
  std::vector<double> single_rates;
  std::vector<double> cpu_rates;
  // Every timed pass starts with a fresh scratch: the verdicts it remembers across scans
  // (VerdictCache) then gain only from texts that recur within the traffic, as a server's do,
  // not from replaying the same traffic.
  {
    for (int r = 0; r < opt.rounds; ++r) {
      ScanScratch scratch;
      auto t0 = Clock::now();
      double c0 = ThreadCpuSeconds();
      pass(0, exchanges.size(), scratch);
      double cpu = ThreadCpuSeconds() - c0;
      single_rates.push_back(static_cast<double>(exchanges.size()) / Seconds(Clock::now() - t0));
      cpu_rates.push_back(static_cast<double>(exchanges.size()) / std::max(cpu, 1e-9));
    }
  }
  int threads = opt.threads > 0 ? opt.threads
                                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<double> multi_rates;
  // With one thread the "all threads" figure is the single-thread one: no second pass. Workers
  // live across the rounds, as a server's do, and first make one untimed pass over their share:
  // each thread's first scans build its own regex copies and their caches.
  if (threads > 1) {
    std::barrier sync(threads + 1);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      std::size_t begin = exchanges.size() * static_cast<std::size_t>(t) / static_cast<std::size_t>(threads);
      std::size_t end = exchanges.size() * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(threads);
      pool.emplace_back([&, begin, end] {
        {
          ScanScratch warm_up;
          pass(begin, end, warm_up);
        }
        for (int r = 0; r < opt.rounds; ++r) {
          ScanScratch scratch;
          sync.arrive_and_wait();  // start together
          pass(begin, end, scratch);
          sync.arrive_and_wait();  // all done
        }
      });
    }
    for (int r = 0; r < opt.rounds; ++r) {
      sync.arrive_and_wait();
      auto t0 = Clock::now();
      sync.arrive_and_wait();
      multi_rates.push_back(static_cast<double>(exchanges.size()) / Seconds(Clock::now() - t0));
    }
    for (auto& th : pool) th.join();
  }
  std::sort(single_rates.begin(), single_rates.end());
  std::sort(multi_rates.begin(), multi_rates.end());
  std::sort(cpu_rates.begin(), cpu_rates.end());
  double single = single_rates[single_rates.size() / 2];
  double single_cpu = cpu_rates[cpu_rates.size() / 2];
  double multi = multi_rates.empty() ? single : multi_rates[multi_rates.size() / 2];
  double mb_per_s = single * static_cast<double>(total_bytes) /
                    static_cast<double>(std::max<std::size_t>(1, exchanges.size())) / (1 << 20);

  std::map<std::string, LabelStats> per_class;
  for (std::size_t i = 0; i < exchanges.size(); ++i) {
    std::size_t line = parsed->input_index[i] - 1;
    const std::string& cls = line < classes.size() ? classes[line] : "unlabeled";
    auto& st = per_class[cls];
    ++st.count;
    st.detected += detected[i];
  }

  std::printf("engine: warden | policies: %zu | load+compile %.3f s | exchanges: %zu (%zu rejected) "
              "| %.1f MiB\n",
              set.policies().size(), load_s, exchanges.size(), parsed->rejected.size(),
              static_cast<double>(total_bytes) / (1 << 20));
  std::printf("throughput, 1 thread (median of %d): %.0f exchanges/s, %.1f MB/s\n", opt.rounds,
              single, mb_per_s);
  std::printf("throughput, 1 thread, CPU time (median of %d): %.0f exchanges/s, %.1f us per "
              "exchange\n",
              opt.rounds, single_cpu, 1e6 / single_cpu);
  std::printf("throughput, %d threads (median of %d): %.0f exchanges/s\n", threads, opt.rounds,
              multi);
  std::printf("latency per exchange (us): p50 %.1f | p90 %.1f | p99 %.1f | max %.1f\n",
              Percentile(latency_us, 0.5), Percentile(latency_us, 0.9),
              Percentile(latency_us, 0.99), Percentile(latency_us, 1.0));
  std::printf("peak RSS: %.1f MiB (includes the parsed input)\n",
              static_cast<double>(PeakRssKiB()) / 1024);
  std::printf("%-16s %8s %9s %8s\n", "class", "count", "detected", "rate");
  std::int64_t attacks = 0;
  std::int64_t attacks_detected = 0;
  for (const auto& [cls, st] : per_class) {
    std::printf("%-16s %8lld %9lld %7.2f%%%s\n", cls.c_str(), static_cast<long long>(st.count),
                static_cast<long long>(st.detected),
                100.0 * static_cast<double>(st.detected) / static_cast<double>(std::max<std::int64_t>(1, st.count)),
                cls == "benign" ? "  (false-positive rate)" : "");
    if (cls != "benign") {
      attacks += st.count;
      attacks_detected += st.detected;
    }
  }
  std::printf("%-16s %8lld %9lld %7.2f%%\n", "ALL ATTACKS", static_cast<long long>(attacks),
              static_cast<long long>(attacks_detected),
              100.0 * static_cast<double>(attacks_detected) / static_cast<double>(std::max<std::int64_t>(1, attacks)));
  if (!fp_policies.empty()) {
    std::printf("policies in false positives:");
    for (const auto& [id, n] : fp_policies) std::printf(" %s:%lld", id.c_str(), static_cast<long long>(n));
    std::printf("\n");
  }

  boost::json::object summary;
  summary["exchanges"] = exchanges.size();
  summary["policies"] = set.policies().size();
  summary["exchanges_per_second_1_thread"] = single;
  summary["exchanges_per_second_1_thread_cpu"] = single_cpu;
  summary["exchanges_per_second_all_threads"] = multi;
  summary["threads"] = threads;
  summary["mb_per_second_1_thread"] = mb_per_s;
  summary["peak_rss_kib"] = PeakRssKiB();
  boost::json::object labels;
  for (const auto& [cls, st] : per_class) {
    labels[cls] = {{"count", st.count}, {"detected", st.detected}};
  }
  summary["labels"] = labels;

  for (const auto& [pl, file] : opt.modsec) {
    std::ifstream mf(file);
    std::stringstream ms;
    ms << mf.rdbuf();
    boost::system::error_code ec;
    auto mv = boost::json::parse(ms.str(), ec);
    if (ec || !mv.is_object()) {
      std::fprintf(stderr, "cannot read ModSecurity summary %s\n", file.c_str());
      continue;
    }
    const auto& m = mv.as_object();
    double m_rps = m.at("requests_per_second").to_number<double>();
    std::printf("\n== side by side with ModSecurity + CRS PL%d (%s)\n", pl, file.c_str());
    std::printf("throughput 1 thread: warden %.0f/s vs modsec %.0f/s = %.1fx\n", single, m_rps,
                single / m_rps);
    const auto* m_cpu = m.if_contains("cpu_seconds");
    const auto* m_requests = m.if_contains("requests");
    if (m_cpu != nullptr && m_requests != nullptr && m_cpu->to_number<double>() > 0) {
      double m_cpu_rps = m_requests->to_number<double>() / m_cpu->to_number<double>();
      std::printf("throughput 1 thread, CPU time: warden %.0f/s vs modsec %.0f/s = %.1fx\n",
                  single_cpu, m_cpu_rps, single_cpu / m_cpu_rps);
    }
    std::printf("%-16s %12s %12s\n", "class", "warden", "modsec");
    const auto& mlabels = m.at("labels").as_object();
    for (const auto& [cls, st] : per_class) {
      const auto* ml = mlabels.if_contains(cls);
      double ours = 100.0 * static_cast<double>(st.detected) / static_cast<double>(std::max<std::int64_t>(1, st.count));
      if (ml == nullptr) {
        std::printf("%-16s %11.2f%% %12s\n", cls.c_str(), ours, "-");
        continue;
      }
      double theirs = 100.0 * ml->at("detected").to_number<double>() /
                      std::max(1.0, ml->at("count").to_number<double>());
      std::printf("%-16s %11.2f%% %11.2f%%%s\n", cls.c_str(), ours, theirs,
                  cls == "benign" ? "  (false positives)" : "");
    }
  }
  if (!opt.json_out.empty()) {
    std::ofstream out(opt.json_out);
    out << boost::json::serialize(summary) << "\n";
  }
  return 0;
}

}  // namespace
}  // namespace warden

int main(int argc, char** argv) {
  warden::Options opt;
  if (!warden::ParseArgs(argc, argv, &opt)) return 2;
  return warden::Run(opt);
}
