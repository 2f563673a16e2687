// warden_accuracy: measures the detection rate and the false-positive rate of a policy set on a
// labeled traffic file.
//
// Input: JSON Lines, one request per line, in the format the JSONL ingest reads (Akto records or
// the labeled-corpus variant with `headers` and `body`), plus three label fields that only this
// tool reads:
//   "label":    "attack" or "benign"
//   "category": the attack class ("sqli", "xss", ...; "benign" for benign lines)
//   "source":   where the line came from, "<folder>/<file>#<entry>"; the top folder names the
//               source in the benign report
// e.g. the shared corpus's traffic/dev.jsonl (../shared/corpus/traffic/dev.jsonl beside the repo).
//
// Each request is normalized with default options and scanned with the whole policy set, as the
// pipeline does. An attack request counts as detected when any policy fires on it (not
// necessarily the one named after its category: a category is a label of the data set, not a
// policy id). A benign request with any finding is a false positive.
//
// Usage:
//   warden_accuracy --input FILE [--policies DIR]... [--with-builtin]
//                   [--show-misses CATEGORY N]... [--show-fp SOURCE N]...
//                   [--show-policy POLICY N]... [--by-source]
//
//   --policies DIR       scan with the policies of DIR instead of the built-in library (so a
//                        working copy can be measured without a rebuild); repeatable
//   --with-builtin       with --policies: start from the built-in library and let DIR add to it
//                        or replace policies by id, as `warden --policies` does
//   --show-misses C N    print up to N undetected attack requests of category C ("all": any)
//   --show-fp S N        print up to N false positives of benign source S (top folder, or a
//                        prefix of the full source; "all": any), with the policy and fragment
//   --show-policy P N    print up to N benign requests policy P fired on
//   --by-source          also break detection down by category and source
//
// Exit status: 0 after a report, 2 on bad usage or unreadable input/policies.
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "app/policy_sources.h"
#include "common/strings.h"
#include "detect/engine.h"
#include "ingest/formats.h"
#include "normalize/normalize.h"

namespace warden {
namespace {

struct Label {
  bool attack = false;
  std::string category;
  std::string source;      // full source field
  std::string top_source;  // its first path component
};

struct Options {
  std::string input;
  std::vector<std::string> policy_dirs;
  bool with_builtin = false;
  bool by_source = false;
  std::map<std::string, int> show_misses;  // category -> count
  std::map<std::string, int> show_fp;      // source prefix -> count
  std::map<std::string, int> show_policy;  // policy id -> count
};

[[noreturn]] void Usage(const char* error) {
  if (error != nullptr) std::fprintf(stderr, "error: %s\n\n", error);
  std::fprintf(stderr,
               "usage: warden_accuracy --input FILE [--policies DIR]... [--with-builtin]\n"
               "                       [--show-misses CATEGORY N]... [--show-fp SOURCE N]...\n"
               "                       [--show-policy POLICY N]... [--by-source]\n");
  std::exit(2);
}

int CountArg(const char* text) {
  char* end = nullptr;
  long n = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || n < 0 || n > 1000000) Usage("N must be a count");
  return static_cast<int>(n);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto need = [&](int n) {
      if (i + n >= argc) Usage("missing value");
    };
    if (a == "--input") {
      need(1);
      o.input = argv[++i];
    } else if (a == "--policies") {
      need(1);
      o.policy_dirs.push_back(argv[++i]);
    } else if (a == "--with-builtin") {
      o.with_builtin = true;
    } else if (a == "--by-source") {
      o.by_source = true;
    } else if (a == "--show-misses" || a == "--show-fp" || a == "--show-policy") {
      need(2);
      std::string key = argv[i + 1];
      int n = CountArg(argv[i + 2]);
      i += 2;
      auto& m = a == "--show-misses" ? o.show_misses
                : a == "--show-fp"   ? o.show_fp
                                     : o.show_policy;
      m[key] = n;
    } else if (a == "-h" || a == "--help") {
      Usage(nullptr);
    } else {
      Usage(("unknown argument " + std::string(a)).c_str());
    }
  }
  if (o.input.empty()) Usage("--input is required");
  return o;
}

// Label fields by 1-based line number, splitting lines exactly as ParseAktoJsonl does.
std::vector<Label> ReadLabels(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<Label> labels(1);  // index 0 unused
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    Label l;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(line, ec);
    if (!ec && v.is_object()) {
      const auto& obj = v.as_object();
      auto str = [&](const char* k) -> std::string {
        auto it = obj.find(k);
        return it != obj.end() && it->value().is_string()
                   ? std::string(it->value().as_string().c_str())
                   : std::string();
      };
      l.attack = str("label") == "attack";
      l.category = str("category");
      if (l.category.empty()) l.category = l.attack ? "unlabeled" : "benign";
      l.source = str("source");
      l.top_source = l.source.substr(0, l.source.find('/'));
      if (l.top_source.empty()) l.top_source = "(none)";
    }
    labels.push_back(std::move(l));
  }
  return labels;
}

// Attacker-controlled text made safe for a terminal, cut to `max` bytes.
std::string Printable(std::string_view s, std::size_t max) {
  std::string out;
  for (char ch : TruncateUtf8(s, max)) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out = SanitizeUtf8(out);
  if (s.size() > max) out += "...";
  return out;
}

void PrintRequest(const Exchange& ex, const Label& l) {
  std::printf("  [%s] %s %s\n", Printable(l.source, 90).c_str(), Printable(ex.method, 8).c_str(),
              Printable(ex.target, 300).c_str());
  for (const auto& h : ex.request_headers) {
    std::string name = AsciiLowered(h.name);
    if (name == "host" || name == "accept" || name == "connection" || name == "content-length" ||
        name == "accept-encoding" || name == "accept-language" || name == "accept-charset" ||
        name == "pragma" || name == "cache-control") {
      continue;
    }
    std::printf("      %s: %s\n", Printable(h.name, 40).c_str(), Printable(h.value, 200).c_str());
  }
  if (!ex.request_body.empty()) {
    std::printf("      body: %s\n", Printable(ex.request_body, 300).c_str());
  }
}

bool SourceMatches(const std::string& want, const Label& l) {
  return want == "all" || l.top_source == want || l.source.rfind(want, 0) == 0;
}

struct Count {
  std::size_t hit = 0;
  std::size_t total = 0;
};

std::string Rate(const Count& c) {
  char buf[32];
  if (c.total == 0) return "-";
  std::snprintf(buf, sizeof(buf), "%.2f%%", 100.0 * static_cast<double>(c.hit) /
                                                static_cast<double>(c.total));
  return buf;
}

int Run(const Options& o) {
  std::ifstream in(o.input, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "error: cannot open %s\n", o.input.c_str());
    return 2;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  auto parsed = ParseAktoJsonl(text, ParseOptions{});
  if (!parsed.ok()) {
    std::fprintf(stderr, "error: %s: %s\n", o.input.c_str(), parsed.status().ToString().c_str());
    return 2;
  }
  std::vector<Label> labels = ReadLabels(text);

  PolicySources sources;
  sources.builtin = o.policy_dirs.empty() || o.with_builtin;
  sources.dirs = o.policy_dirs;
  auto policies = LoadConfiguredPolicies(sources);
  if (!policies.ok()) {
    std::fprintf(stderr, "error: policies: %s\n", policies.status().ToString().c_str());
    return 2;
  }
  auto compiled = CompilePolicies(std::move(policies).value());
  if (!compiled.ok()) {
    std::fprintf(stderr, "error: policies: %s\n", compiled.status().ToString().c_str());
    return 2;
  }
  const CompiledPolicySet& set = **compiled;

  std::map<std::string, Count> by_category;                      // attack detection
  std::map<std::string, Count> by_benign_source;                 // benign FPs
  std::map<std::pair<std::string, std::string>, Count> by_cat_source;
  std::map<std::string, std::map<std::string, std::size_t>> policy_fp;  // policy -> source -> n
  std::map<std::string, std::size_t> policy_attack_hits;
  std::map<std::string, std::size_t> policy_sole_hits;  // attacks only this policy detected
  std::map<std::string, int> shown_misses;
  std::map<std::string, int> shown_fp;
  std::map<std::string, int> shown_policy;
  std::vector<std::string> miss_lines;

  NormalizeOptions nopts;
  ScanScratch scratch;
  std::vector<Finding> findings;
  std::size_t unlabeled = 0;
  auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < parsed->exchanges.size(); ++i) {
    const Exchange& ex = parsed->exchanges[i];
    std::size_t line = parsed->input_index[i];
    if (line >= labels.size()) {
      ++unlabeled;
      continue;
    }
    const Label& l = labels[line];
    View view = BuildView(ex, nopts);
    findings.clear();
    set.Scan(view, scratch, &findings);
    // Monitor-mode findings are findings too: they are what an operator would see.
    const bool fired = !findings.empty();

    if (l.attack) {
      Count& c = by_category[l.category];
      ++c.total;
      Count& cs = by_cat_source[{l.category, l.top_source}];
      ++cs.total;
      if (fired) {
        ++c.hit;
        ++cs.hit;
        for (const auto& f : findings) ++policy_attack_hits[f.policy_id];
        if (findings.size() == 1) ++policy_sole_hits[findings.front().policy_id];
      } else {
        for (const auto& [want, n] : o.show_misses) {
          if ((want == "all" || want == l.category) && shown_misses[want] < n) {
            ++shown_misses[want];
            std::printf("MISS %s\n", l.category.c_str());
            PrintRequest(ex, l);
          }
        }
      }
    } else {
      Count& c = by_benign_source[l.top_source];
      ++c.total;
      if (fired) {
        ++c.hit;
        for (const auto& f : findings) ++policy_fp[f.policy_id][l.top_source];
        for (const auto& [want, n] : o.show_fp) {
          if (SourceMatches(want, l) && shown_fp[want] < n) {
            ++shown_fp[want];
            std::printf("FP %s\n", l.top_source.c_str());
            PrintRequest(ex, l);
            for (const auto& f : findings) {
              std::printf("      -> %s at %s: %s\n", f.policy_id.c_str(),
                          Printable(f.location, 60).c_str(), Printable(f.matched, 120).c_str());
            }
          }
        }
        for (const auto& f : findings) {
          auto want = o.show_policy.find(f.policy_id);
          if (want != o.show_policy.end() && shown_policy[f.policy_id] < want->second) {
            ++shown_policy[f.policy_id];
            std::printf("POLICY-FP %s (%s)\n", f.policy_id.c_str(), l.top_source.c_str());
            PrintRequest(ex, l);
            std::printf("      -> at %s: %s\n", Printable(f.location, 60).c_str(),
                        Printable(f.matched, 120).c_str());
          }
        }
      }
    }
  }
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::printf("\n%zu requests (%zu rejected by the parser, %zu without a label), %zu policies, "
              "%.1f s (%.0f requests/s, normalize + scan, one thread)\n\n",
              parsed->exchanges.size(), parsed->rejected.size(), unlabeled,
              set.policies().size(), secs,
              secs > 0 ? static_cast<double>(parsed->exchanges.size()) / secs : 0.0);

  Count attack_all;
  std::printf("%-16s %9s %7s %8s\n", "attack category", "detected", "total", "rate");
  for (const auto& [cat, c] : by_category) {
    std::printf("%-16s %9zu %7zu %8s\n", cat.c_str(), c.hit, c.total, Rate(c).c_str());
    attack_all.hit += c.hit;
    attack_all.total += c.total;
  }
  std::printf("%-16s %9zu %7zu %8s\n\n", "(all attacks)", attack_all.hit, attack_all.total,
              Rate(attack_all).c_str());

  Count benign_all;
  std::printf("%-24s %6s %7s %8s\n", "benign source", "FP", "total", "rate");
  for (const auto& [src, c] : by_benign_source) {
    std::printf("%-24s %6zu %7zu %8s\n", src.c_str(), c.hit, c.total, Rate(c).c_str());
    benign_all.hit += c.hit;
    benign_all.total += c.total;
  }
  std::printf("%-24s %6zu %7zu %8s\n\n", "(all benign)", benign_all.hit, benign_all.total,
              Rate(benign_all).c_str());

  std::printf("%-28s %8s %8s %8s  %s\n", "policy", "attacks", "alone", "FP", "FP by source");
  for (const auto& p : set.policies()) {
    std::size_t fp = 0;
    std::string detail;
    auto it = policy_fp.find(p.id);
    if (it != policy_fp.end()) {
      for (const auto& [src, n] : it->second) {
        fp += n;
        detail += src + "=" + std::to_string(n) + " ";
      }
    }
    std::printf("%-28s %8zu %8zu %8zu  %s\n", p.id.c_str(), policy_attack_hits[p.id],
                policy_sole_hits[p.id], fp, detail.c_str());
  }

  if (o.by_source) {
    std::printf("\n%-16s %-24s %9s %7s %8s\n", "attack category", "source", "detected", "total",
                "rate");
    for (const auto& [key, c] : by_cat_source) {
      std::printf("%-16s %-24s %9zu %7zu %8s\n", key.first.c_str(), key.second.c_str(), c.hit,
                  c.total, Rate(c).c_str());
    }
  }
  std::fflush(stdout);
  return 0;
}

}  // namespace
}  // namespace warden

int main(int argc, char** argv) { return warden::Run(warden::ParseArgs(argc, argv)); }
