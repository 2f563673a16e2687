#include "detect/detectors/sql_lexer.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/strings.h"

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

// Every name of both tables is found whatever its case, and no word one letter longer or shorter
// is taken for it (unless that word is a name too): the tables are searched through an index by
// first letter and length.
TEST(SqlLexerTest, FindsEveryNameAndNothingNearIt) {
  const std::vector<std::string> keywords = {
      "all", "alter", "and", "any", "as", "asc", "begin", "between", "binary", "by", "case",
      "collate", "column", "create", "cross", "current_user", "database", "declare", "delay",
      "delete", "desc", "describe", "distinct", "distinctrow", "div", "drop", "dumpfile",
      "else", "end", "escape", "except", "exec", "execute", "exists", "false", "for", "from",
      "full", "function", "glob", "grant", "group", "having", "if", "ilike", "in", "index",
      "inner", "insert", "intersect", "interval", "into", "is", "join", "left", "like",
      "limit", "login", "mod", "natural", "not", "null", "offset", "on", "or", "order",
      "outer", "outfile", "procedure", "regexp", "revoke", "right", "rlike", "role", "schema",
      "select", "session_user", "set", "shutdown", "some", "sounds", "system_user", "table",
      "then", "time", "top", "trigger", "true", "truncate", "union", "update", "user",
      "using", "values", "view", "waitfor", "when", "where", "with", "xor"};
  const std::vector<std::string> functions = {
      "abs", "aes_decrypt", "aes_encrypt", "ascii", "benchmark", "bin", "cast", "ceil",
      "ceiling", "char", "char_length", "chr", "coalesce", "concat", "concat_ws",
      "connection_id", "conv", "convert", "count", "current_database", "current_schema",
      "current_user", "database", "db_name", "dblink", "dblink_connect", "decode", "elt",
      "exp", "extractvalue", "find_in_set", "floor", "geometrycollection", "get_host_address",
      "get_host_name", "get_lock", "greatest", "group_concat", "gtid_subset", "gtid_subtract",
      "hex", "host_name", "httpuritype", "if", "ifnull", "iif", "inet_server_addr", "instr",
      "isnull", "json_extract", "json_keys", "lcase", "least", "left", "len", "length",
      "linestring", "listagg", "lo_export", "lo_get", "lo_import", "load_extension",
      "load_file", "locate", "lower", "lpad", "make_set", "max", "md5", "mid", "min",
      "multilinestring", "multipoint", "multipolygon", "name_const", "nchar", "now", "nullif",
      "oct", "opendatasource", "openquery", "openrowset", "ord", "pg_ls_dir",
      "pg_read_binary_file", "pg_read_file", "pg_sleep", "pg_sleep_for", "pg_sleep_until",
      "pi", "polygon", "position", "rand", "randomblob", "receive_message", "replace",
      "reverse", "right", "round", "rpad", "schema", "session_user", "sha1", "sha2", "sleep",
      "soundex", "sp_oacreate", "sp_oamethod", "sqlite_version", "strcmp", "string_agg",
      "substr", "substring", "substring_index", "sum", "suser_name", "suser_sname",
      "sys_eval", "sys_exec", "sysdate", "system_user", "to_char", "to_hex", "ucase", "unhex",
      "unicode", "updatexml", "upper", "user", "user_name", "utl_http.request", "version",
      "xmltype", "xp_cmdshell", "xp_dirtree", "xp_fileexist", "xp_regread", "xp_regwrite",
      "xp_servicecontrol", "xp_subdirs"};
  const std::set<std::string> keyword_set(keywords.begin(), keywords.end());
  const std::set<std::string> function_set(functions.begin(), functions.end());
  for (const std::string& k : keywords) {
    EXPECT_NE(LookupSqlKeyword(k), SqlKeyword::kNone) << k;
    EXPECT_NE(LookupSqlKeyword(AsciiUppered(k)), SqlKeyword::kNone) << k;
    for (const std::string& near : {k + "x", k + "_", k.substr(0, k.size() - 1), "x" + k}) {
      if (near.empty() || keyword_set.count(near) != 0) continue;
      EXPECT_EQ(LookupSqlKeyword(near), SqlKeyword::kNone) << near;
    }
  }
  for (const std::string& f : functions) {
    EXPECT_NE(LookupSqlFunction(f), SqlFunctionKind::kUnknown) << f;
    EXPECT_NE(LookupSqlFunction(AsciiUppered(f)), SqlFunctionKind::kUnknown) << f;
    if (f.find('.') == std::string::npos) {
      EXPECT_NE(LookupSqlFunction("db." + f), SqlFunctionKind::kUnknown) << f;
    }
    for (const std::string& near : {f + "x", f.substr(0, f.size() - 1), "x" + f}) {
      if (near.empty() || function_set.count(near) != 0 || near.find('.') != std::string::npos) {
        continue;
      }
      EXPECT_EQ(LookupSqlFunction(near), SqlFunctionKind::kUnknown) << near;
    }
  }
}

}  // namespace
}  // namespace warden::detectors
