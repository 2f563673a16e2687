#include "detect/detectors/sql_lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace warden::detectors {
namespace {

// One letter per token: s string, n number, v variable, w word, k keyword, o operator,
// ( ) , ; c comment, ? other; an open string is S.
std::string Shape(std::string_view text, char quote = 0) {
  SqlTokens tokens;
  TokenizeSql(text, quote, &tokens);
  std::string out;
  for (std::size_t i = 0; i < tokens.size; ++i) {
    const SqlToken& t = tokens.items[i];
    switch (t.kind) {
      case SqlTokenKind::kString:
        out.push_back((t.flags & kSqlOpen) != 0 ? 'S' : 's');
        break;
      case SqlTokenKind::kNumber: out.push_back('n'); break;
      case SqlTokenKind::kVariable: out.push_back('v'); break;
      case SqlTokenKind::kWord: out.push_back('w'); break;
      case SqlTokenKind::kKeyword: out.push_back('k'); break;
      case SqlTokenKind::kOperator: out.push_back('o'); break;
      case SqlTokenKind::kLParen: out.push_back('('); break;
      case SqlTokenKind::kRParen: out.push_back(')'); break;
      case SqlTokenKind::kComma: out.push_back(','); break;
      case SqlTokenKind::kSemicolon: out.push_back(';'); break;
      case SqlTokenKind::kComment: out.push_back('c'); break;
      case SqlTokenKind::kOther: out.push_back('?'); break;
    }
  }
  return out;
}

TEST(SqlLexerTest, ClassifiesTokens) {
  struct Case {
    const char* name;
    std::string_view text;
    char quote;
    std::string want;
  };
  const Case cases[] = {
      {"words_and_keywords", "select name from users", 0, "kwkw"},
      {"numbers", "1 2.5 .5 1e3 0x1F 0b101", 0, "nnnnnn"},
      {"digit_led_word", "2nd 1abc", 0, "ww"},
      {"number_glued_keyword", "1union 1or", 0, "nknk"},
      {"strings_doubled_quote", "'it''s' \"q\"", 0, "ss"},
      {"prefixed_strings", "N'x' X'41' _utf8'y'", 0, "sss"},
      {"open_string", "'abc", 0, "S"},
      {"variables", "@a @@version @`q`", 0, "vvv"},
      {"dotted_names", "information_schema.tables master..xp_cmdshell t.*", 0, "www"},
      {"backtick", "`select`", 0, "w"},
      {"keyword_glued_to_number", "select.1 union.2", 0, "knkn"},
      {"object_name_then_digit_part", "table.1a", 0, "w"},
      {"glob_operator", "a glob b", 0, "wkw"},
      {"operators", "= <> != <=> || && :: := !", 0, "ooooooooo"},
      {"punctuation", "(a,b);", 0, "(w,w);"},
      {"line_comment_to_end", "1 -- rest", 0, "nc"},
      {"hash_comment", "1 # rest", 0, "nc"},
      {"line_comment_then_newline", "1 --x\n2", 0, "ncn"},
      {"closed_block_comment_dropped", "1/**/2", 0, "nn"},
      {"open_block_comment", "1 /* rest", 0, "nc"},
      {"versioned_comment_body", "/*!50000union*/ /*!select*/", 0, "kk"},
      {"short_version_is_body", "/*!1*/", 0, "n"},
      {"mysql_null", "\\N", 0, "n"},
      {"context_string_closed", "abc' or 1", '\'', "skn"},
      {"context_string_open", "abc", '\'', "S"},
      {"context_doubled_quote_stays", "a''b", '\'', "S"},
      {"context_double_quote", "x\" or \"y", '"', "skS"},
      {"control_bytes_are_space", std::string_view("1\0or\x0b" "2", 6), 0, "nkn"},
      {"utf8_stays_in_word", "caf\xc3\xa9 x", 0, "ww"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Shape(c.text, c.quote), c.want) << c.name;
  }
}

TEST(SqlLexerTest, BackslashEscapesOnlyWhenAsked) {
  SqlLexer plain("a\\' or 1", '\'');
  SqlToken t;
  ASSERT_TRUE(plain.Next(&t));
  EXPECT_EQ(t.flags & kSqlOpen, 0);  // standard SQL: the quote closes the string
  SqlLexer mysql("a\\' or 1", '\'', /*backslash_escapes=*/true);
  ASSERT_TRUE(mysql.Next(&t));
  EXPECT_NE(t.flags & kSqlOpen, 0);  // MySQL: \' is a quote inside the string
}

TEST(SqlLexerTest, CapsTokenArray) {
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "1,";
  SqlTokens tokens;
  TokenizeSql(many, 0, &tokens);
  EXPECT_EQ(tokens.size, kMaxSqlTokens);
  EXPECT_TRUE(tokens.truncated);
}

TEST(SqlLexerTest, LooksUpKeywordsAndFunctions) {
  EXPECT_EQ(LookupSqlKeyword("UnIoN"), SqlKeyword::kUnion);
  EXPECT_EQ(LookupSqlKeyword("unions"), SqlKeyword::kNone);
  EXPECT_EQ(LookupSqlKeyword(std::string(100, 'a')), SqlKeyword::kNone);
  EXPECT_EQ(LookupSqlFunction("SLEEP"), SqlFunctionKind::kDelay);
  EXPECT_EQ(LookupSqlFunction("dbms_lock.sleep"), SqlFunctionKind::kDelay);
  EXPECT_EQ(LookupSqlFunction("utl_http.request"), SqlFunctionKind::kEscape);
  EXPECT_EQ(LookupSqlFunction("version"), SqlFunctionKind::kInfo);
  EXPECT_EQ(LookupSqlFunction("concat"), SqlFunctionKind::kCommon);
  EXPECT_EQ(LookupSqlFunction("my_function"), SqlFunctionKind::kUnknown);
}

}  // namespace
}  // namespace warden::detectors
