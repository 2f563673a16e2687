#include "common/strings.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(PercentDecodeTest, DecodesEscapesAndPlus) {
  struct Case {
    const char* name;
    std::string_view in;
    bool plus;
    std::string want;
  };
  const Case cases[] = {
      {"plain", "abc", false, "abc"},
      {"escape", "a%20b", false, "a b"},
      {"lower_hex", "%2e%2E", false, ".."},
      {"plus_kept", "a+b", false, "a+b"},
      {"plus_space", "a+b", true, "a b"},
      {"bad_escape_kept", "%zz%4", false, "%zz%4"},
      {"trailing_percent", "100%", false, "100%"},
      {"nul", "a%00b", false, std::string("a\0b", 3)},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(PercentDecode(c.in, c.plus), c.want) << c.name;
  }
}

TEST(PercentEncodeTest, EncodesReservedBytesAndRoundTrips) {
  EXPECT_EQ(PercentEncode("a b&c=d/é~", true), "a+b%26c%3Dd%2F%C3%A9~");
  EXPECT_EQ(PercentEncode("a b", false), "a%20b");
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(PercentDecode(PercentEncode(all, true), true), all);
}

TEST(Base64Test, RoundTripsAndRejectsGarbage) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\x00\x01"}) {
    auto enc = Base64Encode(s);
    auto dec = Base64Decode(enc);
    ASSERT_TRUE(dec.has_value()) << enc;
    EXPECT_EQ(*dec, s);
  }
  EXPECT_EQ(Base64Decode("Zm9v\nYmFy").value(), "foobar");
  EXPECT_EQ(Base64Decode("Zm9vYg").value(), "foob");  // unpadded
  EXPECT_FALSE(Base64Decode("Zm9v!").has_value());
  EXPECT_FALSE(Base64Decode("Z").has_value());
  EXPECT_FALSE(Base64Decode("Zm==Zm").has_value());
}

TEST(ParseNumberTest, WholeStringOnly) {
  EXPECT_EQ(ParseInt64(" 42 ").value(), 42);
  EXPECT_EQ(ParseInt64("-7").value(), -7);
  EXPECT_FALSE(ParseInt64("42abc").has_value());
  EXPECT_FALSE(ParseInt64("").has_value());
  EXPECT_FALSE(ParseInt64("99999999999999999999").has_value());
  EXPECT_DOUBLE_EQ(ParseDouble("1.5").value(), 1.5);
  EXPECT_FALSE(ParseDouble("nan").has_value());
}

TEST(Utf8Test, ValidatesTruncatesAndSanitizes) {
  EXPECT_TRUE(IsValidUtf8("h\xc3\xa9llo"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_EQ(TruncateUtf8("h\xc3\xa9llo", 2), "h");
  EXPECT_EQ(Abbreviated("h\xc3\xa9llo", 2), "h...");
  EXPECT_EQ(Abbreviated("hello", 5), "hello");
  EXPECT_EQ(SanitizeUtf8("a\xff"
                         "b"),
            "a\xEF\xBF\xBD"
            "b");
}

// IsValidUtf8 skips ASCII eight bytes at a time: a bad or a good sequence must be seen at every
// offset from a block boundary, at the end, and across one.
TEST(Utf8Test, ValidatesAtEveryOffsetAroundAsciiRuns) {
  const std::string bad[] = {"\xff", "\xc3", "\xe2\x82", "\xed\xa0\x80", "\xc0\xaf"};
  const std::string good[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
  for (std::size_t before = 0; before <= 17; ++before) {
    for (std::size_t after = 0; after <= 9; after += 3) {
      const std::string pad_before(before, 'a');
      const std::string pad_after(after, 'b');
      for (const std::string& b : bad) {
        EXPECT_FALSE(IsValidUtf8(pad_before + b + pad_after)) << before << "+" << after;
      }
      for (const std::string& g : good) {
        EXPECT_TRUE(IsValidUtf8(pad_before + g + pad_after)) << before << "+" << after;
      }
    }
    EXPECT_TRUE(IsValidUtf8(std::string(before, 'z')));
  }
}

TEST(CaseTest, IgnoresAsciiCaseOnly) {
  EXPECT_TRUE(EqualsIgnoreCase("X-Forwarded-For", "x-forwarded-for"));
  EXPECT_FALSE(EqualsIgnoreCase("abc", "abd"));
  EXPECT_TRUE(StartsWithIgnoreCase("Bearer xyz", "bearer "));
  EXPECT_EQ(AsciiLowered("MiXeD\xC3\x89"), "mixed\xC3\x89");
}

TEST(SplitTest, KeepsEmptyPieces) {
  auto parts = Split("a,,b,", ',');
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0], "a");
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(parts[3], "");
}

}  // namespace
}  // namespace warden
