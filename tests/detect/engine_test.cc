#include "detect/engine.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detect/policy/loader.h"
#include "detect/scratch.h"
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

// The policies a scan with `scratch` finds, in order.
std::vector<std::string> ScanIds(const CompiledPolicySet& set, const View& view,
                                 ScanScratch& scratch) {
  std::vector<Finding> out;
  set.Scan(view, scratch, &out);
  return Ids(out);
}

// "Policy@location:fragment" for each finding, in order.
std::vector<std::string> Describe(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.policy_id + "@" + f.location + ":" + f.matched);
  return out;
}

// Scans `views` in order, three rounds, with the one long-lived scratch `kept`, and expects
// every scan to find what the reference path finds with a fresh scratch.
void ExpectKeptScratchFindsTheReference(const CompiledPolicySet& set,
                                        const std::vector<const View*>& views,
                                        ScanScratch& kept) {
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < views.size(); ++i) {
      std::vector<Finding> remembered;
      set.Scan(*views[i], kept, &remembered);
      ScanScratch fresh;
      std::vector<Finding> reference;
      set.ScanWithoutPrefilter(*views[i], fresh, &reference);
      EXPECT_EQ(Describe(remembered), Describe(reference)) << "round " << round << " view " << i;
    }
  }
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

// A JSON body read whole: request_payload still tests its raw text (scanned under a class of
// its own), request_body_fields only its keys and values; with and without the prefilter.
TEST(EngineTest, RawJsonTextIsRequestPayloadsOnly) {
  auto set = Compile(R"(
id: Raw
filter: {request_payload: {regex: '"role"\s*:\s*"admin"'}}
---
id: Fields
filter: {request_body_fields: {regex: '"role"\s*:\s*"admin"'}}
---
id: FieldValue
filter: {request_body_fields: {regex: '^admin$'}}
)");
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Method("POST").Body(R"({"role": "admin"})").Param(ParamLocation::kJson, "role", "admin");
  t.Sync();
  t.view.request_json_whole = true;
  ScanScratch scratch;
  EXPECT_EQ(ScanIds(*set, t.view, scratch), (std::vector<std::string>{"Raw", "FieldValue"}));
  ScanScratch fresh;
  std::vector<Finding> reference;
  set->ScanWithoutPrefilter(t.view, fresh, &reference);
  EXPECT_EQ(Ids(reference), (std::vector<std::string>{"Raw", "FieldValue"}));
  // Not read whole (say, a key given twice): both read the raw text.
  t.view.request_json_whole = false;
  EXPECT_EQ(ScanIds(*set, t.view, scratch),
            (std::vector<std::string>{"Raw", "Fields", "FieldValue"}));
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

TEST(EngineTest, ForOneTestsKeyAndValueOfOneCandidate) {
  auto set = Compile(R"(
id: F
filter:
  query_param:
    for_one:
      key: {eq: id}
      value: {regex: "[^0-9]"}
)");
  ASSERT_NE(set, nullptr);
  struct Case {
    const char* name;
    std::vector<std::pair<std::string, std::string>> params;
    bool want;
  };
  const Case cases[] = {
      {"id_not_numeric", {{"id", "1 or 1=1"}}, true},
      {"id_numeric", {{"id", "42"}}, false},
      // The key and the value must belong to the same parameter.
      {"split_across_params", {{"id", "42"}, {"q", "abc"}}, false},
      {"other_key", {{"q", "abc"}}, false},
  };
  for (const auto& c : cases) {
    TestExchange t;
    for (const auto& [k, v] : c.params) t.Param(ParamLocation::kQuery, k, v);
    t.Sync();
    auto findings = Scan(*set, t.view);
    EXPECT_EQ(findings.size(), c.want ? 1u : 0u) << c.name;
    if (c.want && !findings.empty()) {
      EXPECT_EQ(findings[0].location, "query:id") << c.name;
    }
  }
}

TEST(EngineTest, ForAllNeedsEveryCandidateAndAtLeastOne) {
  auto set = Compile(R"(
id: All
filter:
  query_param:
    for_all:
      value: {regex: "^[0-9]+$"}
)");
  ASSERT_NE(set, nullptr);
  TestExchange all_numeric;
  all_numeric.Param(ParamLocation::kQuery, "a", "1").Param(ParamLocation::kQuery, "b", "22");
  all_numeric.Sync();
  EXPECT_EQ(Scan(*set, all_numeric.view).size(), 1u);
  TestExchange one_text;
  one_text.Param(ParamLocation::kQuery, "a", "1").Param(ParamLocation::kQuery, "b", "x");
  one_text.Sync();
  EXPECT_TRUE(Scan(*set, one_text.view).empty());
  TestExchange none;
  none.Sync();
  EXPECT_TRUE(Scan(*set, none.view).empty());
}

TEST(EngineTest, KeyAndValueScopesAndNegationInside) {
  auto set = Compile(R"(
id: K
filter:
  request_headers:
    key: {contains_either: x-debug}
    value: {not_contains: secret}
)");
  ASSERT_NE(set, nullptr);
  TestExchange hit;
  hit.Header("x-debug-mode", "on");
  hit.Sync();
  auto findings = Scan(*set, hit.view);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location, "header:x-debug-mode");
  EXPECT_EQ(findings[0].matched, "x-debug");
  // A value holding the name does not satisfy `key`.
  TestExchange value_only;
  value_only.Header("accept", "x-debug");
  value_only.Sync();
  EXPECT_TRUE(Scan(*set, value_only.view).empty());
  TestExchange negated;
  negated.Header("x-debug-mode", "on").Header("authorization", "secret");
  negated.Sync();
  EXPECT_TRUE(Scan(*set, negated.view).empty());
}

TEST(EngineTest, LengthComparesValueLengths) {
  auto set = Compile(R"(
id: Big
filter:
  query_param:
    length: {gt: 8}
---
id: KeyLen
filter:
  query_param:
    key:
      length: {gte: 5}
)");
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Param(ParamLocation::kQuery, "q", "123456789").Param(ParamLocation::kQuery, "longer", "a");
  t.Sync();
  auto findings = Scan(*set, t.view);
  ASSERT_EQ(Ids(findings), (std::vector<std::string>{"Big", "KeyLen"}));
  EXPECT_EQ(findings[0].location, "query:q");
  EXPECT_EQ(findings[0].matched, "9");
  EXPECT_EQ(findings[1].location, "query:longer");
  TestExchange small;
  small.Param(ParamLocation::kQuery, "q", "12345678");
  small.Sync();
  EXPECT_TRUE(Scan(*set, small.view).empty());
}

TEST(EngineTest, TransformsApplyPerTermOnly) {
  auto set = Compile(R"(
id: Decoded
filter:
  query_param:
    transforms: [url_decode, html_entity_decode, lowercase]
    contains_either: "<script"
---
id: Raw
filter:
  query_param:
    contains_either: "<script"
)");
  ASSERT_NE(set, nullptr);
  TestExchange t;
  // Decoded once by normalize, still percent- and entity-encoded twice over.
  t.Param(ParamLocation::kQuery, "q", "%26LT%3BScRiPt%26gt%3Balert(1)");
  t.Sync();
  auto findings = Scan(*set, t.view);
  ASSERT_EQ(Ids(findings), std::vector<std::string>{"Decoded"});
  EXPECT_EQ(findings[0].location, "query:q");
  EXPECT_EQ(findings[0].matched, "<script");
  // Operators see only the transformed text: the raw form does not satisfy the decoded term.
  auto raw_only = Compile(R"(
id: R
filter:
  query_param:
    transforms: [lowercase]
    contains_either: "ScRiPt"
)");
  ASSERT_NE(raw_only, nullptr);
  EXPECT_TRUE(Scan(*raw_only, t.view).empty());
}

TEST(EngineTest, NetworkAndContextSelectors) {
  auto set = Compile(R"(
id: Internal
filter:
  source_ip: {contains_either_cidr: [10.0.0.0/8, "fd00::/8"]}
---
id: NotTrusted
filter:
  source_ip: {not_contains_cidr: [192.0.2.0/24]}
  destination_ip: {eq: 198.51.100.4}
---
id: Geo
filter:
  country_code: {contains_either: [KP, IR]}
  api_collection_id: {eq: 7}
---
id: Leak
filter:
  response_headers:
    key: {eq: x-powered-by}
)");
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.view.client_ip = "fd00::17";
  t.exchange.dest_ip = "198.51.100.4:443";
  t.view.country = "KP";
  t.view.collection_id = 7;
  t.exchange.response_headers = {{"X-Powered-By", "PHP"}};
  t.view.response_headers = {{"x-powered-by", "PHP"}};
  t.Sync();
  EXPECT_EQ(Ids(Scan(*set, t.view)),
            (std::vector<std::string>{"Internal", "NotTrusted", "Geo", "Leak"}));
  t.view.client_ip = "192.0.2.9";
  t.view.country = "FR";
  t.Sync();
  EXPECT_EQ(Ids(Scan(*set, t.view)), (std::vector<std::string>{"Leak"}));
}

TEST(EngineTest, DetectorOperatorsNameTheirReason) {
  auto set = Compile(R"(
id: Sqli
filter:
  query_param: {sqli: true}
---
id: Xss
filter:
  request_payload: {xss: true}
)");
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Param(ParamLocation::kQuery, "id", "1' OR '1'='1")
      .Param(ParamLocation::kJson, "bio", "<svg onload=alert(1)>");
  t.Sync();
  auto findings = Scan(*set, t.view);
  ASSERT_EQ(Ids(findings), (std::vector<std::string>{"Sqli", "Xss"}));
  EXPECT_EQ(findings[0].location.rfind("query:id (sqli: ", 0), 0u) << findings[0].location;
  EXPECT_EQ(findings[0].matched, "1' OR '1'='1");
  EXPECT_EQ(findings[1].location.rfind("json:bio (xss: ", 0), 0u) << findings[1].location;
}

TEST(EngineTest, SuccessMarksExploitWithEvidence) {
  auto set = Compile(R"(
id: Lfi
filter:
  query_param: {contains_either: ../}
ignore:
  request_headers: {contains_either: internal-scanner}
success:
  or:
    - response_payload: {regex: "root:.*:0:0:"}
    - response_code: {eq: 299}
)");
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Param(ParamLocation::kQuery, "f", "../../etc/passwd")
      .Response(200, "root:x:0:0:root:/root:/bin/bash\n");
  t.Sync();
  auto findings = Scan(*set, t.view);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_TRUE(findings[0].successful_exploit);
  EXPECT_EQ(findings[0].exploit_evidence, "response_body: root:x:0:0:");

  TestExchange failed;
  failed.Param(ParamLocation::kQuery, "f", "../../etc/passwd").Response(404, "not found");
  failed.Sync();
  findings = Scan(*set, failed.view);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_FALSE(findings[0].successful_exploit);
  EXPECT_TRUE(findings[0].exploit_evidence.empty());

  // `success` alone never makes a finding.
  TestExchange no_attack;
  no_attack.Response(200, "root:x:0:0:");
  no_attack.Sync();
  EXPECT_TRUE(Scan(*set, no_attack.view).empty());
}

TEST(EngineTest, ScratchFollowsSetSwaps) {
  auto a = Compile("id: A\nfilter: {query_param: {contains_either: alpha}}\n");
  auto b = Compile(
      "id: B\nfilter: {request_headers: {regex: '(?i)beta[0-9]'}}\n---\n"
      "id: C\nfilter: {url: {contains_either: /gamma}}\n");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  TestExchange t;
  t.Target("/gamma", "/gamma").Param(ParamLocation::kQuery, "x", "alpha").Header("x", "BETA7");
  t.Sync();
  ScanScratch scratch;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ScanIds(*a, t.view, scratch), std::vector<std::string>{"A"});
    EXPECT_EQ(ScanIds(*b, t.view, scratch), (std::vector<std::string>{"B", "C"}));
  }
  // A set may outlive another; a scratch made for the dead one still works.
  a.reset();
  std::vector<Finding> out;
  b->Scan(t.view, scratch, &out);
  EXPECT_EQ(out.size(), 2u);
}

TEST(EngineTest, PrefilterSkipsPoliciesAndReportsWhatItCannotUse) {
  auto set = Compile(R"(
id: Literal
filter:
  query_param: {contains_either: [needle-one, needle-two]}
---
id: Regex
filter:
  request_headers: {regex: "(?i)sqlmap/[0-9]"}
---
id: OnlyNegated
filter:
  request_headers: {not_contains: x}
---
id: EmptyMatch
filter:
  url: {regex: "a*"}
---
id: AndPicksOne
filter:
  method: {eq: POST}
  request_payload: {contains_all: [alpha, betagamma]}
)");
  ASSERT_NE(set, nullptr);
  EXPECT_GE(set->prefilter_stats().databases, 1u);
  EXPECT_FALSE(set->prefilter_info(0).always);
  EXPECT_EQ(set->prefilter_info(0).patterns.size(), 2u);
  EXPECT_FALSE(set->prefilter_info(1).always);
  EXPECT_TRUE(set->prefilter_info(2).always);
  EXPECT_TRUE(set->prefilter_info(3).always);
  EXPECT_EQ(set->prefilter_info(3).unusable, std::vector<std::string>{"/a*/"});
  // An open policy says what keeps it open, where.
  const auto& negated = set->prefilter_info(2).open_because;
  ASSERT_EQ(negated.size(), 1u);
  EXPECT_NE(negated[0].find("`not_contains` (negated"), std::string::npos) << negated[0];
  EXPECT_EQ(negated[0].rfind("engine_test.yaml:12: ", 0), 0u) << negated[0];
  const auto& empty = set->prefilter_info(3).open_because;
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_NE(empty[0].find("`regex` /a*/ (no atom"), std::string::npos) << empty[0];
  EXPECT_TRUE(set->prefilter_info(0).open_because.empty());
  EXPECT_EQ(set->prefilter_info(2).more_open, 0u);
  EXPECT_FALSE(set->prefilter_info(4).always);
  ASSERT_EQ(set->prefilter_info(4).patterns.size(), 1u);
  EXPECT_EQ(set->prefilter_info(4).patterns[0].rfind("\"betagamma\" in ", 0), 0u)
      << set->prefilter_info(4).patterns[0];

  TestExchange t;
  t.Param(ParamLocation::kQuery, "q", "needle-two").Header("x-a", "y");
  t.Sync();
  ScanScratch scratch;
  std::vector<std::size_t> candidates;
  set->Candidates(t.view, scratch, &candidates);
  EXPECT_EQ(candidates, (std::vector<std::size_t>{0, 2, 3}));
  // A literal needed in the query does not make its policy a candidate from a header.
  TestExchange elsewhere;
  elsewhere.Header("x-a", "needle-one");
  elsewhere.Sync();
  set->Candidates(elsewhere.view, scratch, &candidates);
  EXPECT_EQ(candidates, (std::vector<std::size_t>{2, 3}));
}

// Terms of one OR over the same selector and transforms are compiled into one term over the OR
// of their conditions; terms over other transforms, and a tree too deep to take one more level,
// are left as written. The merged policy matches wherever one of its terms does.
TEST(EngineTest, SiblingTermsOverOneSelectorAreMerged) {
  auto set = Compile(R"(
id: Merged
filter:
  or:
    - query_param: {contains_either: [alpha]}
    - request_headers: {contains_either: [beta]}
    - query_param: {and: [{contains_either: [gamma]}, {contains_either: [delta]}]}
    - query_param:
        transforms: [lowercase]
        contains_either: [epsilon]
    - query_param:
        key: {eq: zeta}
)");
  ASSERT_NE(set, nullptr);
  const Condition& root = set->policies()[0].filter;
  ASSERT_EQ(root.kind, Condition::Kind::kOr);
  ASSERT_EQ(root.children.size(), 3u);  // query (three terms), headers, query lowercased
  const Condition& query = root.children[0];
  EXPECT_EQ(query.name, "query_param");
  ASSERT_EQ(query.children.size(), 1u);
  EXPECT_EQ(query.children[0].kind, Condition::Kind::kOr);
  EXPECT_EQ(query.children[0].children.size(), 3u);
  EXPECT_EQ(root.children[1].name, "request_headers");
  EXPECT_EQ(root.children[2].transforms, std::vector<std::string>{"lowercase"});

  auto found = [&](TestExchange& t) {
    t.Sync();
    return Describe(Scan(*set, t.view));
  };
  TestExchange first;
  first.Param(ParamLocation::kQuery, "q", "xalphax");
  EXPECT_EQ(found(first), std::vector<std::string>{"Merged@query:q:alpha"});
  TestExchange both;
  both.Param(ParamLocation::kQuery, "q", "gamma delta");
  EXPECT_EQ(found(both), std::vector<std::string>{"Merged@query:q:gamma"});
  TestExchange half;  // the AND of a merged term still needs both
  half.Param(ParamLocation::kQuery, "q", "gamma");
  EXPECT_TRUE(found(half).empty());
  TestExchange header;
  header.Header("x-a", "beta");
  EXPECT_EQ(Ids(Scan(*set, (header.Sync(), header.view))), std::vector<std::string>{"Merged"});
  TestExchange key;
  key.Param(ParamLocation::kQuery, "zeta", "1");
  EXPECT_EQ(Ids(Scan(*set, (key.Sync(), key.view))), std::vector<std::string>{"Merged"});
  TestExchange lowered;
  lowered.Param(ParamLocation::kQuery, "q", "EPSILON");
  EXPECT_EQ(Ids(Scan(*set, (lowered.Sync(), lowered.view))), std::vector<std::string>{"Merged"});

  // Under `ands` levels of `and`: the OR of two query terms, merged unless the tree would then
  // be deeper than the evaluator goes (33 levels, the root's included).
  auto or_terms_under = [&](int ands) {
    std::string filter = "{or: [{query_param: {contains_either: [alpha]}}, "
                         "{query_param: {contains_either: [beta]}}]}";
    for (int i = 0; i < ands; ++i) filter = "{and: [" + filter + "]}";
    auto deep = Compile("id: Deep\nfilter: " + filter + "\n");
    EXPECT_NE(deep, nullptr);
    if (deep == nullptr) return std::size_t{0};
    const Condition* node = &deep->policies()[0].filter;
    while (node->kind == Condition::Kind::kAnd && node->children.size() == 1) {
      node = &node->children[0];
    }
    EXPECT_EQ(node->kind, Condition::Kind::kOr);
    return node->children.size();
  };
  EXPECT_EQ(or_terms_under(27), 1u);  // 31 levels: merged into 32
  EXPECT_EQ(or_terms_under(29), 2u);  // 32 levels (33 would still do; kept as written)
}

// A regex whose every match needs a short atom with a byte ordinary texts seldom hold (a line
// break, `$(`, a backquote) constrains its policy through the byte sets of its term's classes,
// after its transforms (all of an atom's bytes in one class is enough: byte sets know no order);
// short atoms of letters, digits and common punctuation do not.
TEST(EngineTest, RareShortAtomsConstrainPolicies) {
  auto set = Compile(R"(
id: LineBreak
filter:
  query_param:
    transforms: [url_decode]
    regex: "[\\r\\n][a-z]+:"
---
id: Subshell
filter: {request_headers: {regex: "\\$\\(|`"}}
---
id: Common
filter: {query_param: {regex: "[;,]\\d|id="}}
)");
  ASSERT_NE(set, nullptr);
  EXPECT_FALSE(set->prefilter_info(0).always);
  EXPECT_FALSE(set->prefilter_info(1).always);
  EXPECT_TRUE(set->prefilter_info(2).always);
  auto candidates_of = [&](TestExchange& t) {
    t.Sync();
    ScanScratch scratch;
    std::vector<std::size_t> out;
    set->Candidates(t.view, scratch, &out);
    return out;
  };
  TestExchange plain;
  plain.Param(ParamLocation::kQuery, "q", "a:b;1").Header("x-a", "$ y");
  EXPECT_EQ(candidates_of(plain), (std::vector<std::size_t>{2}));
  // The line break exists only once the value is URL-decoded.
  TestExchange encoded;
  encoded.Param(ParamLocation::kQuery, "q", "a%0Ax-b: c");
  EXPECT_EQ(candidates_of(encoded), (std::vector<std::size_t>{0, 2}));
  // In a header, a line break is not what the query term looks for; a backquote is.
  TestExchange header;
  header.Header("x-a", "a\nb: `id`");
  EXPECT_EQ(candidates_of(header), (std::vector<std::size_t>{1, 2}));
  TestExchange subshell;
  subshell.Header("x-a", "x$(id)");
  EXPECT_EQ(candidates_of(subshell), (std::vector<std::size_t>{1, 2}));
  // Found in the same scans as when every policy is evaluated.
  for (TestExchange* t : {&plain, &encoded, &header, &subshell}) {
    ScanScratch a;
    ScanScratch b;
    std::vector<Finding> fast;
    std::vector<Finding> slow;
    set->Scan(t->view, a, &fast);
    set->ScanWithoutPrefilter(t->view, b, &slow);
    ASSERT_EQ(fast.size(), slow.size());
    for (std::size_t i = 0; i < fast.size(); ++i) EXPECT_EQ(fast[i].policy_id, slow[i].policy_id);
  }
}

// Regexes reach the prefilter as their literal atoms; anchors, quoted text and bounded repeats
// must still be found, and a regex without atoms constrains nothing.
// A scratch remembers across scans what regexes and detectors answered for each text; the
// findings, and the fragments they quote, stay those of a fresh scratch and of evaluating every
// policy without the prefilter.
TEST(EngineTest, RememberedVerdictsGiveTheSameFindings) {
  auto set = Compile(R"(
id: SelectFrom
filter:
  or:
    - query_param: {regex: "(?i)select\\s+\\w+\\s+from"}
    - request_headers: {regex: "(?i)select\\s+\\w+\\s+from"}
---
id: Sqli
filter:
  query_param: {sqli: true}
---
id: Xss
filter:
  request_headers: {xss: true}
---
id: NamedKey
filter:
  query_param:
    for_one:
      key: {regex: "^id$"}
      value: {regex: "^[0-9]+$"}
)");
  ASSERT_NE(set, nullptr);
  std::vector<TestExchange> traffic(4);
  traffic[0].Param(ParamLocation::kQuery, "q", "x select name from users").Header("ua", "Mozilla/5.0");
  traffic[1].Param(ParamLocation::kQuery, "q", "hello").Header("ua", "Mozilla/5.0");
  traffic[2].Param(ParamLocation::kQuery, "id", "1' or '1'='1").Header("x", "select name from t");
  traffic[3].Param(ParamLocation::kQuery, "id", "42").Header("ua", "<script>alert(1)</script>");
  for (auto& t : traffic) t.Sync();
  auto describe = [](const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(f.policy_id + ":" + f.matched);
    return out;
  };
  ScanScratch kept;
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < traffic.size(); ++i) {
      std::vector<Finding> remembered;
      set->Scan(traffic[i].view, kept, &remembered);
      ScanScratch fresh;
      std::vector<Finding> reference;
      set->ScanWithoutPrefilter(traffic[i].view, fresh, &reference);
      EXPECT_EQ(describe(remembered), describe(reference)) << "round " << round << " exchange " << i;
      EXPECT_EQ(describe(remembered), describe(Scan(*set, traffic[i].view))) << i;
    }
  }
  std::vector<Finding> out;
  set->Scan(traffic[0].view, kept, &out);
  EXPECT_EQ(describe(out), std::vector<std::string>{"SelectFrom:select name from"});
  out.clear();
  set->Scan(traffic[3].view, kept, &out);
  EXPECT_EQ(Ids(out), (std::vector<std::string>{"Xss", "NamedKey"}));
}

// An OR of positive operators is remembered whole per text. A list with remembered misses and
// new texts is evaluated on the new texts only; the witness (first alternative, then first
// candidate) must stay the reference path's.
TEST(EngineTest, RememberedOrVerdictsKeepTheReferenceWitness) {
  auto set = Compile(R"(
id: Either
filter:
  query_param:
    or:
      - regex: "one[0-9]"
      - regex: "two[0-9]"
---
id: SameOrElsewhere
filter:
  request_headers:
    or:
      - regex: "one[0-9]"
      - regex: "two[0-9]"
---
id: EmptyToo
filter:
  query_param:
    or:
      - regex: "^$"
      - regex: "three"
)");
  ASSERT_NE(set, nullptr);
  std::vector<TestExchange> traffic(4);
  traffic[0].Param(ParamLocation::kQuery, "a", "plain").Header("h", "plain");
  // "plain" is remembered as a miss; "two2" is new and matches the second alternative, "one1"
  // the first: the witness is "one1".
  traffic[1].Param(ParamLocation::kQuery, "a", "plain")
      .Param(ParamLocation::kQuery, "b", "two2")
      .Param(ParamLocation::kQuery, "c", "one1")
      .Header("h", "two2");
  traffic[2].Param(ParamLocation::kQuery, "a", "plain").Param(ParamLocation::kQuery, "b", "");
  traffic[3].Param(ParamLocation::kQuery, "a", "plain").Header("h", "plain one7");
  for (auto& t : traffic) t.Sync();
  ScanScratch kept;
  std::vector<const View*> views;
  for (const auto& t : traffic) views.push_back(&t.view);
  ExpectKeptScratchFindsTheReference(*set, views, kept);
  std::vector<Finding> out;
  set->Scan(traffic[1].view, kept, &out);
  EXPECT_EQ(Describe(out), (std::vector<std::string>{"Either@query:c:one1",
                                                     "SameOrElsewhere@header:h:two2"}));
  out.clear();
  set->Scan(traffic[2].view, kept, &out);  // an empty value matches `^$`: that OR has no slot
  EXPECT_EQ(Describe(out), std::vector<std::string>{"EmptyToo@query:b:"});
  out.clear();
  set->Scan(traffic[3].view, kept, &out);
  EXPECT_EQ(Describe(out), std::vector<std::string>{"SameOrElsewhere@header:h:one7"});
}

// An OR whose alternatives test only keys or only values keeps two verdicts per text: a text
// that missed as a key may still match as a value.
TEST(EngineTest, RememberedOrVerdictsPerPosition) {
  auto set = Compile(R"(
id: Positions
filter:
  query_param:
    or:
      - value: {regex: "val[0-9]"}
      - key: {regex: "key[0-9]"}
)");
  ASSERT_NE(set, nullptr);
  TestExchange swapped;  // each text where the other alternative looks
  swapped.Param(ParamLocation::kQuery, "val1", "key1");
  swapped.Sync();
  TestExchange value;  // "val1" missed as a key, matches as a value
  value.Param(ParamLocation::kQuery, "val1", "val1");
  value.Sync();
  TestExchange key;
  key.Param(ParamLocation::kQuery, "key1", "key1");
  key.Sync();
  ScanScratch kept;
  for (int round = 0; round < 3; ++round) {
    EXPECT_TRUE(ScanIds(*set, swapped.view, kept).empty()) << round;
    EXPECT_EQ(ScanIds(*set, value.view, kept), std::vector<std::string>{"Positions"}) << round;
    EXPECT_EQ(ScanIds(*set, key.view, kept), std::vector<std::string>{"Positions"}) << round;
  }
}

// for_one tries only the candidates on which a remembered OR among its children may match; the
// candidate it reports (here by its key, the first child to match) is the reference path's.
TEST(EngineTest, ForOneSkipsCandidatesARememberedOrMisses) {
  auto set = Compile(R"(
id: NamedAndBad
filter:
  query_param:
    for_one:
      key: {regex: "^(?:id|q)$"}
      or:
        - regex: "bad[0-9]"
        - regex: "evil"
)");
  ASSERT_NE(set, nullptr);
  TestExchange first;
  first.Param(ParamLocation::kQuery, "id", "fine").Param(ParamLocation::kQuery, "x", "bad1");
  first.Sync();
  TestExchange second;  // "id=fine" is remembered as a miss; "x" has the wrong key
  second.Param(ParamLocation::kQuery, "id", "fine")
      .Param(ParamLocation::kQuery, "x", "bad1")
      .Param(ParamLocation::kQuery, "q", "evil bad2")
      .Param(ParamLocation::kQuery, "id", "bad3");
  second.Sync();
  ScanScratch kept;
  ExpectKeptScratchFindsTheReference(*set, {&first.view, &second.view}, kept);
  EXPECT_TRUE(ScanIds(*set, first.view, kept).empty());
  std::vector<Finding> out;
  set->Scan(second.view, kept, &out);
  EXPECT_EQ(Describe(out), std::vector<std::string>{"NamedAndBad@query:q:q"});
}

// A term whose selector yields nothing is answered from what its children say over no
// candidates: negations hold, positive operators, for_one, for_all and lengths do not.
TEST(EngineTest, TermsWithoutCandidates) {
  auto set = Compile(R"(
id: NoBadCookie
filter:
  request_cookies: {not_contains: [bad]}
---
id: NotAnyCookie
filter:
  request_cookies:
    not: {regex: "."}
---
id: OrOfNegation
filter:
  request_cookies:
    or:
      - regex: "x"
      - and:
          - not_contains: [y]
          - not: {contains_either: [z]}
---
id: Positive
filter:
  request_cookies: {regex: "."}
---
id: ForOne
filter:
  request_cookies:
    for_one:
      not: {regex: "."}
---
id: ForAll
filter:
  request_cookies:
    for_all:
      not_contains: [q]
---
id: Length
filter:
  request_cookies:
    length: {lt: 100}
---
id: KeyScope
filter:
  request_cookies:
    key: {not_contains: [k]}
)");
  ASSERT_NE(set, nullptr);
  TestExchange none;
  none.Param(ParamLocation::kQuery, "q", "1");
  none.Sync();
  const std::vector<std::string> expected{"NoBadCookie", "NotAnyCookie", "OrOfNegation",
                                          "KeyScope"};
  EXPECT_EQ(Ids(Scan(*set, none.view)), expected);
  ScanScratch fresh;
  std::vector<Finding> reference;
  set->ScanWithoutPrefilter(none.view, fresh, &reference);
  EXPECT_EQ(Ids(reference), expected);
  for (const Finding& f : reference) EXPECT_EQ(f.location, "") << f.policy_id;

  TestExchange some;
  some.Param(ParamLocation::kCookie, "session", "abc");
  some.Sync();
  EXPECT_EQ(Ids(Scan(*set, some.view)),
            (std::vector<std::string>{"NoBadCookie", "OrOfNegation", "Positive", "ForAll",
                                      "Length", "KeyScope"}));
}

// The verdicts belong to one policy set: another set's regex with the same internal number must
// not read them.
TEST(EngineTest, RememberedVerdictsFollowSetSwaps) {
  auto alpha = Compile("id: Alpha\nfilter: {query_param: {regex: 'alpha[0-9]'}}\n");
  auto beta = Compile("id: Beta\nfilter: {query_param: {regex: 'beta[0-9]'}}\n");
  ASSERT_NE(alpha, nullptr);
  ASSERT_NE(beta, nullptr);
  TestExchange a;
  a.Param(ParamLocation::kQuery, "q", "alpha1 beta");
  a.Sync();
  TestExchange b;
  b.Param(ParamLocation::kQuery, "q", "alpha beta2");
  b.Sync();
  ScanScratch scratch;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ScanIds(*alpha, a.view, scratch), std::vector<std::string>{"Alpha"});
    EXPECT_TRUE(ScanIds(*alpha, b.view, scratch).empty());
    EXPECT_TRUE(ScanIds(*beta, a.view, scratch).empty());
    EXPECT_EQ(ScanIds(*beta, b.view, scratch), std::vector<std::string>{"Beta"});
  }
}

TEST(VerdictCacheTest, InternsByBytesAndKeepsAnswersPerSlot) {
  VerdictCache cache;
  EXPECT_EQ(cache.Intern("before any slot"), -1);  // nothing to remember yet
  cache.Reset(130);
  const std::string one = "Mozilla/5.0";
  const std::string same = "Mozilla/5.0";  // other address, same bytes
  const std::int32_t id = cache.Intern(one);
  ASSERT_GE(id, 0);
  EXPECT_EQ(cache.Intern(same), id);
  const std::int32_t other = cache.Intern("Mozilla/5.1");
  EXPECT_NE(other, id);
  EXPECT_EQ(cache.Intern(""), -1);
  EXPECT_EQ(cache.Intern(std::string(VerdictCache::kMaxText + 1, 'a')), -1);
  EXPECT_GE(cache.Intern(std::string(VerdictCache::kMaxText, 'a')), 0);
  EXPECT_EQ(cache.Find(7, id), -1);
  cache.Put(7, id, true);
  cache.Put(129, id, false);
  cache.Put(64, other, true);
  EXPECT_EQ(cache.Find(7, id), 1);
  EXPECT_EQ(cache.Find(129, id), 0);
  EXPECT_EQ(cache.Find(64, id), -1);
  EXPECT_EQ(cache.Find(64, other), 1);
  EXPECT_EQ(cache.Find(7, other), -1);
  EXPECT_EQ(cache.Find(7, -1), -1);
  EXPECT_EQ(cache.Find(130, id), -1);  // no such slot
  cache.Put(130, id, true);             // ignored
  cache.Reset(130);
  EXPECT_EQ(cache.Find(7, id), -1);
  EXPECT_EQ(cache.texts(), 0u);
}

TEST(VerdictCacheTest, ForgetsEverythingOnceOverBudget) {
  VerdictCache cache;
  cache.Reset(2);
  std::int32_t last = -1;
  for (std::size_t i = 0; i < VerdictCache::kMaxTexts; ++i) {
    last = cache.Intern("text-" + std::to_string(i));
    cache.Put(1, last, (i & 1) != 0);
  }
  EXPECT_EQ(cache.texts(), VerdictCache::kMaxTexts);
  EXPECT_EQ(cache.Find(1, last), 1);
  EXPECT_EQ(cache.Intern("text-0"), 0);  // every text is still found until the scan ends
  cache.StartScan();
  EXPECT_EQ(cache.texts(), 0u);
  EXPECT_EQ(cache.Intern("text-5"), 0);  // ids start again, with nothing known
  EXPECT_EQ(cache.Find(1, 0), -1);
  // Below the budget a new scan keeps what it has.
  cache.Put(1, 0, true);
  cache.StartScan();
  EXPECT_EQ(cache.Find(1, 0), 1);
}

TEST(EngineTest, PrefilterKeepsRegexMatches) {
  auto set = Compile(R"(
id: Quoted
filter:
  query_param: {regex: "\\Q{1,100}\\E"}
---
id: Anchored
filter:
  request_headers: {regex: "\\Aadmin\\z"}
---
id: Repeat
filter:
  request_payload: {regex: "select.{1,100}from"}
---
id: NoAtoms
filter:
  query_param: {regex: "^[0-9]+$"}
)");
  ASSERT_NE(set, nullptr);
  TestExchange t;
  t.Param(ParamLocation::kQuery, "q", "x{1,100}y")
      .Header("x-user", "admin")
      .Header("x-other", "nobody")
      .Param(ParamLocation::kJson, "s", "select " + std::string(60, 'a') + " from t");
  t.Sync();
  EXPECT_EQ(Ids(Scan(*set, t.view)), (std::vector<std::string>{"Quoted", "Anchored", "Repeat"}));
  EXPECT_TRUE(set->prefilter_info(3).always);
  EXPECT_EQ(set->prefilter_info(3).unusable, std::vector<std::string>{"/^[0-9]+$/"});
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_FALSE(set->prefilter_info(i).always) << i;
    EXPECT_EQ(set->prefilter_info(i).approximate.size(), 1u) << i;
  }
  TestExchange miss;
  miss.Param(ParamLocation::kQuery, "q", "x{1}y").Header("x-user", "admins");
  miss.Sync();
  EXPECT_TRUE(Scan(*set, miss.view).empty());
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
