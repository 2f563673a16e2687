#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "app/cli_support.h"
#include "app/commands.h"
#include "common/strings.h"
#include "detect/engine.h"
#include "normalize/normalize.h"

namespace warden {

std::optional<std::string> ReadInput(const std::string& path, std::string* error) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open " + path;
    return std::nullopt;
  }
  ss << in.rdbuf();
  return ss.str();
}

namespace {

// Makes attacker-controlled text safe for a terminal: control bytes and invalid UTF-8 are
// escaped, so a payload cannot move the cursor or recolour the screen.
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
  if (s.size() > max) out += "…";
  return out;
}

}  // namespace

int RunScan(const ScanOptions& options) {
  auto parsed = ReadTraffic(options.file, options.format, ParseOptions{});
  if (!parsed.ok()) {
    std::fprintf(stderr, "error: %s\n", parsed.status().message().c_str());
    return 2;
  }
  auto policies = LoadConfiguredPolicies(options.policies);
  if (!policies.ok()) {
    std::fprintf(stderr, "error: policies: %s\n", policies.status().ToString().c_str());
    return 2;
  }
  auto compiled = CompilePolicies(std::move(policies).value());
  if (!compiled.ok()) {
    std::fprintf(stderr, "error: policies: %s\n", compiled.status().ToString().c_str());
    return 2;
  }

  NormalizeOptions nopts;
  nopts.trusted_proxies = options.trusted_proxies;
  ScanScratch scratch;
  std::vector<Finding> findings;
  std::size_t total = 0;
  bool gate = false;
  if (!options.json) {
    std::printf("%-6s %-7s %-40s %-26s %-8s %-22s %s\n", "INDEX", "METHOD", "URL", "POLICY",
                "SEVERITY", "LOCATION", "MATCHED");
  }
  for (std::size_t i = 0; i < parsed->exchanges.size(); ++i) {
    const Exchange& ex = parsed->exchanges[i];
    std::size_t index = i < parsed->input_index.size() ? parsed->input_index[i] : i;
    View view = BuildView(ex, nopts);
    findings.clear();
    (*compiled)->Scan(view, scratch, &findings);
    for (const auto& f : findings) {
      ++total;
      if (options.fail_on && !f.monitor_only && f.severity >= *options.fail_on) gate = true;
      if (options.json) {
        boost::json::object o;
        o["index"] = index;
        o["method"] = SanitizeUtf8(view.method);
        o["host"] = SanitizeUtf8(view.host);
        o["url"] = SanitizeUtf8(ex.target);
        o["policy"] = SanitizeUtf8(f.policy_id);
        o["name"] = SanitizeUtf8(f.policy_name);
        o["severity"] = SeverityName(f.severity);
        o["category"] = SanitizeUtf8(f.category.name);
        o["subCategory"] = SanitizeUtf8(f.category.sub_category);
        o["location"] = SanitizeUtf8(f.location);
        o["matched"] = SanitizeUtf8(f.matched);
        o["successfulExploit"] = f.successful_exploit;
        o["monitorOnly"] = f.monitor_only;
        std::printf("%s\n", boost::json::serialize(o).c_str());
      } else {
        std::printf("%-6zu %-7s %-40s %-26s %-8s %-22s %s\n", index,
                    Printable(view.method, 7).c_str(), Printable(ex.target, 40).c_str(),
                    Printable(f.policy_id, 26).c_str(),
                    std::string(SeverityName(f.severity)).c_str(),
                    Printable(f.location, 22).c_str(), Printable(f.matched, 60).c_str());
      }
    }
  }
  if (!options.json) {
    std::printf("\n%zu exchanges scanned, %zu findings, %zu records skipped\n",
                parsed->exchanges.size(), total, parsed->rejected.size());
  }
  std::fflush(stdout);
  return gate ? 1 : 0;
}

}  // namespace warden
