#include "detect/detectors/markup_decode.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace warden::detectors {
namespace {

std::string Decode(std::string_view in) {
  std::string out(in.size(), '\0');
  out.resize(DecodeMarkupEscapes(in, out.data()));
  return out;
}

TEST(MarkupDecodeTest, DecodesEscapes) {
  struct Case {
    const char* name;
    std::string_view in;
    std::string want;
  };
  const Case cases[] = {
      {"plain", "hello", "hello"},
      {"decimal_reference", "&#60;b&#62;", "<b>"},
      {"hex_reference_no_semicolon", "&#x3c&#X3E", "<>"},
      {"zero_padded_reference", "&#0000060;", "<"},
      {"named_references", "&lt;&GT;&quot;&colon;&lpar;&rpar;&Tab;", "<>\":()\t"},
      {"legacy_name_without_semicolon", "&lt b", "< b"},
      {"modern_name_needs_semicolon", "&colon x", "&colon x"},
      {"unknown_name_kept", "&foo; &", "&foo; &"},
      {"non_ascii_reference", "&#233;", "\xc3\xa9"},
      {"huge_reference", "&#99999999999;", "\xef\xbf\xbd"},
      {"js_hex", "\\x3cscript\\x3e", "<script>"},
      {"js_unicode", "\\u003c\\u{3e}", "<>"},
      {"js_octal", "al\\145rt", "alert"},
      {"unknown_backslash_kept", "a\\'b\\n", "a\\'b\\n"},
      {"percent", "%3Cb%3e%zz", "<b>%zz"},
      {"fullwidth", "\xef\xbc\x9c" "b\xef\xbc\x9e", "<b>"},
      {"nul_dropped", std::string_view("a\0b&#0;c", 8), "abc"},
      {"truncated_escapes", "&#x \\u12 \\x4 %4", "&#x \\u12 \\x4 %4"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Decode(c.in), c.want) << c.name;
  }
}

TEST(MarkupDecodeTest, NeverGrowsAndDecodesInPlace) {
  std::string s = "&#x10FFFF;\\u{10FFFF}&#65536%41&nbsp;";
  const std::size_t before = s.size();
  const std::size_t len = DecodeMarkupEscapes(s, s.data());
  EXPECT_LE(len, before);
  EXPECT_EQ(s.substr(0, len), "\xf4\x8f\xbf\xbf\xf4\x8f\xbf\xbf\xf0\x90\x80\x80" "A\xc2\xa0");
}

TEST(MarkupDecodeTest, EncodesUtf8) {
  char buf[4];
  EXPECT_EQ(EncodeUtf8('A', buf), 1u);
  EXPECT_EQ(EncodeUtf8(0xe9, buf), 2u);
  EXPECT_EQ(EncodeUtf8(0x20ac, buf), 3u);
  EXPECT_EQ(EncodeUtf8(0x1f600, buf), 4u);
  EXPECT_EQ(EncodeUtf8(0x110000, buf), 3u);  // replacement character
}

}  // namespace
}  // namespace warden::detectors
