#include "detect/transforms/transform.h"

#include <gtest/gtest.h>

#include <string>

namespace warden {
namespace {

std::string Apply(std::string_view name, std::string_view in) {
  const TransformDef* t = FindTransform(name);
  EXPECT_NE(t, nullptr) << name;
  if (t == nullptr) return {};
  std::string out;
  bool changed = t->apply(in, &out);
  // "Unchanged" must really mean unchanged, and a change must change something.
  if (!changed) return std::string(in);
  EXPECT_NE(out, in) << name << " reported a change for '" << in << "'";
  return out;
}

struct Case {
  const char* name;
  const char* transform;
  std::string in;
  std::string want;
};

TEST(TransformsTest, Table) {
  const Case cases[] = {
      {"url_plain", "url_decode", "abc", "abc"},
      {"url_once", "url_decode", "a%27b", "a'b"},
      {"url_plus", "url_decode", "union+select", "union select"},
      {"url_twice", "url_decode", "%2527", "'"},
      {"url_three_times", "url_decode", "%252527", "'"},
      {"url_four_times_stops", "url_decode", "%25252527", "%27"},
      {"url_invalid_kept", "url_decode", "100%zz", "100%zz"},
      {"url_utf8", "url_decode", "%C3%A9", "\xc3\xa9"},
      {"html_named", "html_entity_decode", "&lt;script&gt;", "<script>"},
      {"html_no_semicolon", "html_entity_decode", "&ltscript&gt", "<script>"},
      {"html_decimal", "html_entity_decode", "&#60;&#x3C;&#X3c", "<<<"},
      {"html_colon", "html_entity_decode", "javascript&colon;alert&lpar;1&rpar;",
       "javascript:alert(1)"},
      {"html_unknown_kept", "html_entity_decode", "&bogus; & x", "&bogus; & x"},
      {"html_zero", "html_entity_decode", "&#0;", "\xef\xbf\xbd"},
      {"html_huge", "html_entity_decode", "&#99999999999;", "\xef\xbf\xbd"},
      {"html_longest_name", "html_entity_decode", "&lbrack;", "["},
      {"html_any_case", "html_entity_decode", "$&LBRACE;jndi&Colon;", "${jndi:"},
      {"html_any_case_mixed", "html_entity_decode", "&Lt;b&gT;&TAB;", "<b>\t"},
      {"html_unknown_name", "html_entity_decode", "&Ltx &foo; &", "<x &foo; &"},
      {"unicode_u", "unicode_unescape", "\\u003cscript\\u003e", "<script>"},
      {"unicode_x", "unicode_unescape", "\\x3cb\\x3E", "<b>"},
      {"unicode_percent_u", "unicode_unescape", "%u0027 or 1=1", "' or 1=1"},
      {"unicode_braces", "unicode_unescape", "\\u{1F600}", "\xf0\x9f\x98\x80"},
      {"unicode_surrogates", "unicode_unescape", "\\ud83d\\ude00", "\xf0\x9f\x98\x80"},
      {"unicode_lone_surrogate", "unicode_unescape", "\\ud83d!", "\xef\xbf\xbd!"},
      {"unicode_short_kept", "unicode_unescape", "\\u12 and \\x4", "\\u12 and \\x4"},
      {"unicode_escaped_backslash", "unicode_unescape", "\\\\u0041", "\\\\u0041"},
      {"base64_text", "base64_decode", "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
       "<script>alert(1)</script>"},
      {"base64_urlsafe_unpadded", "base64_decode", "JyBPUiAxPTEgLS0", "' OR 1=1 --"},
      {"base64_too_short", "base64_decode", "YWJj", "YWJj"},
      {"base64_word", "base64_decode", "username", "username"},
      {"base64_binary_kept", "base64_decode", "AAECAwQFBgcICQ==", "AAECAwQFBgcICQ=="},
      {"base64_not_whole", "base64_decode", "see PHNjcmlwdD4=", "see PHNjcmlwdD4="},
      {"lowercase", "lowercase", "UnIoN SeLeCt \xc3\x89", "union select \xc3\x89"},
      {"lowercase_unchanged", "lowercase", "abc 123", "abc 123"},
      {"whitespace", "compress_whitespace", "a \t\n b\r\nc  d", "a b c d"},
      {"whitespace_single_tab", "compress_whitespace", "a\tb", "a b"},
      {"whitespace_unchanged", "compress_whitespace", "a b c", "a b c"},
      {"comments_c", "remove_comments", "un/**/ion/*x*/select", "un ion select"},
      {"comments_unterminated", "remove_comments", "1 /* rest", "1  "},
      {"comments_dash", "remove_comments", "admin'-- x\nnext", "admin' \nnext"},
      {"comments_hash", "remove_comments", "1 # c", "1  "},
      {"comments_mysql_versioned", "remove_comments", "1 /*!50000union*/ select",
       "1  union  select"},
      {"path_dots", "normalize_path", "/a/./b/../../c//d\\e", "/c/d/e"},
      {"path_above_root", "normalize_path", "/../../etc/passwd", "/etc/passwd"},
      {"path_relative_kept", "normalize_path", "../../etc/passwd", "../../etc/passwd"},
      {"path_relative_mixed", "normalize_path", "a/../../b", "../b"},
      {"path_query_untouched", "normalize_path", "/f//x?name=../../etc/passwd",
       "/f/x?name=../../etc/passwd"},
      {"path_trailing", "normalize_path", "/a/b/./", "/a/b/"},
      {"path_backslashes", "normalize_path", "..\\..\\windows\\win.ini", "../../windows/win.ini"},
      {"path_unchanged", "normalize_path", "/a/b", "/a/b"},
      // Paths read as already normal, and the near misses that are not.
      {"path_root", "normalize_path", "/", "/"},
      {"path_trailing_kept", "normalize_path", "/a/b.c/", "/a/b.c/"},
      {"path_relative_trailing", "normalize_path", "a/", "a/"},
      {"path_dot_names", "normalize_path", "/.well-known/x..y/.z", "/.well-known/x..y/.z"},
      {"path_double_root", "normalize_path", "//", "/"},
      {"path_double_trailing", "normalize_path", "/a//", "/a/"},
      {"path_dot_last", "normalize_path", "/a/.", "/a"},
      {"path_dotdot_last", "normalize_path", "a/b/..", "a"},
      {"path_only_dot", "normalize_path", ".", "."},
      {"path_backslash_root", "normalize_path", "\\", "/"},
      {"nulls", "remove_nulls", std::string("a\0b\0", 4), "ab"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Apply(c.transform, c.in), c.want) << c.name;
  }
}

TEST(TransformsTest, ChainsApplyInOrderAndPack) {
  TransformChain chain;
  EXPECT_TRUE(chain.empty());
  ASSERT_TRUE(chain.Append(TransformId::kUrlDecode));
  ASSERT_TRUE(chain.Append(TransformId::kHtmlEntityDecode));
  ASSERT_TRUE(chain.Append(TransformId::kLowercase));
  EXPECT_EQ(chain.size(), 3);
  EXPECT_EQ(chain.ToString(), "url_decode,html_entity_decode,lowercase");
  std::string storage;
  EXPECT_EQ(ApplyChain(chain, "%26LT%3BSCRIPT%26gt%3B", &storage), "<script>");
  // Unchanged input comes back as the same view.
  std::string_view in = "plain";
  EXPECT_EQ(ApplyChain(chain, in, &storage).data(), in.data());

  TransformChain full;
  for (int i = 0; i < TransformChain::kMaxLength; ++i) {
    EXPECT_TRUE(full.Append(TransformId::kLowercase));
  }
  EXPECT_FALSE(full.Append(TransformId::kLowercase));
  EXPECT_EQ(full.size(), TransformChain::kMaxLength);
  EXPECT_FALSE(full == chain);
}

TEST(TransformsTest, ChainTriggersAreTheUnionOfItsSteps) {
  TransformChain chain;
  EXPECT_EQ(chain.triggers(), 0);
  TextFeatures want = 0;
  for (TransformId id : {TransformId::kUrlDecode, TransformId::kLowercase,
                         TransformId::kRemoveNulls}) {
    ASSERT_TRUE(chain.Append(id));
    want |= GetTransform(id).triggers;
    EXPECT_EQ(chain.triggers(), want);
  }
  EXPECT_EQ(chain.Prefix(1).triggers(), GetTransform(TransformId::kUrlDecode).triggers);
  EXPECT_EQ(chain.Prefix(0).triggers(), 0);
  EXPECT_EQ(chain.Prefix(8).triggers(), want);
}

TEST(TransformsTest, FeaturesOfTexts) {
  EXPECT_EQ(FeaturesOf(""), 0);
  EXPECT_EQ(FeaturesOf("abc123"), 0);
  EXPECT_EQ(FeaturesOf("aBc"), kHasUpper);
  EXPECT_EQ(FeaturesOf("a%b"), kHasPercent);
  EXPECT_EQ(FeaturesOf("a+b&c"), kHasPlus | kHasAmpersand);
  EXPECT_EQ(FeaturesOf("a\\b/c-d#e.f"),
            kHasBackslash | kHasSlash | kHasDash | kHasHash | kHasDot);
  EXPECT_EQ(FeaturesOf(std::string_view("a\0b", 3)), kHasNul);
  EXPECT_EQ(FeaturesOf("a b\tc"), kHasSpace);
  EXPECT_EQ(FeaturesOf("_=;'\"<>"), 0);
  // Bytes of 0x80 and above: the text may need UTF-8 sanitizing.
  EXPECT_EQ(FeaturesOf("_=;'\"<>\xc3\xa9"), kHasNonAscii);
  EXPECT_EQ(FeaturesOf("\x7f"), 0);
  EXPECT_EQ(FeaturesOf("\x80"), kHasNonAscii);
  // Base64: at least 8 characters, only base64 ones and whitespace.
  EXPECT_EQ(FeaturesOf("abcd1234"), kMaybeBase64);
  EXPECT_EQ(FeaturesOf("abcd123"), 0);
  EXPECT_EQ(FeaturesOf("abc d1234+/-_="),
            kMaybeBase64 | kHasSpace | kHasPlus | kHasSlash | kHasDash);
  EXPECT_EQ(FeaturesOf("abcd1234.="), kHasDot);
  EXPECT_EQ(FeaturesOf("abcd1234;="), 0);
  EXPECT_EQ(FeaturesOf("abcd1234\xc3\xa9"), kHasNonAscii);
}

// The scan passes a text through a transform only when the text shows one of the transform's
// triggers: a text without any must come out unchanged.
TEST(TransformsTest, TextsWithoutTriggersAreUnchanged) {
  std::vector<std::string> texts = {"plain text", "aGVsbG8gd29ybGQ=", "a.b.c", "x;y:z",
                                    "<script>", "\xc3\xa9t\xc3\xa9", "A%41&amp;\\u0041"};
  for (int c = 0; c < 256; ++c) {
    texts.push_back(std::string(1, static_cast<char>(c)));
    texts.push_back("ab" + std::string(1, static_cast<char>(c)) + "cdefgh");
  }
  for (const auto& t : Transforms()) {
    for (const auto& text : texts) {
      if ((FeaturesOf(text) & t.triggers) != 0) continue;
      std::string out;
      EXPECT_FALSE(t.apply(text, &out)) << t.name << " changed '" << text << "'";
    }
  }
}

TEST(TransformsTest, TableIsConsistent) {
  for (const auto& t : Transforms()) {
    EXPECT_EQ(FindTransform(t.name), &t);
    EXPECT_EQ(&GetTransform(t.id), &t);
    // Every transform accepts any bytes and the empty string.
    std::string out;
    EXPECT_FALSE(t.apply("", &out)) << t.name;
    std::string junk("\xff\x00%\\&#/*--", 10);
    t.apply(junk, &out);
  }
  EXPECT_EQ(FindTransform("urldecode"), nullptr);
}

}  // namespace
}  // namespace warden
