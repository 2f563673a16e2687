#include "detect/policy/loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "detect/operators/operator.h"
#include "detect/selectors/selector.h"

namespace warden {
namespace {

constexpr char kFull[] = R"(id: SQLInjection
info:
  name: SQL injection
  description: Finds SQL in parameters.
  details: Long text.
  impact: Data theft.
  remediation: Use bound parameters.
  category:
    name: SQL_INJECTION
    displayName: SQL Injection
    shortName: SQLi
  subCategory: SQLInjection
  severity: critical
  tags: [injection, sql]
  references:
    - https://owasp.org/Top10/A03_2021-Injection/
  cwe: [CWE-89]
  cve: CVE-2020-0001
  owasp_api_2023: [API8:2023]
  owasp_2021: A03:2021
  compliance: {PCI: ["6.5.1"]}
mode: monitor
filter:
  or:
    - query_param:
        regex: "(?i)union\\s+select"
    - request_payload:
        contains_either: [sleep(, benchmark(]
        not:
          eq: safe
ignore:
  method:
    eq: OPTIONS
aggregation_rules:
  - rule:
      name: burst
      condition:
        matchCount: 10
        windowThreshold: 5
tests:
  - name: union in query
    request:
      method: GET
      url: /items?q=1%20union%20select%202
      headers: {User-Agent: curl/8.0, Host: shop.example}
    expect: match
  - name: benign
    request: {url: "/items?q=shoes", body: null}
    response: {status: 200, headers: {Content-Type: application/json}, body: "{}"}
    expect: no_match
wordLists:
  unused: [a]
)";

TEST(LoaderTest, ParsesEveryField) {
  auto r = ParsePolicies(kFull, "full.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  const Policy& p = r->front();
  EXPECT_EQ(p.id, "SQLInjection");
  EXPECT_EQ(p.source.ToString(), "full.yaml:1");
  EXPECT_EQ(p.info.name, "SQL injection");
  EXPECT_EQ(p.info.description, "Finds SQL in parameters.");
  EXPECT_EQ(p.info.details, "Long text.");
  EXPECT_EQ(p.info.impact, "Data theft.");
  EXPECT_EQ(p.info.remediation, "Use bound parameters.");
  EXPECT_EQ(p.info.category.name, "SQL_INJECTION");
  EXPECT_EQ(p.info.category.display_name, "SQL Injection");
  EXPECT_EQ(p.info.category.sub_category, "SQLInjection");
  EXPECT_EQ(p.info.severity, Severity::kCritical);
  EXPECT_EQ(p.info.tags, (std::vector<std::string>{"injection", "sql"}));
  EXPECT_EQ(p.info.references.size(), 1u);
  EXPECT_EQ(p.info.cwe, std::vector<std::string>{"CWE-89"});
  EXPECT_EQ(p.info.category.cwe, std::vector<std::string>{"CWE-89"});
  EXPECT_EQ(p.info.cve, std::vector<std::string>{"CVE-2020-0001"});
  EXPECT_EQ(p.info.category.owasp_api_2023, std::vector<std::string>{"API8:2023"});
  EXPECT_EQ(p.info.category.owasp_2021, std::vector<std::string>{"A03:2021"});
  EXPECT_EQ(p.mode, PolicyMode::kMonitor);

  // filter: or[ term(query_param){regex}, term(request_payload){contains_either, not{eq}} ]
  ASSERT_EQ(p.filter.kind, Condition::Kind::kOr);
  EXPECT_EQ(p.filter.mark.line, 24);
  ASSERT_EQ(p.filter.children.size(), 2u);
  const Condition& q = p.filter.children[0];
  EXPECT_EQ(q.kind, Condition::Kind::kTerm);
  EXPECT_EQ(q.selector, FindSelector("query_param"));
  ASSERT_EQ(q.children.size(), 1u);
  EXPECT_EQ(q.children[0].kind, Condition::Kind::kOperator);
  EXPECT_EQ(q.children[0].name, "regex");
  EXPECT_NE(q.children[0].op, nullptr);
  EXPECT_EQ(q.children[0].mark.line, 26);
  const Condition& b = p.filter.children[1];
  ASSERT_EQ(b.children.size(), 2u);
  EXPECT_EQ(b.children[0].operand.values, (std::vector<std::string>{"sleep(", "benchmark("}));
  EXPECT_TRUE(b.children[0].operand.is_list);
  EXPECT_EQ(b.children[1].kind, Condition::Kind::kNot);
  ASSERT_TRUE(p.ignore.has_value());
  EXPECT_EQ(p.ignore->selector, FindSelector("method"));

  ASSERT_EQ(p.aggregation_rules.size(), 1u);
  EXPECT_EQ(p.aggregation_rules[0].name, "burst");
  EXPECT_EQ(p.aggregation_rules[0].match_count, 10);
  EXPECT_EQ(p.aggregation_rules[0].window_minutes, 5);

  ASSERT_EQ(p.tests.size(), 2u);
  const PolicyTestVector& t0 = p.tests[0];
  EXPECT_EQ(t0.name, "union in query");
  EXPECT_EQ(t0.method, "GET");
  EXPECT_EQ(t0.url, "/items?q=1%20union%20select%202");
  ASSERT_EQ(t0.request_headers.size(), 2u);
  EXPECT_EQ(t0.request_headers[0].name, "User-Agent");
  EXPECT_TRUE(t0.expect_match);
  EXPECT_FALSE(t0.has_response);
  EXPECT_EQ(t0.mark.line, 41);
  const PolicyTestVector& t1 = p.tests[1];
  EXPECT_EQ(t1.method, "GET");
  EXPECT_TRUE(t1.has_response);
  EXPECT_EQ(t1.response_status, 200);
  EXPECT_EQ(t1.response_body, "{}");
  EXPECT_FALSE(t1.expect_match);
}

TEST(LoaderTest, DefaultsMultiDocumentsAnchorsAndSuccessFilters) {
  auto r = ParsePolicies(R"(
id: A
filter:
  url: &u {contains_either: /admin}
  method: {eq: POST}
---
---
id: B
success_filter:
  url: &v {contains_either: /admin}
failure_filter:
  url: *v

)",
                         "multi.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  const Policy& a = (*r)[0];
  EXPECT_EQ(a.info.severity, Severity::kHigh);
  EXPECT_EQ(a.mode, PolicyMode::kEnforce);
  EXPECT_EQ(a.filter.kind, Condition::Kind::kAnd);
  EXPECT_TRUE(a.filter.implicit);
  EXPECT_EQ(a.filter.children.size(), 2u);
  const Policy& b = (*r)[1];
  EXPECT_EQ(b.source.line, 8);
  EXPECT_EQ(b.filter.kind, Condition::Kind::kOr);
  EXPECT_EQ(b.filter.children.size(), 2u);
  EXPECT_TRUE(b.success_filter.has_value());
  EXPECT_TRUE(b.failure_filter.has_value());
}

struct ErrorCase {
  const char* name;
  const char* yaml;
  int line;                 // expected "errors.yaml:<line>"; 0 = no line check
  const char* id;           // expected "policy <id>", or null when the id is not known yet
  const char* want_substr;  // part of the message
};

TEST(LoaderTest, ErrorsNameFileLineAndPolicy) {
  const ErrorCase cases[] = {
      {"yaml_syntax", "id: A\nfilter: {url: [\n", 3, nullptr, "invalid YAML"},
      {"yaml_bad_indent", "id: A\n  filter: x\n bad: y\n", 2, nullptr, "invalid YAML"},
      {"not_a_map", "- a\n- b\n", 1, nullptr, "must be a map"},
      {"missing_id", "filter: {url: {eq: /}}\n", 1, nullptr, "no 'id'"},
      {"bad_id", "id: 'has space'\nfilter: {url: {eq: /}}\n", 1, nullptr, "id must be"},
      {"id_not_scalar", "id: [a]\nfilter: {url: {eq: /}}\n", 1, nullptr, "expected a string"},
      {"duplicate_key", "id: A\nfilter: {url: {eq: /}}\nfilter: {url: {eq: /x}}\n", 3, "A",
       "duplicate key 'filter'"},
      {"unknown_top_level", "id: A\nfilter: {url: {eq: /}}\nignroe: {}\n", 3, "A",
       "unknown top-level key 'ignroe'"},
      {"no_filter", "id: A\ninfo: {name: x}\n", 1, "A", "no 'filter'"},
      {"filter_not_map", "id: A\nfilter: [url]\n", 2, "A", "expected a map of selectors"},
      {"empty_filter", "id: A\nfilter: {}\n", 2, "A", "empty condition"},
      {"unknown_selector", "id: A\nfilter:\n  urll:\n    eq: /\n", 3, "A",
       "unknown selector 'urll'"},
      {"operator_at_term_level", "id: A\nfilter:\n  regex: x\n", 3, "A",
       "must sit under a selector"},
      {"unknown_operator", "id: A\nfilter:\n  url:\n    regx: x\n", 4, "A",
       "filter.url.regx: unknown operator 'regx'"},
      {"nested_selector", "id: A\nfilter:\n  url:\n    method: {eq: GET}\n", 4, "A",
       "cannot be nested inside another selector"},
      {"selector_scalar", "id: A\nfilter:\n  url: /x\n", 3, "A", "expected a map of operators"},
      {"invalid_regex",
       "id: A\nfilter:\n  or:\n    - url: {eq: /}\n    - query_param:\n        regex: 'a(?=b)'\n",
       6, "A", "filter.or[1].query_param.regex: invalid regex"},
      {"regex_list", "id: A\nfilter:\n  url:\n    regex: [a, b]\n", 4, "A", "one value"},
      {"gt_not_number", "id: A\nfilter:\n  response_code:\n    gt: abc\n", 4, "A",
       "needs a number"},
      {"operand_null", "id: A\nfilter:\n  url:\n    eq:\n", 4, "A", "operator without a value"},
      {"operand_map", "id: A\nfilter:\n  url:\n    eq: {a: b}\n", 4, "A", "operator value must be"},
      {"operand_nested_list", "id: A\nfilter:\n  url:\n    eq: [[a]]\n", 4, "A",
       "strings or numbers"},
      {"or_not_list", "id: A\nfilter:\n  or: {url: {eq: /}}\n", 3, "A",
       "expected a list of conditions"},
      {"empty_or", "id: A\nfilter:\n  or: []\n", 3, "A", "empty list"},
      {"not_list", "id: A\nfilter:\n  not: [{url: {eq: /}}]\n", 3, "A",
       "expected a map of selectors"},
      {"bad_severity", "id: A\ninfo:\n  severity: urgent\nfilter: {url: {eq: /}}\n", 3, "A",
       "unknown severity 'urgent'"},
      {"info_not_map", "id: A\ninfo: text\nfilter: {url: {eq: /}}\n", 2, "A", "expected a map"},
      {"info_name_list", "id: A\ninfo:\n  name: [x]\nfilter: {url: {eq: /}}\n", 3, "A",
       "info.name: expected a string"},
      {"info_tags_map", "id: A\ninfo:\n  tags: {a: b}\nfilter: {url: {eq: /}}\n", 3, "A",
       "info.tags"},
      {"bad_mode", "id: A\nmode: audit\nfilter: {url: {eq: /}}\n", 2, "A",
       "mode must be 'enforce' or 'monitor'"},
      {"aggregation_not_list", "id: A\nfilter: {url: {eq: /}}\naggregation_rules: {}\n", 3, "A",
       "aggregation_rules: expected a list"},
      {"aggregation_missing_count",
       "id: A\nfilter: {url: {eq: /}}\naggregation_rules:\n  - rule:\n      name: r\n"
       "      condition: {windowThreshold: 5}\n",
       4, "A", "matchCount"},
      {"aggregation_zero_window",
       "id: A\nfilter: {url: {eq: /}}\naggregation_rules:\n  - rule:\n      condition:\n"
       "        matchCount: 5\n        windowThreshold: 0\n",
       7, "A", "windowThreshold: expected an integer"},
      {"tests_not_list", "id: A\nfilter: {url: {eq: /}}\ntests: {}\n", 3, "A", "expected a list"},
      {"test_no_expect",
       "id: A\nfilter: {url: {eq: /}}\ntests:\n  - name: t\n    request: {url: /}\n", 4, "A",
       "needs 'expect"},
      {"test_bad_expect",
       "id: A\nfilter: {url: {eq: /}}\ntests:\n  - name: t\n    request: {url: /}\n    expect: "
       "yes\n",
       6, "A", "expected 'match' or 'no_match'"},
      {"test_no_name",
       "id: A\nfilter: {url: {eq: /}}\ntests:\n  - request: {url: /}\n    expect: match\n", 4, "A",
       "needs a name"},
      {"test_unknown_key",
       "id: A\nfilter: {url: {eq: /}}\ntests:\n  - name: t\n    request: {url: /, verb: GET}\n"
       "    expect: match\n",
       5, "A", "unknown key"},
      {"test_bad_status",
       "id: A\nfilter: {url: {eq: /}}\ntests:\n  - name: t\n    request: {url: /}\n"
       "    response: {status: ok}\n    expect: match\n",
       6, "A", "status: expected an integer"},
      {"test_header_list",
       "id: A\nfilter: {url: {eq: /}}\ntests:\n  - name: t\n    request: {url: /, headers: [a]}\n"
       "    expect: match\n",
       5, "A", "expected a map"},
      {"second_document", "id: A\nfilter: {url: {eq: /}}\n---\nid: B\nfilter: {url: {lt: x}}\n", 5,
       "B", "needs a number"},
      {"transforms_nested", "id: A\nfilter:\n  url:\n    not:\n      transforms: [lowercase]\n", 5,
       "A", "'transforms' must sit directly under a selector"},
      {"transforms_only", "id: A\nfilter:\n  url:\n    transforms: [lowercase]\n", 4, "A",
       "transforms without operators"},
      {"transforms_empty", "id: A\nfilter:\n  url:\n    transforms: []\n    eq: /\n", 4, "A",
       "empty transform list"},
      {"transforms_unknown", "id: A\nfilter:\n  url:\n    transforms: [urldecode]\n    eq: /\n", 3,
       "A", "filter.url.transforms: unknown transform 'urldecode'"},
      {"transforms_too_many",
       "id: A\nfilter:\n  url:\n    transforms: [lowercase, lowercase, lowercase, lowercase, "
       "lowercase, lowercase, lowercase, lowercase, lowercase]\n    eq: /\n",
       3, "A", "at most 8 transforms"},
      {"length_with_regex", "id: A\nfilter:\n  request_payload:\n    length: {regex: x}\n", 4, "A",
       "'length' takes numeric comparisons"},
      {"for_one_at_term_level", "id: A\nfilter:\n  for_one: {key: {eq: x}}\n", 3, "A",
       "unknown selector 'for_one'"},
      {"key_empty", "id: A\nfilter:\n  query_param:\n    key: {}\n", 4, "A", "empty condition"},
      {"expect_success_without_match",
       "id: A\nfilter: {url: {eq: /}}\ntests:\n  - name: t\n    request: {url: /}\n"
       "    expect: no_match\n    expect_success: false\n",
       4, "A", "expect_success needs 'expect: match'"},
      {"expect_success_not_bool",
       "id: A\nfilter: {url: {eq: /}}\ntests:\n  - name: t\n    request: {url: /}\n"
       "    expect: match\n    expect_success: maybe\n",
       7, "A", "expected true or false"},
      {"success_not_map", "id: A\nfilter: {url: {eq: /}}\nsuccess: [x]\n", 3, "A",
       "expected a map of selectors"},
      {"success_bad_operator",
       "id: A\nfilter: {url: {eq: /}}\nsuccess:\n  response_code:\n"
       "    gte: two hundred\n",
       5, "A", "success.response_code.gte: gte needs a number"},
      {"cidr_invalid",
       "id: A\nfilter:\n  source_ip:\n    contains_either_cidr: [10.0.0.0/8, 300.1.1.1/8]\n", 4,
       "A", "'300.1.1.1/8' is not an IP address"},
      {"sqli_false", "id: A\nfilter:\n  query_param:\n    sqli: false\n", 4, "A",
       "sqli takes 'true'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = ParsePolicies(c.yaml, "errors.yaml");
    ASSERT_FALSE(r.ok());
    const std::string& msg = r.status().message();
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << msg;
    if (c.line > 0) {
      EXPECT_EQ(msg.rfind("errors.yaml:" + std::to_string(c.line) + ":", 0), 0u) << msg;
    }
    if (c.id != nullptr) {
      EXPECT_NE(msg.find(std::string(": policy ") + c.id + ":"), std::string::npos) << msg;
    } else {
      EXPECT_EQ(msg.find(": policy "), std::string::npos) << msg;
    }
    EXPECT_NE(msg.find(c.want_substr), std::string::npos) << msg;
  }
}

TEST(LoaderTest, ParsesWardenExtensions) {
  auto r = ParsePolicies(R"(id: Ext
filter:
  request_payload:
    transforms: [url_decode, lowercase]
    for_one:
      key: {regex: "^user\\.", not: {eq: user.id}}
      value:
        contains_either: "<script"
        length: {gt: 10, lte: 4096}
  source_ip:
    not_contains_cidr: [10.0.0.0/8, "2001:db8::/32"]
success:
  response_code: {gte: 200, lt: 300}
tests:
  - name: stored xss
    request: {method: POST, url: /u, body: "{}"}
    response: {status: 200}
    expect: match
    expect_success: true
)",
                         "ext.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Policy& p = r->front();
  ASSERT_EQ(p.filter.kind, Condition::Kind::kAnd);
  const Condition& term = p.filter.children[0];
  EXPECT_EQ(term.kind, Condition::Kind::kTerm);
  EXPECT_EQ(term.transforms, (std::vector<std::string>{"url_decode", "lowercase"}));
  EXPECT_EQ(term.chain.ToString(), "url_decode,lowercase");
  ASSERT_EQ(term.children.size(), 1u);
  const Condition& for_one = term.children[0];
  EXPECT_EQ(for_one.kind, Condition::Kind::kForOne);
  ASSERT_EQ(for_one.children.size(), 2u);
  EXPECT_EQ(for_one.children[0].kind, Condition::Kind::kKey);
  ASSERT_EQ(for_one.children[0].children.size(), 2u);
  EXPECT_EQ(for_one.children[0].children[1].kind, Condition::Kind::kNot);
  const Condition& value = for_one.children[1];
  EXPECT_EQ(value.kind, Condition::Kind::kValue);
  ASSERT_EQ(value.children.size(), 2u);
  EXPECT_EQ(value.children[1].kind, Condition::Kind::kLength);
  EXPECT_EQ(value.children[1].children.size(), 2u);
  const Condition& ip = p.filter.children[1];
  EXPECT_EQ(ip.selector, FindSelector("source_ip"));
  EXPECT_TRUE(ip.chain.empty());
  EXPECT_NE(ip.children[0].op, nullptr);
  ASSERT_TRUE(p.success.has_value());
  EXPECT_EQ(p.success->selector, FindSelector("response_code"));
  ASSERT_EQ(p.tests.size(), 1u);
  EXPECT_EQ(p.tests[0].expect_success, std::optional<bool>(true));
}

TEST(LoaderTest, DocumentMarkersAndLineNumbers) {
  auto r = ParsePolicies(
      "# library\n%YAML 1.2\n---\nid: A\nfilter: {url: {eq: /}}\n...\n---\n# B\nid: B\n"
      "filter: {url: {eq: /}}\n---\n",
      "docs.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].source.line, 4);
  EXPECT_EQ((*r)[1].source.line, 9);

  auto bad = ParsePolicies("id: A\nfilter: {url: {eq: /}}\n---\nid: B\nfilter: {url: {rgx: x}}\n",
                           "docs.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("docs.yaml:5: policy B:", 0), 0u)
      << bad.status().message();
}

// yaml-cpp 0.7's LoadAll loops forever (allocating) on these; the loader must return an error.
TEST(LoaderTest, MalformedStreamsDoNotHang) {
  for (const char* text : {",", ", a: {b: c\n", "id: A\n---\n,\n", "[:", "{:", "{# ke\ny{:"}) {
    auto r = ParsePolicies(text, "hang.yaml");
    EXPECT_FALSE(r.ok()) << text;
  }
}

TEST(LoaderTest, UnknownInfoKeysAreTolerated) {
  auto r = ParsePolicies(
      "id: A\ninfo: {name: x, author: me, extra: [1, 2]}\nfilter: {url: {eq: /}}\n", "t.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->front().info.name, "x");
}

TEST(LoaderTest, AktoAggregationCountingOptions) {
  auto r = ParsePolicies(R"yaml(id: Stuffing
filter: {url: {eq: /login}}
success_filter: {response_code: {eq: 200}}
failure_filter: {response_code: {eq: 401}}
aggregation_rules:
  - rule:
      name: failures then success
      condition:
        matchCount: 20
        windowThreshold: 10
        incrementFilter: failure_filter
        thresholdBreachFilter: success_filter
  - rule:
      name: many users
      condition:
        windowThreshold: 5
        distinctIdentifier: {count: 30, source: request_payload, key: username}
      post_aggregate_condition: {}
)yaml",
                         "agg.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Policy& p = r->front();
  ASSERT_EQ(p.aggregation_rules.size(), 2u);
  EXPECT_EQ(p.aggregation_rules[0].increment_filter, "failure_filter");
  EXPECT_EQ(p.aggregation_rules[0].threshold_breach_filter, "success_filter");
  EXPECT_FALSE(p.aggregation_rules[0].distinct.has_value());
  ASSERT_TRUE(p.aggregation_rules[1].distinct.has_value());
  EXPECT_EQ(p.aggregation_rules[1].distinct->count, 30);
  EXPECT_EQ(p.aggregation_rules[1].distinct->source, "request_payload");
  EXPECT_EQ(p.aggregation_rules[1].distinct->key, "username");
  EXPECT_EQ(p.aggregation_rules[1].window_minutes, 5);

  const std::pair<const char*, const char*> bad[] = {
      {"incrementFilter: other_filter", "incrementFilter: 'other_filter'"},
      {"distinctIdentifier: {count: 3, source: cookies, key: a}", "distinctIdentifier.source"},
      {"distinctIdentifier: {source: request_payload, key: a}", "needs count"},
      {"distinctIdentifier: {count: 3, source: request_payload}", "distinctIdentifier.key"},
      {"distinctIdentifier: {count: 3, source: query_param, key: a, extra: 1}", "extra"},
  };
  for (const auto& [line, want] : bad) {
    std::string text = std::string("id: A\nfilter: {url: {eq: /}}\naggregation_rules:\n") +
                       "  - rule:\n      condition:\n        matchCount: 5\n" +
                       "        windowThreshold: 5\n        " + line + "\n";
    auto e = ParsePolicies(text, "bad.yaml");
    ASSERT_FALSE(e.ok()) << line;
    EXPECT_NE(e.status().message().find(want), std::string::npos) << e.status().ToString();
  }
}

TEST(LoaderTest, RejectsTooDeepAndTooBig) {
  std::string deep = "id: A\nfilter:\n";
  std::string indent = "  ";
  for (int i = 0; i < 40; ++i) {
    deep += indent + "not:\n";
    indent += "  ";
  }
  deep += indent + "url: {eq: /}\n";
  auto r = ParsePolicies(deep, "deep.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nested too deeply"), std::string::npos)
      << r.status().message();

  // Aliases expand: 8 levels of 10 references would be 10^8 nodes.
  std::string bomb = "id: A\nl0: &l0 {url: {eq: /}}\n";
  bomb.clear();
  bomb = "id: A\nfilter:\n  or:\n";
  std::string defs;
  std::string prev = "{url: {eq: /}}";
  for (int level = 0; level < 8; ++level) {
    std::string list = "{or: [";
    for (int i = 0; i < 10; ++i) list += (i ? ", " : "") + prev;
    list += "]}";
    defs += "    - &l" + std::to_string(level) + " " + list + "\n";
    prev = "*l" + std::to_string(level);
  }
  bomb += defs;
  r = ParsePolicies(bomb, "bomb.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("condition nodes"), std::string::npos)
      << r.status().message();
}

class LoadPoliciesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::path(::testing::TempDir()) /
            ("warden_loader_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "builtin" / "sub");
    std::filesystem::create_directories(root_ / "user");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void Write(const std::filesystem::path& rel, const std::string& text) {
    std::ofstream(root_ / rel) << text;
  }

  std::filesystem::path root_;
};

TEST_F(LoadPoliciesTest, LoadsDirectoriesInOrder) {
  Write("builtin/b.yaml", "id: B\nfilter: {url: {eq: /b}}\n");
  Write("builtin/sub/a.yml", "id: A\nfilter: {url: {eq: /a}}\n");
  Write("builtin/readme.txt", "not a policy");
  Write("user/c.yaml", "id: C\nfilter: {url: {eq: /c}}\n");
  auto r = LoadPolicies({root_ / "builtin", root_ / "user"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::string> ids;
  for (const auto& p : *r) ids.push_back(p.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"B", "A", "C"}));
  EXPECT_EQ((*r)[2].source.ToString(), (root_ / "user" / "c.yaml").string() + ":1");
}

TEST_F(LoadPoliciesTest, DuplicateIdAcrossDirectoriesNamesBoth) {
  Write("builtin/x.yaml", "id: X\nfilter: {url: {eq: /}}\n");
  Write("user/y.yaml", "\n\nid: X\nfilter: {url: {eq: /}}\n");
  auto r = LoadPolicies({root_ / "builtin", root_ / "user"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists);
  const std::string& msg = r.status().message();
  EXPECT_NE(msg.find("y.yaml:3: policy X: duplicate id"), std::string::npos) << msg;
  EXPECT_NE(msg.find("x.yaml:1"), std::string::npos) << msg;
}

TEST_F(LoadPoliciesTest, FileErrors) {
  auto missing = LoadPolicies({root_ / "nope"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);

  Write("user/empty.yaml", "# nothing here\n");
  auto empty = LoadPolicies({root_ / "user"});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("holds no policy"), std::string::npos);

  Write("user/empty.yaml", "id: E\nfilter: {url: {regex: '('}}\n");
  auto bad = LoadPolicies({root_ / "user"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("empty.yaml:2: policy E:"), std::string::npos)
      << bad.status().message();

  auto unreadable = LoadPolicyFile(root_ / "user" / "absent.yaml");
  ASSERT_FALSE(unreadable.ok());
  EXPECT_EQ(unreadable.status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace warden
