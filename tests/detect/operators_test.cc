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
    auto op = def.make(def.name == "regex" ? Scalar("x") : Scalar("1"));
    ASSERT_TRUE(op.ok()) << def.name;
    bool want = def.name == "neq" || def.name == "not_contains";
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
  EXPECT_EQ((*MakeEqOperator(Scalar("POST")))->Prefilter().size(), 1u);
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
