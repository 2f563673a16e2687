// End-to-end: `warden scan` as a CI gate.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "e2e/server_process.h"

namespace warden::testing {
namespace {

const std::string kHar = std::string(WARDEN_SOURCE_DIR) + "/tests/e2e/testdata/attack.har";

std::vector<boost::json::object> JsonLines(const std::string& out) {
  std::vector<boost::json::object> rows;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) rows.push_back(boost::json::parse(line).as_object());
  }
  return rows;
}

TEST(ScanTest, JsonFindingAndFailOnGate) {
  auto r = RunWarden({"scan", "--json", "--fail-on", "medium", kHar});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto rows = JsonLines(r.out);
  ASSERT_EQ(rows.size(), 1u) << r.out;
  EXPECT_EQ(rows[0].at("index").as_int64(), 1);
  EXPECT_EQ(rows[0].at("policy").as_string(), "LocalFileInclusionLFIRFI");
  EXPECT_EQ(rows[0].at("method").as_string(), "GET");
  EXPECT_FALSE(rows[0].at("location").as_string().empty());
  EXPECT_FALSE(rows[0].at("severity").as_string().empty());
  EXPECT_FALSE(rows[0].at("category").as_string().empty());
}

TEST(ScanTest, NoGateMeansSuccessAndTableOutput) {
  auto r = RunWarden({"scan", kHar});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("LocalFileInclusionLFIRFI"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 exchanges scanned, 1 findings"), std::string::npos) << r.out;
}

TEST(ScanTest, BadInputsExitTwoWithAMessage) {
  auto missing = RunWarden({"scan", "/nonexistent/file.har"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("cannot open"), std::string::npos);
  auto bad_gate = RunWarden({"scan", "--fail-on", "severe", kHar});
  EXPECT_EQ(bad_gate.exit_code, 2);
  EXPECT_NE(bad_gate.err.find("--fail-on"), std::string::npos);
}

// `warden policy lint --traffic`: each policy's cost on the user's own JSON Lines traffic.
TEST(PolicyLintTest, ProfilesOnGivenTraffic) {
  const std::string dir = MakeTempDir();
  const std::string traffic = dir + "/traffic.jsonl";
  {
    std::ofstream out(traffic);
    out << R"({"method":"GET","path":"/items?id=1%27%20or%20%271%27=%271","headers":{"host":"a"}})"
        << "\n"
        << R"({"method":"GET","path":"/items?id=7","headers":{"host":"a"}})" << "\n"
        << "not json\n";
  }
  const std::string policy = std::string(WARDEN_SOURCE_DIR) + "/policies/sql_injection.yaml";
  auto r = RunWarden({"policy", "lint", policy, "--traffic", traffic});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("cost on 2 traffic exchanges"), std::string::npos) << r.out;
  // The policy is open on every exchange; lint names what keeps it open, with its line.
  EXPECT_NE(r.out.find("open through " + policy + ":"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("`sqli` (no pattern: runs on every new text)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("line 3"), std::string::npos) << r.err;
  // One of the two exchanges matches.
  std::istringstream lines(r.out);
  std::string line;
  bool seen = false;
  while (std::getline(lines, line)) {
    if (line.rfind("SQLInjection ", 0) != 0) continue;
    seen = true;
    EXPECT_NE(line.find("50.0%"), std::string::npos) << line;
  }
  EXPECT_TRUE(seen) << r.out;

  const std::string empty = dir + "/empty.jsonl";
  std::ofstream(empty) << "\n";
  auto none = RunWarden({"policy", "lint", policy, "--traffic", empty});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("--traffic: no exchange"), std::string::npos) << none.err;
  auto missing = RunWarden({"policy", "lint", policy, "--traffic", dir + "/absent.jsonl"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("--traffic"), std::string::npos) << missing.err;
}

// `warden policy lint` names a regex whose RE2 program is large, with its file and line, once
// however many selectors share it through a YAML anchor.
TEST(PolicyLintTest, ReportsLargeRegexPrograms) {
  const std::string dir = MakeTempDir();
  const std::string policy = dir + "/nested.yaml";
  std::ofstream(policy) << R"(id: NestedLookup
info:
  name: nested lookup
  severity: HIGH
  category: {name: INJECTION, displayName: Injection}
filter:
  or:
    - query_param: &nested
        or:
          - regex: 'jndi:'
          - regex: '\$\{[jndi]{0,6}\$\{[^{}]{0,60}\}(?:\$\{[^{}]{0,60}\}|[jndi]){0,12}:'
    - request_payload: *nested
)";
  auto r = RunWarden({"policy", "lint", policy});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(policy + ":11: policy NestedLookup: regex of "), std::string::npos)
      << r.out;
  // Once, not once per selector; the small regex beside it is not named.
  const std::string said = "RE2 instructions, slow to search";
  const std::size_t at = r.out.find(said);
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(said, at + 1), std::string::npos) << r.out;
}

}  // namespace
}  // namespace warden::testing
