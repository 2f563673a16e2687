#include <gtest/gtest.h>

#include <string>

#include "detect/operators/operator.h"

namespace warden {
namespace {

Operand Scalar(std::string v) { return Operand{.values = {std::move(v)}, .is_list = false}; }
Operand List(std::vector<std::string> v) {
  return Operand{.values = std::move(v), .is_list = true};
}

struct MatchCase {
  const char* name;
  const char* op;
  Operand operand;
  std::string input;
  bool want;
  std::string want_fragment;  // checked when want is true
};

TEST(OperatorsTest, MatchTable) {
  const MatchCase cases[] = {
      {"regex_hit_fragment", "regex", Scalar("(?i)union\\s+select"), "1 UNION  select x", true,
       "UNION  select"},
      {"regex_unanchored", "regex", Scalar("union\\s+select"), "reunion selection", true,
       "union select"},
      {"regex_miss", "regex", Scalar("union\\s+select"), "union-select", false, ""},
      {"regex_anchored_miss", "regex", Scalar("^abc$"), "xabc", false, ""},
      {"regex_case_sensitive", "regex", Scalar("select"), "SELECT", false, ""},
      // RE2 (UTF-8 mode) never matches a stray byte; the scan replaces such bytes by U+FFFD
      // before operators run (see EngineTest.InvalidUtf8IsReplacedBeforeMatching).
      {"regex_invalid_utf8", "regex", Scalar("a.b"),
       std::string("a\xff"
                   "b",
                   3),
       false, ""},
      {"regex_utf8", "regex", Scalar("a.b"),
       "a\xc3\xa9"
       "b",
       true,
       "a\xc3\xa9"
       "b"},
      {"regex_nul_input", "regex", Scalar("x\\x00y"), std::string("x\0y", 3), true,
       std::string("x\0y", 3)},
      // The empty text is answered without a search: as the pattern would.
      {"regex_empty_miss", "regex", Scalar("a*b"), "", false, ""},
      {"regex_empty_hit", "regex", Scalar("^$"), "", true, ""},
      {"regex_empty_optional", "regex", Scalar("(?i)x?"), "", true, ""},
      {"contains_either_scalar", "contains_either", Scalar("../"), "a/../b", true, "../"},
      {"contains_either_list_second", "contains_either", List({"zz", "/etc/"}), "cat /etc/passwd",
       true, "/etc/"},
      {"contains_either_case", "contains_either", Scalar("Script"), "<script>", false, ""},
      {"contains_either_miss", "contains_either", List({"a", "b"}), "xyz", false, ""},
      {"contains_all_hit", "contains_all", List({"select", "from"}), "x select y from z", true,
       "select y from"},
      {"contains_all_miss", "contains_all", List({"select", "from"}), "select only", false, ""},
      // Negated operators: Match() is the positive test; the evaluator negates.
      {"not_contains_positive_form", "not_contains", List({"a", "b"}), "xbx", true, "b"},
      {"eq_string", "eq", Scalar("POST"), "POST", true, "POST"},
      {"eq_string_case", "eq", Scalar("POST"), "post", false, ""},
      {"eq_numeric", "eq", Scalar("200"), "200.0", true, "200.0"},
      {"eq_numeric_vs_text", "eq", Scalar("200"), "abc", false, ""},
      {"eq_list", "eq", List({"PUT", "PATCH"}), "PATCH", true, "PATCH"},
      {"neq_positive_form", "neq", Scalar("200"), "200", true, "200"},
      {"gt_hit", "gt", Scalar("400"), "500", true, "500"},
      {"gt_equal", "gt", Scalar("400"), "400", false, ""},
      {"gt_text", "gt", Scalar("400"), "abc", false, ""},
      {"gte_equal", "gte", Scalar("400"), "400", true, "400"},
      {"gte_below", "gte", Scalar("400"), "399", false, ""},
      {"lt_hit", "lt", Scalar("500"), "499", true, "499"},
      {"lt_equal", "lt", Scalar("500"), "500", false, ""},
      {"lte_equal", "lte", Scalar("500"), "500", true, "500"},
      {"lte_float", "lte", Scalar("1.5"), "1.25", true, "1.25"},
      {"lte_above", "lte", Scalar("1.5"), "2", false, ""},
      {"not_contains_either_positive_form", "not_contains_either", List({"x", "y"}), "aya", true,
       "y"},
      {"cidr_v4_hit", "contains_either_cidr", List({"10.0.0.0/8", "192.0.2.0/24"}), "192.0.2.77",
       true, "192.0.2.77"},
      {"cidr_v4_miss", "contains_either_cidr", Scalar("10.0.0.0/8"), "11.0.0.1", false, ""},
      {"cidr_v4_odd_prefix", "contains_either_cidr", Scalar("172.16.0.0/12"), "172.31.255.255",
       true, "172.31.255.255"},
      {"cidr_v4_odd_prefix_miss", "contains_either_cidr", Scalar("172.16.0.0/12"), "172.32.0.1",
       false, ""},
      {"cidr_bare_address", "contains_either_cidr", Scalar("203.0.113.9"), "203.0.113.9", true,
       "203.0.113.9"},
      {"cidr_v6_hit", "contains_either_cidr", Scalar("2001:db8::/32"), "2001:db8:1::5", true,
       "2001:db8:1::5"},
      {"cidr_v6_miss", "contains_either_cidr", Scalar("2001:db8::/32"), "2001:db9::5", false, ""},
      {"cidr_v4_mapped", "contains_either_cidr", Scalar("10.0.0.0/8"), "::ffff:10.1.2.3", true,
       "::ffff:10.1.2.3"},
      {"cidr_v6_vs_v4", "contains_either_cidr", Scalar("::/0"), "10.1.2.3", false, ""},
      {"cidr_zero_prefix", "contains_either_cidr", Scalar("0.0.0.0/0"), "8.8.8.8", true,
       "8.8.8.8"},
      {"cidr_not_an_ip", "contains_either_cidr", Scalar("10.0.0.0/8"), "10.0.0.1.evil", false,
       ""},
      {"not_contains_cidr_positive_form", "not_contains_cidr", Scalar("10.0.0.0/8"), "10.9.9.9",
       true, "10.9.9.9"},
      {"sqli_tautology", "sqli", Scalar("true"), "1' OR '1'='1", true, "1' OR '1'='1"},
      {"sqli_benign", "sqli", Scalar("true"), "O'Brien and sons", false, ""},
      {"xss_script", "xss", Scalar("true"), "<script>alert(1)</script>", true,
       "<script>alert(1)</script>"},
      {"xss_benign", "xss", Scalar("true"), "1 < 2 and 3 > 2", false, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const OperatorDef* def = FindOperator(c.op);
    ASSERT_NE(def, nullptr);
    auto op = def->make(c.operand);
    ASSERT_TRUE(op.ok()) << op.status().ToString();
    std::string_view fragment;
    bool got = (*op)->Match(c.input, &fragment);
    EXPECT_EQ(got, c.want);
    if (c.want && got) {
      EXPECT_EQ(fragment, c.want_fragment);
    }
  }
}

TEST(OperatorsTest, NegatedFlags) {
  for (const auto& def : Operators()) {
    Operand operand = Scalar("1");
    if (def.name == "regex") operand = Scalar("x");
    if (def.name == "contains_either_cidr" || def.name == "not_contains_cidr") {
      operand = Scalar("10.0.0.0/8");
    }
    if (def.name == "sqli" || def.name == "xss") operand = Scalar("true");
    auto op = def.make(operand);
    ASSERT_TRUE(op.ok()) << def.name << ": " << op.status().ToString();
    bool want = def.name == "neq" || def.name == "not_contains" ||
                def.name == "not_contains_either" || def.name == "not_contains_cidr";
    EXPECT_EQ((*op)->negated(), want) << def.name;
  }
}

TEST(OperatorsTest, FactoryErrors) {
  struct Case {
    const char* name;
    const char* op;
    Operand operand;
    const char* want_substr;
  };
  const Case cases[] = {
      {"regex_lookahead", "regex", Scalar("a(?=b)"), "invalid regex"},
      {"regex_backref", "regex", Scalar("(a)\\1"), "invalid regex"},
      {"regex_unbalanced", "regex", Scalar("(abc"), "invalid regex"},
      {"regex_list", "regex", List({"a", "b"}), "one value"},
      {"contains_either_empty_string", "contains_either", Scalar(""), "empty string"},
      {"contains_either_empty_list", "contains_either", List({}), "at least one"},
      {"contains_all_empty", "contains_all", List({"a", ""}), "empty string"},
      {"not_contains_empty", "not_contains", Scalar(""), "empty string"},
      {"eq_empty_list", "eq", List({}), "needs a value"},
      {"gt_text", "gt", Scalar("abc"), "needs a number"},
      {"gte_list", "gte", List({"1", "2"}), "one value"},
      {"lt_empty", "lt", Scalar(""), "needs a number"},
      {"lte_inf", "lte", Scalar("inf"), "needs a number"},
      {"not_contains_either_empty", "not_contains_either", List({"a", ""}), "empty string"},
      {"cidr_garbage", "contains_either_cidr", Scalar("10.0.0/8x"), "not an IP address"},
      {"cidr_prefix_too_long", "contains_either_cidr", Scalar("10.0.0.0/33"), "prefix length"},
      {"cidr_v6_prefix_too_long", "not_contains_cidr", Scalar("2001:db8::/129"),
       "prefix length"},
      {"cidr_host_bits", "contains_either_cidr", Scalar("10.0.0.1/8"), "host bits"},
      {"cidr_negative_prefix", "contains_either_cidr", Scalar("10.0.0.0/-1"), "prefix length"},
      {"cidr_empty", "contains_either_cidr", List({}), "at least one"},
      {"sqli_false", "sqli", Scalar("false"), "takes 'true'"},
      {"xss_list", "xss", List({"true"}), "one value"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto op = FindOperator(c.op)->make(c.operand);
    ASSERT_FALSE(op.ok());
    EXPECT_EQ(op.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(op.status().message().find(c.want_substr), std::string::npos)
        << op.status().message();
  }
}

TEST(OperatorsTest, PrefilterHints) {
  auto re = MakeRegexOperator(Scalar("ab+c"));
  ASSERT_TRUE(re.ok());
  ASSERT_EQ((*re)->Prefilter().size(), 1u);
  EXPECT_EQ((*re)->Prefilter()[0].expression, "ab+c");
  EXPECT_FALSE((*re)->Prefilter()[0].literal);

  auto ce = MakeContainsEitherOperator(List({"x", "yy"}));
  ASSERT_TRUE(ce.ok());
  EXPECT_EQ((*ce)->Prefilter().size(), 2u);

  auto ca = MakeContainsAllOperator(List({"x", "yyy"}));
  ASSERT_TRUE(ca.ok());
  ASSERT_EQ((*ca)->Prefilter().size(), 1u);
  EXPECT_EQ((*ca)->Prefilter()[0].expression, "yyy");

  // Negated and numeric operators give no hint: the prefilter must evaluate such policies.
  EXPECT_TRUE((*MakeNotContainsOperator(Scalar("x")))->Prefilter().empty());
  EXPECT_TRUE((*MakeNeqOperator(Scalar("x")))->Prefilter().empty());
  EXPECT_TRUE((*MakeEqOperator(Scalar("200")))->Prefilter().empty());
  EXPECT_TRUE((*MakeGtOperator(Scalar("1")))->Prefilter().empty());
  EXPECT_TRUE((*MakeNotContainsEitherOperator(Scalar("x")))->Prefilter().empty());
  EXPECT_TRUE((*MakeContainsEitherCidrOperator(Scalar("10.0.0.0/8")))->Prefilter().empty());
  EXPECT_TRUE((*MakeSqliOperator(Scalar("true")))->Prefilter().empty());
  EXPECT_TRUE((*MakeXssOperator(Scalar("true")))->Prefilter().empty());
  EXPECT_EQ((*MakeEqOperator(Scalar("POST")))->Prefilter().size(), 1u);
}

TEST(OperatorsTest, DetectorsExplainTheirVerdict) {
  auto sqli = MakeSqliOperator(Scalar("true"));
  ASSERT_TRUE(sqli.ok());
  std::string why = (*sqli)->Explain("1 UNION SELECT password FROM users");
  EXPECT_EQ(why.rfind("sqli: ", 0), 0u) << why;
  EXPECT_NE(why.find("fingerprint"), std::string::npos) << why;
  EXPECT_TRUE((*sqli)->Explain("hello").empty());
  auto xss = MakeXssOperator(Scalar("true"));
  ASSERT_TRUE(xss.ok());
  why = (*xss)->Explain("<img src=x onerror=alert(1)>");
  EXPECT_EQ(why.rfind("xss: ", 0), 0u) << why;
  // Plain operators have nothing to add.
  EXPECT_TRUE((*MakeRegexOperator(Scalar("a")))->Explain("a").empty());
}

TEST(OperatorsTest, TableNamesAreUniqueAndFindable) {
  for (const auto& def : Operators()) {
    EXPECT_EQ(FindOperator(def.name), &def);
  }
  EXPECT_EQ(FindOperator("regx"), nullptr);
  EXPECT_EQ(FindOperator(""), nullptr);
}

}  // namespace
}  // namespace warden
