#include "ingest/parse_util.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden {
namespace {

TEST(SplitAbsoluteUrlTest, Table) {
  struct Case {
    std::string_view name;
    std::string_view input;
    bool absolute;
    std::string_view host;
    std::string_view target;
  };
  const Case cases[] = {
      {"https_with_query", "https://a.example/x/y?z=1", true, "a.example", "/x/y?z=1"},
      {"port", "http://a.example:8080/", true, "a.example:8080", "/"},
      {"no_path", "http://a.example", true, "a.example", ""},
      {"query_only", "http://a.example?x=1", true, "a.example", "?x=1"},
      {"fragment_dropped", "http://a.example/p?q#frag", true, "a.example", "/p?q"},
      {"userinfo_dropped", "http://u:p@a.example/p", true, "a.example", "/p"},
      {"ipv6", "http://[::1]:80/p", true, "[::1]:80", "/p"},
      {"escapes_kept", "http://a/%2e%2e/..;/x?a=%00", true, "a", "/%2e%2e/..;/x?a=%00"},
      {"other_scheme", "ws+x.y-z://h/p", true, "h", "/p"},
      {"origin_form", "/a?b=c", false, "", ""},
      {"scheme_relative", "//a.example/p", false, "", ""},
      {"no_slashes", "mailto:a@b", false, "", ""},
      {"digit_scheme", "1http://a/p", false, "", ""},
      {"empty", "", false, "", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::optional<UrlParts> got = SplitAbsoluteUrl(c.input);
    ASSERT_EQ(got.has_value(), c.absolute);
    if (!got) continue;
    EXPECT_EQ(got->host, c.host);
    EXPECT_EQ(got->target, c.target);
  }
}

TEST(SetTargetFromUrlTest, Table) {
  struct Case {
    std::string_view name;
    std::string_view input;
    std::string_view host;
    std::string_view target;
  };
  const Case cases[] = {
      {"path", "/a?b", "", "/a?b"},
      {"absolute", "https://h.example/p?q=1", "h.example", "/p?q=1"},
      {"absolute_no_path", "https://h.example", "h.example", "/"},
      {"absolute_query_only", "https://h.example?x", "h.example", "/?x"},
      {"relative_kept_as_written", "a/b", "", "a/b"},
      {"asterisk", "*", "", "*"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Exchange ex;
    SetTargetFromUrl(c.input, &ex);
    EXPECT_EQ(ex.host, c.host);
    EXPECT_EQ(ex.target, c.target);
  }
}

TEST(ParseIsoTimestampTest, Table) {
  struct Case {
    std::string_view input;
    std::optional<std::int64_t> want;
  };
  const Case cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2023-03-09T14:48:39Z", 1678373319},
      {"2023-03-09T14:48:39.999Z", 1678373319},
      {"2023-03-09T14:48:39.123456789Z", 1678373319},
      {"2023-03-09T20:18:39.118+05:30", 1678373319},
      {"2023-03-09T20:18:39.118+0530", 1678373319},
      {"2023-03-09T09:48:39-05:00", 1678373319},
      {"2023-03-09T09:48:39-0500", 1678373319},
      {"2023-03-09T19:48:39+05", 1678373319},
      {"2023-03-09t14:48:39z", 1678373319},
      {"2023-03-09 14:48:39", 1678373319},
      {"2023-03-09T14:48Z", 1678373280},
      {"  2023-03-09T14:48:39Z  ", 1678373319},
      {"1969-12-31T23:59:59Z", -1},
      {"2024-02-29T00:00:00Z", 1709164800},
      {"2000-02-29T00:00:00Z", 951782400},
      {"1970-01-01T00:00:00+14:00", -50400},
      // Rejected.
      {"", std::nullopt},
      {"2023-03-09", std::nullopt},
      {"2023-02-29T00:00:00Z", std::nullopt},
      {"2100-02-29T00:00:00Z", std::nullopt},
      {"2023-13-01T00:00:00Z", std::nullopt},
      {"2023-00-01T00:00:00Z", std::nullopt},
      {"2023-04-31T00:00:00Z", std::nullopt},
      {"2023-03-09T24:00:00Z", std::nullopt},
      {"2023-03-09T23:60:00Z", std::nullopt},
      {"2023-03-09T23:59:61Z", std::nullopt},
      {"2023-03-09T14:48:39.Z", std::nullopt},
      {"2023-03-09T14:48:39+5:30", std::nullopt},
      {"2023-03-09T14:48:39+05:3", std::nullopt},
      {"2023-03-09T14:48:39+24:00", std::nullopt},
      {"2023-03-09T14:48:39ZZ", std::nullopt},
      {"2023-03-09T14:48:39 UTC", std::nullopt},
      {"Thu, 09 Mar 2023 14:48:39 GMT", std::nullopt},
      {"1678373319", std::nullopt},
      {std::string_view("2023-03-09T14:48:39\0Z", 21), std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(ParseIsoTimestamp(c.input), c.want);
  }
}

TEST(EpochToSecondsTest, MillisecondsAboveThreshold) {
  EXPECT_EQ(EpochToSeconds(1700000000), 1700000000);
  EXPECT_EQ(EpochToSeconds(100'000'000'000), 100'000'000'000);
  EXPECT_EQ(EpochToSeconds(100'000'000'001), 100'000'000);
  EXPECT_EQ(EpochToSeconds(1700000000123), 1700000000);
  EXPECT_EQ(EpochToSeconds(0), 0);
}

TEST(CapBodyTest, Table) {
  struct Case {
    std::string_view name;
    std::string_view body;
    std::size_t max;
    std::string_view want;
    bool truncated;
  };
  const Case cases[] = {
      {"fits", "hello", 5, "hello", false},
      {"empty", "", 0, "", false},
      {"cut", "hello world", 5, "hello", true},
      {"zero", "x", 0, "", true},
      // "é" is C3 A9: cutting after C3 would split it, so the cut backs off.
      {"utf8_boundary", "ab\xC3\xA9", 3, "ab", true},
      {"utf8_whole", "ab\xC3\xA9z", 4, "ab\xC3\xA9", true},
      // A four-byte sequence (U+1F600) cut after three bytes.
      {"utf8_four", "a\xF0\x9F\x98\x80", 4, "a", true},
      // Binary bytes that are not UTF-8 are cut exactly.
      {"binary", "\x80\x80\x80\x80\x80\x80", 4, "\x80\x80\x80\x80", true},
      {"stray_continuations", "ab\x80\x80", 3, "ab\x80", true},
      {std::string_view("nul"), std::string_view("a\0b\0c", 5), 4, std::string_view("a\0b\0", 4),
       true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string out = "stale";
    bool truncated = !c.truncated;
    CapBody(c.body, c.max, &out, &truncated);
    EXPECT_EQ(out, c.want);
    EXPECT_EQ(truncated, c.truncated);
  }
}

TEST(FormUrlEncodeTest, EncodesReservedBytes) {
  EXPECT_EQ(FormUrlEncode({}), "");
  EXPECT_EQ(FormUrlEncode({{"a", "1"}}), "a=1");
  EXPECT_EQ(FormUrlEncode({{"user name", "a&b=c"}, {"id", "7"}}), "user+name=a%26b%3Dc&id=7");
  EXPECT_EQ(FormUrlEncode({{"k", std::string("\x00\xFF~-._", 6)}}), "k=%00%FF~-._");
  EXPECT_EQ(FormUrlEncode({{"", ""}}), "=");
}

TEST(FindHeaderTest, CaseInsensitiveFirstMatch) {
  Headers headers = {{"Host", "a"}, {"HOST", "b"}, {"X-Forwarded-For", " 1.2.3.4 , 5.6.7.8"}};
  ASSERT_NE(FindHeader(headers, "host"), nullptr);
  EXPECT_EQ(*FindHeader(headers, "host"), "a");
  EXPECT_EQ(FindHeader(headers, "cookie"), nullptr);
}

TEST(QuoteForMessageTest, Table) {
  struct Case {
    std::string_view input;
    std::string_view want;
  };
  const Case cases[] = {
      {"abc", "\"abc\""},
      {"", "\"\""},
      {"a\"b\\c", "\"a\\\"b\\\\c\""},
      {std::string_view("a\0\n", 3), "\"a\\x00\\x0a\""},
      {"caf\xC3\xA9", "\"caf\xC3\xA9\""},
      {"bad\xFF\xC3", "\"bad\\xff\\xc3\""},
      {std::string_view("0123456789012345678901234567890123456789012345678901234567890123456"),
       "\"0123456789012345678901234567890123456789012345678901234567890123\"..."},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(QuoteForMessage(c.input), c.want);
  }
}

TEST(ReplaceLoneSurrogateEscapesTest, Table) {
  struct Case {
    std::string_view name;
    std::string_view input;
    std::optional<std::string_view> want;  // nullopt: nothing to replace
  };
  const Case cases[] = {
      {"none", R"({"a":"b\u0041"})", std::nullopt},
      {"pair_kept", R"(["\ud83d\ude00"])", std::nullopt},
      {"lone_high", R"(["a\ud800b"])", R"(["a\ufffdb"])"},
      {"lone_low", R"(["\uDC00"])", R"(["\ufffd"])"},
      {"high_then_high", R"(["\ud800\ud800\udc00"])", R"(["\ufffd\ud800\udc00"])"},
      {"high_at_end", R"(["\ud800)", R"(["\ufffd)"},
      {"escaped_backslash", R"(["\\ud800"])", std::nullopt},
      {"outside_strings", R"(\ud800)", std::nullopt},
      {"key_and_value", R"({"\ud800":"\udfff"})", R"({"\ufffd":"\ufffd"})"},
      {"short_escape", R"(["\ud80"])", std::nullopt},
      {"trailing_backslash", "[\"\\", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::optional<std::string> got = ReplaceLoneSurrogateEscapes(c.input);
    ASSERT_EQ(got.has_value(), c.want.has_value()) << got.value_or("");
    if (got) {
      EXPECT_EQ(*got, *c.want);
    }
  }
}

TEST(FormatJsonNumberTest, Table) {
  EXPECT_EQ(FormatJsonNumber(200.0), "200");
  EXPECT_EQ(FormatJsonNumber(-3.0), "-3");
  EXPECT_EQ(FormatJsonNumber(1.5), "1.5");
  EXPECT_EQ(FormatJsonNumber(1e300), "1e+300");
  EXPECT_EQ(FormatJsonNumber(0.1), "0.1");
}

}  // namespace
}  // namespace warden
