#include "detect/engine.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detect/policy/loader.h"
#include "test_views.h"

namespace warden {
namespace {

using testing::TestExchange;

std::shared_ptr<const CompiledPolicySet> Compile(const std::string& yaml) {
  auto policies = ParsePolicies(yaml, "engine_test.yaml");
  EXPECT_TRUE(policies.ok()) << policies.status().ToString();
  if (!policies.ok()) return nullptr;
  auto set = CompilePolicies(std::move(policies).value());
  EXPECT_TRUE(set.ok()) << set.status().ToString();
  return set.ok() ? *set : nullptr;
}

std::vector<Finding> Scan(const CompiledPolicySet& set, const View& view) {
  ScanScratch scratch;
  std::vector<Finding> out;
  set.Scan(view, scratch, &out);
  return out;
}

std::vector<std::string> Ids(const std::vector<Finding>& findings) {
  std::vector<std::string> ids;
  for (const auto& f : findings) ids.push_back(f.policy_id);
  return ids;
}

constexpr char kTwoPolicies[] = R"(
id: Quote
info: {name: Quote in query, severity: MEDIUM, category: {name: SQL_INJECTION, displayName: SQLi},
       subCategory: SQLInjection, cwe: [CWE-89]}
filter:
  query_param:
    regex: "'"
ignore:
  request_headers:
    contains_either: internal-scanner
---
id: AdminPath
mode: monitor
filter:
  and:
    - method: {eq: GET}
    - url: {contains_either: [/admin, /internal]}
)";

TEST(EngineTest, FindingCarriesPolicyAndLocation) {
  auto set = Compile(kTwoPolicies);
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Target("/api/items?q=O%27Brien", "/api/items").Param(ParamLocation::kQuery, "q", "O'Brien");
  t.Sync();
  auto findings = Scan(*set, t.view);
  ASSERT_EQ(Ids(findings), std::vector<std::string>{"Quote"});
  const Finding& f = findings[0];
  EXPECT_EQ(f.policy_name, "Quote in query");
  EXPECT_EQ(f.severity, Severity::kMedium);
  EXPECT_EQ(f.category.name, "SQL_INJECTION");
  EXPECT_EQ(f.category.display_name, "SQLi");
  EXPECT_EQ(f.category.sub_category, "SQLInjection");
  EXPECT_EQ(f.category.cwe, std::vector<std::string>{"CWE-89"});
  EXPECT_EQ(f.location, "query:q");
  EXPECT_EQ(f.matched, "'");
  EXPECT_FALSE(f.monitor_only);
}

TEST(EngineTest, IgnoreSuppressesMatch) {
  auto set = Compile(kTwoPolicies);
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Param(ParamLocation::kQuery, "q", "a'b").Header("user-agent", "internal-scanner/1.0");
  t.Sync();
  EXPECT_TRUE(Scan(*set, t.view).empty());
}

TEST(EngineTest, MonitorModeAndMultiplePoliciesInOrder) {
  auto set = Compile(kTwoPolicies);
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Target("/admin/users?q=%27", "/admin/users").Param(ParamLocation::kQuery, "q", "'");
  t.Sync();
  auto findings = Scan(*set, t.view);
  ASSERT_EQ(Ids(findings), (std::vector<std::string>{"Quote", "AdminPath"}));
  EXPECT_FALSE(findings[0].monitor_only);
  EXPECT_TRUE(findings[1].monitor_only);
  // The url witness is preferred to the method one.
  EXPECT_EQ(findings[1].location, "url");
  EXPECT_EQ(findings[1].matched, "/admin");
  // A POST does not satisfy the AND.
  t.Method("POST");
  EXPECT_EQ(Ids(Scan(*set, t.view)), std::vector<std::string>{"Quote"});
}

TEST(EngineTest, AnyPartMatchesKeysAndValues) {
  auto set = Compile(R"(
id: Key
filter:
  request_payload:
    regex: "^\\$where$"
)");
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Param(ParamLocation::kJson, "$where", "1");
  t.Sync();
  auto findings = Scan(*set, t.view);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location, "json:$where");
  EXPECT_EQ(findings[0].matched, "$where");
}

TEST(EngineTest, RawBodyIsAPayloadPart) {
  auto set = Compile("id: B\nfilter: {request_payload: {contains_either: '<!ENTITY'}}\n");
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Method("POST").Body("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///\">]>");
  t.Sync();
  auto findings = Scan(*set, t.view);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location, "body");
  EXPECT_EQ(findings[0].matched, "<!ENTITY");
}

TEST(EngineTest, NegatedOperatorsHoldWhenNoPartMatches) {
  auto set = Compile(R"(
id: NoAuth
filter:
  and:
    - request_headers: {not_contains: [Bearer, Basic]}
    - response_code: {neq: 401, gte: 200, lt: 300}
)");
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Header("accept", "*/*").Response(200, "");
  t.Sync();
  auto findings = Scan(*set, t.view);
  ASSERT_EQ(Ids(findings), std::vector<std::string>{"NoAuth"});
  // Only context and negated leaves decided: the location names the status code.
  EXPECT_EQ(findings[0].location, "response_code");

  TestExchange with_auth;
  with_auth.Header("accept", "*/*").Header("authorization", "Bearer x").Response(200, "");
  with_auth.Sync();
  EXPECT_TRUE(Scan(*set, with_auth.view).empty());

  TestExchange unauthorized;
  unauthorized.Response(401, "");
  unauthorized.Sync();
  EXPECT_TRUE(Scan(*set, unauthorized.view).empty());
}

TEST(EngineTest, NotCombinatorAtBothLevels) {
  auto set = Compile(R"(
id: N
filter:
  query_param:
    regex: "^[0-9]+$"
    not:
      eq: "0"
  not:
    method: {eq: HEAD}
)");
  ASSERT_NE(set, nullptr);
  struct Case {
    const char* name;
    const char* method;
    const char* value;
    bool want;
  };
  const Case cases[] = {
      {"number", "GET", "12", true},
      {"zero_excluded", "GET", "0", false},
      {"text", "GET", "ab", false},
      {"head_excluded", "HEAD", "12", false},
  };
  for (const auto& c : cases) {
    TestExchange t;
    t.Method(c.method).Param(ParamLocation::kQuery, "n", c.value);
    t.Sync();
    EXPECT_EQ(Scan(*set, t.view).size(), c.want ? 1u : 0u) << c.name;
  }
}

TEST(EngineTest, OrPicksFirstMatchingBranchWitness) {
  auto set = Compile(R"(
id: O
filter:
  or:
    - query_param: {contains_either: zzz}
    - request_headers: {regex: "(?i)sqlmap"}
)");
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Header("user-agent", "sqlmap/1.7.2#stable").Param(ParamLocation::kQuery, "q", "a");
  t.Sync();
  auto findings = Scan(*set, t.view);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location, "header:user-agent");
  EXPECT_EQ(findings[0].matched, "sqlmap");
}

TEST(EngineTest, MatchedFragmentIsCapped) {
  auto set = Compile("id: Long\nfilter: {request_payload: {regex: 'a+'}}\n");
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Param(ParamLocation::kForm, "f", std::string(1000, 'a'));
  t.Sync();
  auto findings = Scan(*set, t.view);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].matched.size(), kMaxMatchedBytes);
}

TEST(EngineTest, InvalidUtf8IsReplacedBeforeMatching) {
  auto set = Compile("id: X\nfilter: {query_param: {regex: '<img[^>]*onerror='}}\n");
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Param(ParamLocation::kQuery, "q", "<img src=x \xff onerror=alert(1)>");
  t.Sync();
  auto findings = Scan(*set, t.view);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].matched, "<img src=x \xEF\xBF\xBD onerror=");
}

TEST(EngineTest, ScratchIsReusedAcrossViews) {
  auto set = Compile("id: U\nfilter: {url: {contains_either: '../'}}\n");
  ASSERT_NE(set, nullptr);
  ScanScratch scratch;
  TestExchange hit;
  hit.Target("/a/%2e%2e/b/../c", "/a/../b/../c");
  hit.Sync();
  TestExchange miss;
  miss.Target("/a/b", "/a/b");
  miss.Sync();
  for (int i = 0; i < 3; ++i) {
    std::vector<Finding> out;
    set->Scan(hit.view, scratch, &out);
    EXPECT_EQ(out.size(), 1u);
    out.clear();
    set->Scan(miss.view, scratch, &out);
    EXPECT_TRUE(out.empty());
  }
}

TEST(EngineTest, CompilesPoliciesBuiltInCode) {
  Policy p;
  p.id = "Coded";
  p.filter = Condition::Term(
      "method", {Condition::Op("eq", Operand{.values = {"DELETE"}, .is_list = false})});
  auto set = CompilePolicies({p});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_NE((*set)->Find("Coded"), nullptr);
  EXPECT_EQ((*set)->Find("Other"), nullptr);
  TestExchange t;
  t.Method("DELETE");
  t.Sync();
  EXPECT_EQ(Scan(**set, t.view).size(), 1u);
}

TEST(EngineTest, CompileErrors) {
  Policy unknown;
  unknown.id = "Bad";
  unknown.source = {.file = "coded.yaml", .line = 3};
  unknown.filter = Condition::Term("method", {Condition::Op("regx", Operand{.values = {"x"}})});
  auto r = CompilePolicies({unknown});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("policy Bad"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("unknown operator 'regx'"), std::string::npos);

  Policy empty;
  empty.id = "Empty";
  EXPECT_FALSE(CompilePolicies({empty}).ok());

  Policy a;
  a.id = "Dup";
  a.filter = Condition::Term("method", {Condition::Op("eq", Operand{.values = {"GET"}})});
  a.source = {.file = "one.yaml", .line = 1};
  Policy b = a;
  b.source = {.file = "two.yaml", .line = 7};
  auto dup = CompilePolicies({a, b});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.status().message().find("two.yaml:7"), std::string::npos);
  EXPECT_NE(dup.status().message().find("one.yaml:1"), std::string::npos);

  Policy no_id;
  no_id.filter = a.filter;
  EXPECT_FALSE(CompilePolicies({no_id}).ok());
}

}  // namespace
}  // namespace warden
