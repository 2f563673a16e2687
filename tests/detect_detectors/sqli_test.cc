#include "detect/detectors/sqli.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace warden {
namespace {

struct Case {
  const char* name;
  std::string_view value;
};

std::string CaseName(const testing::TestParamInfo<Case>& info) { return info.param.name; }

// Values an attacker sends, one per technique. Written for these tests, not taken from any
// payload list.
const Case kAttacks[] = {
    // boolean conditions after a closed quote
    {"quote_or_tautology_comment", "' or 1=1--"},
    {"quote_or_string_compare", "nobody' OR 'a'='a"},
    {"quote_and_string_compare", "42' AND 'z'='z"},
    {"double_quote_or", "\" or 7=7 -- "},
    {"double_quote_empty_compare", "\" or \"\"=\""},
    {"paren_quote_breakout", "abc') or ('q'='q"},
    {"quote_or_true_comment", "' OR TRUE#"},
    {"quote_like_tautology", "name' or user like user -- x"},
    {"quote_and_subquery_count", "x' AND (SELECT COUNT(*) FROM accounts) > 0 --"},
    {"quote_or_identical_columns", "z' or col=col or 'x"},
    // boolean conditions unquoted
    {"numeric_or_tautology", "15 or 2=2"},
    {"numeric_paren_breakout", "3) OR (8=8"},
    {"numeric_and_ascii_blind", "7 AND ASCII(SUBSTRING(@@version,1,1))>51"},
    {"numeric_or_literal_comment", "9 or 1 -- "},
    {"appended_and_literals", " AND 31=31"},
    // comment truncation after the quote
    {"quote_dash_comment", "administrator'--"},
    {"quote_hash_comment", "root'#"},
    {"quote_paren_block_comment", "bob')/*"},
    // UNION
    {"union_select_numbers", "-5 UNION SELECT 1,2,3--"},
    {"union_all_select_nulls", "' union all select null,null,null--"},
    {"union_select_functions", "0 union select concat(user(),0x3a,version()),2"},
    {"union_versioned_comments", "1/*!50000UNION*//*!50000SELECT*/ 1,2"},
    {"union_inline_comments", "2 UnIoN/**/SeLeCt/**/password/**/FrOm/**/users"},
    {"union_after_quote_bare", "x' UNION SELECT"},
    {"union_glued_to_number", "1union select 1,2"},
    // stacked statements
    {"stacked_drop_table", "7; DROP TABLE orders--"},
    {"stacked_exec_cmdshell", "'; EXEC master..xp_cmdshell 'ping 10.0.0.1'--"},
    {"stacked_insert", "'); INSERT INTO admins VALUES('eve','pw');--"},
    {"stacked_update", "1; update users set role='admin' where id=1"},
    {"stacked_select_sleep", "1;SELECT pg_sleep(3)"},
    {"stacked_declare", "';declare @q varchar(99) set @q=0x41 exec(@q)--"},
    {"stacked_shutdown", "'; shutdown--"},
    {"stacked_shutdown_in_block", "x'; begin shutdown end--"},
    {"mssql_batch_goto", "x' goto l l: declare @c varchar(9) exec(@c)--"},
    // time based and out of band
    {"sleep_in_condition", "5 and sleep(4)"},
    {"sleep_with_comment", "sleep(4)#"},
    {"benchmark_md5", "1 AND BENCHMARK(4000000,MD5(0x41))"},
    {"pg_sleep_concat", "'||pg_sleep(4)--"},
    {"mssql_waitfor", "1 WAITFOR DELAY '0:0:4'--"},
    {"mssql_waitfor_after_quote", "x'; waitfor delay '00:00:04'--"},
    {"oracle_receive_message", "' AND 7=DBMS_PIPE.RECEIVE_MESSAGE('a',4)--"},
    {"load_file", "0 union select load_file('/etc/shadow')"},
    {"oracle_utl_inaddr", "' and 1=utl_inaddr.get_host_address((select user from dual))--"},
    // error based and obfuscated
    {"convert_error", "' AND 1=CONVERT(int,(SELECT @@version))--"},
    {"extractvalue_error", "9 and extractvalue(1,concat(0x7e,database()))"},
    {"char_concat_mssql", "'+char(65)+char(66)+'"},
    {"hex_compare", "' or username=0x61646d696e--"},
    {"pipes_concat_version", "'||version()||'"},
    // probing and files
    {"order_by_probe", "1 ORDER BY 9--"},
    {"group_by_probe_after_quote", "a' GROUP BY 1,2--"},
    {"having_tautology", "' having 5=5--"},
    {"into_outfile", "' into outfile '/var/www/s.php'#"},
    // statements as the whole value
    {"whole_select_star", "SELECT * FROM information_schema.tables"},
    {"whole_insert", "insert into users (name) values ('x')"},
    {"whole_drop", "drop table accounts;"},
    // MySQL backslash and double encoding
    {"backslash_quote_mysql", "abc\\' or 3=3-- "},
    {"percent_encoded_twice", "%27%20or%201%3D1--"},
    // empty-string operator probes
    {"quote_equals_quote", "'='"},
    {"quote_concat_quote", "x'||'"},
    {"quote_keyword_operator", "'REGEXP'"},
    // a whole form field in one value (its '=' encoded once more)
    {"field_with_where_continuation", "region=OR 5=5"},
    {"field_with_quote_breakout", "sku=x' or 'b'='b"},
    // a whole value that is a comparison of literals which holds
    {"literal_equality", "3=3"},
    {"literal_inequality", "4<>5"},
    {"literal_like", "8 like 8"},
    {"literal_is_not", "6 IS NOT 9"},
    {"string_literal_equality", "'k'='k'"},
    // SQLite GLOB, statement ended with ';' after the closed quote
    {"quote_glob_semicolon", "bob' glob 2;"},
    {"quote_glob_comment", "w'not glob-w--"},
    // set operator at the start; keyword glued to a number
    {"except_select_at_start", "except select 3,4"},
    {"intersect_select_glued", "intersect select.5,6"},
    // a hash comment holding one filler word
    {"quote_or_not_false_hash_word", "k'or not false #qq"},
    {"quote_rlike_binary_hash_bracket", "k'RLIKE BINARY 0#("},
};


// Ordinary API values: names, prose, search phrases, identifiers, headers.
const Case kBenign[] = {
    {"irish_name", "O'Brien"},
    {"french_name", "d'Artagnan"},
    {"contraction", "it's fine"},
    {"quoted_contraction", "\"it's fine\""},
    {"possessive_plural_and", "The Smiths' and the Joneses' house"},
    {"possessive_ampersand", "kids' & parents' guide"},
    {"rock_n_roll", "Rock 'n' roll"},
    {"height", "I'm 5' 10\""},
    {"quoted_speech", "He said \"hi\" and left"},
    {"select_a_size", "select a size"},
    {"select_two_items", "Select 2 items"},
    {"union_street", "tom's union street"},
    {"union_alone", "union"},
    {"order_by_price", "order by price"},
    {"drop_me_a_line", "drop me a line"},
    {"delete_from_cart", "delete from cart"},
    {"create_user_account", "create user account"},
    {"rock_and_roll", "rock & roll"},
    {"percent_off", "50% off"},
    {"one_or_two_items", "1 or 2 items"},
    {"one_or_two", "1 or 2"},
    {"black_or_white", "black or white"},
    {"tea_and_coffee", "tea and coffee = good"},
    {"filter_like_text", "x = y and z"},
    {"date", "2024-01-01"},
    {"datetime", "2024-01-01T10:20:30Z"},
    {"email", "john.doe@example.com"},
    {"email_display", "John Doe <john@example.com>"},
    {"json_fragment", "{\"a\": \"b\", \"c\": 1}"},
    {"json_array", "[\"or\", \"and\", 1]"},
    {"kebab_identifier", "user-id"},
    {"subtraction", "1-2"},
    {"md5_hash", "5f4dcc3b5aa765d61d8327deb882cf99"},
    {"base64", "aGVsbG8gd29ybGQ="},
    {"url", "https://example.com/a?b=c&d=e#frag"},
    {"path", "/var/www/html/index.php"},
    {"user_agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"},
    {"accept_header", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    {"cookie_pairs", "sid=abc123; theme=dark"},
    {"hashtag", "#1 best seller"},
    {"c_sharp_or_java", "C# or Java"},
    {"sleep_hours", "sleep (8 hours)"},
    {"version_beta", "version 2.0 (beta)"},
    {"quoted_words_or", "'quoted' or 'not'"},
    {"dash_dash_prose", "Who's there? -- me"},
    {"semicolon_prose", "isn't it; don't you think"},
    {"prose_select", "Why union? Select wisely."},
    {"exec_prose", "1; exec will create the case"},
    {"exec_bracket_alone", "exec ("},
    {"product_inch_hash", "7\" #2 needle"},
    {"product_minus_words", "BROWN -BABY -KIDS' --INFANT -CHILD"},
    {"quoted_ampersand", "SMALL \"&\" SIGN"},
    {"quoted_like", "BROWNING \"LIKE\""},
    {"quoted_star", "\"*\""},
    {"spanish_address", "c/ caridad s/n"},
    {"phone", "+1 (555) 010-9999"},
    {"empty", ""},
    {"number", "12345"},
    {"negative_decimal", "-12.5"},
    {"field_with_prose", "note=salt and pepper or chili"},
    {"field_with_setting", "theme=dark; lang=de-DE"},
    {"field_with_comparison_words", "filter=price greater or equal 10"},
    {"literal_comparison_false", "12=5"},
    {"literal_is_not_same", "4 is not 4"},
    {"score", "3-1"},
    {"ratio", "16:9"},
    {"quoted_glob_word", "the 'glob' of paint"},
    {"except_prose", "except the red one, 2 items"},
    {"section_number", "select.2 of the menu"},
    {"quoted_or_numbered_hash", "the 'deluxe' or not #1 seller"},
    {"hashtag_after_quote", "love 'this' #summer vibes"},
};


class SqliAttackTest : public testing::TestWithParam<Case> {};

TEST_P(SqliAttackTest, Matches) {
  const SqliMatch m = DetectSqli(GetParam().value);
  EXPECT_TRUE(m.matched) << GetParam().value;
  if (m.matched) {
    EXPECT_FALSE(m.context.empty());
    EXPECT_FALSE(m.reason.empty());
    EXPECT_FALSE(m.fingerprint.empty());
    EXPECT_LE(m.fingerprint.size(), 12u);
  }
}

INSTANTIATE_TEST_SUITE_P(Techniques, SqliAttackTest, testing::ValuesIn(kAttacks), CaseName);

class SqliBenignTest : public testing::TestWithParam<Case> {};

TEST_P(SqliBenignTest, DoesNotMatch) {
  const SqliMatch m = DetectSqli(GetParam().value);
  EXPECT_FALSE(m.matched) << GetParam().value << " -> " << m.context << " " << m.fingerprint
                          << " " << m.reason;
}

INSTANTIATE_TEST_SUITE_P(Values, SqliBenignTest, testing::ValuesIn(kBenign), CaseName);

TEST(SqliTest, ReportsContextFingerprintAndReason) {
  const SqliMatch quoted = DetectSqli("' or 1=1--");
  ASSERT_TRUE(quoted.matched);
  EXPECT_EQ(quoted.context, "single-quote");
  EXPECT_EQ(quoted.fingerprint, "s&nonc");
  EXPECT_NE(quoted.reason.find("boolean"), std::string_view::npos);

  const SqliMatch bare = DetectSqli("-1 UNION SELECT 1,2");
  ASSERT_TRUE(bare.matched);
  EXPECT_EQ(bare.context, "unquoted");
  EXPECT_EQ(bare.reason, "UNION SELECT");

  const SqliMatch dq = DetectSqli("\" or 1=1 --");
  ASSERT_TRUE(dq.matched);
  EXPECT_EQ(dq.context, "double-quote");
}

TEST(SqliTest, FlagsDecodingOnlyWhenNeeded) {
  EXPECT_FALSE(DetectSqli("' or 1=1--").decoded);
  const SqliMatch m = DetectSqli("1%20union%20select%201,2");
  ASSERT_TRUE(m.matched);
  EXPECT_TRUE(m.decoded);
}

TEST(SqliTest, AcceptsAnyBytes) {
  const std::string nul_split("1 UNION\0SELECT 1,2", 18);
  EXPECT_TRUE(DetectSqli(nul_split).matched);  // NUL separates tokens like whitespace
  EXPECT_FALSE(DetectSqli(std::string("\xff\xfe\x00\x80'", 5)).matched);
  EXPECT_FALSE(DetectSqli("caf\xc3\xa9 cr\xc3\xa8" "me br\xc3\xbb" "l\xc3\xa9" "e").matched);
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes.push_back(static_cast<char>(c));
  DetectSqli(all_bytes);  // must not crash; the verdict does not matter
}

TEST(SqliTest, LongValuesAreReadAtBothEnds) {
  const std::string padding(3 * kSqliMaxInputBytes, 'A');
  EXPECT_TRUE(DetectSqli("' or 1=1--" + padding).matched);
  EXPECT_TRUE(DetectSqli(padding + "' UNION SELECT password FROM users--").matched);
  // The middle of a long value is not examined: the cost of a call stays bounded.
  EXPECT_FALSE(DetectSqli(padding + "' or 1=1--" + padding).matched);
  EXPECT_FALSE(DetectSqli(padding).matched);
}

TEST(SqliTest, DeepNestingIsBounded) {
  const std::string deep = "1 or " + std::string(5000, '(') + "1=1";
  DetectSqli(deep);  // must not overflow anything; the verdict does not matter
  const std::string closes = std::string(3000, ')') + " or 1=1--";
  EXPECT_TRUE(DetectSqli(closes).matched);
}

}  // namespace
}  // namespace warden
