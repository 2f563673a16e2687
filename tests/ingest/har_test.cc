// HAR 1.2 (src/ingest/json_formats.cc).

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "ingest/formats.h"
#include "ingest/test_util.h"

namespace warden {
namespace {

using testing::ExpectExchange;
using testing::ReadTestdata;

constexpr std::string_view kGoodEntry = R"({"request":{"method":"GET","url":"http://a/"}})";

std::string Har(std::string_view entries) {
  return R"({"log":{"version":"1.2","entries":[)" + std::string(entries) + "]}}";
}

TEST(HarTest, Testdata) {
  Result<ParsedExchanges> got = ParseHar(ReadTestdata("sample.har.json"), {});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->rejected.empty());
  ASSERT_EQ(got->exchanges.size(), 3u);
  EXPECT_EQ(got->input_index, (std::vector<std::size_t>{0, 1, 2}));
  // Offset "+05:30", base64 content, a private client address that beats X-Forwarded-For,
  // and the fragment dropped from the target.
  ExpectExchange(got->exchanges[0],
                 {.method = "GET",
                  .host = "juice.example",
                  .target = "/rest/products/search?q=apple",
                  .http_version = "HTTP/1.1",
                  .request_headers = {{"Host", "juice.example"},
                                      {"X-Forwarded-For", "203.0.113.1, 10.0.0.1"},
                                      {"Accept", "application/json"}},
                  .status_code = 200,
                  .status_text = "OK",
                  .response_headers = {{"Content-Type", "application/json"}},
                  .response_body = R"({"ok":1})",
                  .peer_ip = "198.51.100.9",
                  .dest_ip = "93.184.216.34",
                  .time_s = 1678373319,
                  .source = "har"});
  ExpectExchange(got->exchanges[1],
                 {.method = "POST",
                  .host = "juice.example:3000",
                  .target = "/rest/user/login",
                  .http_version = "HTTP/1.1",
                  .request_headers = {{"Content-Type", "application/json"},
                                      {"X-Forwarded-For", " 203.0.113.1 , 10.0.0.1"}},
                  .request_body = R"({"email":"a@b.c","password":"x"})",
                  .status_code = 401,
                  .status_text = "Unauthorized",
                  .response_body = "Invalid user",
                  .time_s = 1678373320,
                  .source = "har"});
  // Offset "-0500", params-only postData, no response captured.
  ExpectExchange(got->exchanges[2], {.method = "POST",
                                     .host = "juice.example",
                                     .target = "/profile",
                                     .http_version = "HTTP/2",
                                     .request_headers = {{":authority", "juice.example"}},
                                     .request_body = "user+name=a%26b%3Dc&id=7",
                                     .time_s = 1678373321,
                                     .source = "har"});
}

TEST(HarTest, EntryVariants) {
  struct Case {
    std::string_view name;
    std::string_view entry;
    Exchange want;
  };
  const Case cases[] = {
      {"minimal", kGoodEntry, {.method = "GET", .host = "a", .target = "/", .source = "har"}},
      {"started_date_time_blank",
       R"({"startedDateTime":"","request":{"method":"GET","url":"http://a/"},"response":null})",
       {.method = "GET", .host = "a", .target = "/", .source = "har"}},
      {"time_with_offset",
       R"({"startedDateTime":"2023-03-09T20:18:39.118+05:30","request":{"method":"GET","url":"http://a/"}})",
       {.method = "GET", .host = "a", .target = "/", .time_s = 1678373319, .source = "har"}},
      {"relative_url_uses_host_header",
       R"({"request":{"method":"GET","url":"/x?y","headers":[{"name":"host","value":"h"}]}})",
       {.method = "GET",
        .host = "h",
        .target = "/x?y",
        .request_headers = {{"host", "h"}},
        .source = "har"}},
      {"url_target_bytes_as_written",
       R"({"request":{"method":"GET","url":"HTTPS://a.example/%2E%2E/x?a=%27+b&c"}})",
       {.method = "GET", .host = "a.example", .target = "/%2E%2E/x?a=%27+b&c", .source = "har"}},
      {"numbers_for_strings",
       R"({"request":{"method":"GET","url":"http://a/","httpVersion":2,"headers":[{"name":"X","value":5},{"name":"Y"}]},)"
       R"("response":{"status":"404","statusText":404,"headers":[{"name":"Z","value":true}]}})",
       {.method = "GET",
        .host = "a",
        .target = "/",
        .http_version = "2",
        .request_headers = {{"X", "5"}, {"Y", ""}},
        .status_code = 404,
        .status_text = "404",
        .response_headers = {{"Z", "true"}},
        .source = "har"}},
      {"http_version_from_response",
       R"({"request":{"method":"GET","url":"http://a/"},"response":{"status":200,"httpVersion":"HTTP/1.0"}})",
       {.method = "GET",
        .host = "a",
        .target = "/",
        .http_version = "HTTP/1.0",
        .status_code = 200,
        .source = "har"}},
      {"base64_case_and_whitespace",
       R"({"request":{"method":"GET","url":"http://a/"},"response":{"status":200,)"
       R"("content":{"text":"AGFi\n/w==","encoding":"BASE64"}}})",
       {.method = "GET",
        .host = "a",
        .target = "/",
        .status_code = 200,
        .response_body = std::string("\0ab\xff", 4),
        .source = "har"}},
      {"unknown_encoding_is_text",
       R"({"request":{"method":"GET","url":"http://a/"},"response":{"status":200,)"
       R"("content":{"text":"!!","encoding":"utf-8"}}})",
       {.method = "GET",
        .host = "a",
        .target = "/",
        .status_code = 200,
        .response_body = "!!",
        .source = "har"}},
      {"post_text_beats_params",
       R"({"request":{"method":"POST","url":"http://a/","postData":{"text":"t","params":[{"name":"p","value":"v"}]}}})",
       {.method = "POST", .host = "a", .target = "/", .request_body = "t", .source = "har"}},
      {"post_empty_text_uses_params",
       R"({"request":{"method":"POST","url":"http://a/","postData":{"text":"","params":[{"name":"a b","value":"1'2"},{"name":"c"}]}}})",
       {.method = "POST",
        .host = "a",
        .target = "/",
        .request_body = "a+b=1%272&c=",
        .source = "har"}},
      {"client_ip_private_field_on_request",
       R"({"request":{"method":"GET","url":"http://a/","_remoteAddress":"192.0.2.1:5555",)"
       R"("headers":[{"name":"X-Forwarded-For","value":"9.9.9.9"}]}})",
       {.method = "GET",
        .host = "a",
        .target = "/",
        .request_headers = {{"X-Forwarded-For", "9.9.9.9"}},
        .peer_ip = "192.0.2.1:5555",
        .source = "har"}},
      {"client_ip_private_field_any_case",
       R"({"_CLIENTIP":"192.0.2.2","request":{"method":"GET","url":"http://a/"}})",
       {.method = "GET", .host = "a", .target = "/", .peer_ip = "192.0.2.2", .source = "har"}},
      {"forwarded_for_left_to_normalization",
       R"({"request":{"method":"GET","url":"http://a/","headers":[{"name":"x-forwarded-for","value":"7.7.7.7,8.8.8.8"}]}})",
       {.method = "GET",
        .host = "a",
        .target = "/",
        .request_headers = {{"x-forwarded-for", "7.7.7.7,8.8.8.8"}},
        .source = "har"}},
      {"server_ip",
       R"({"request":{"method":"GET","url":"http://a/"},"serverIPAddress":"[::1]"})",
       {.method = "GET", .host = "a", .target = "/", .dest_ip = "[::1]", .source = "har"}},
      {"unknown_fields_ignored",
       R"({"request":{"method":"GET","url":"http://a/","cookies":[{"x":1}],"queryString":7},)"
       R"("cache":{},"timings":[],"_x":{"y":[[]]},"pageref":"p"})",
       {.method = "GET", .host = "a", .target = "/", .source = "har"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<ParsedExchanges> got = ParseHar(Har(c.entry), {});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_TRUE(got->rejected.empty()) << got->rejected[0].message;
    ASSERT_EQ(got->exchanges.size(), 1u);
    ExpectExchange(got->exchanges[0], c.want);
  }
}

TEST(HarTest, Rejections) {
  struct Case {
    std::string_view name;
    std::string_view entry;
    std::string_view field;
    std::string_view detail;  // the message after "log.entries[2]"
  };
  const Case cases[] = {
      {"not_an_object", "[]", "", ": not an object"},
      {"missing_request", "{}", "request", ".request: missing"},
      {"request_not_object", R"({"request":"GET /"})", "request", ".request: not an object"},
      {"missing_method", R"({"request":{"url":"http://a/"}})", "request.method",
       ".request.method: missing"},
      {"missing_url", R"({"request":{"method":"GET"}})", "request.url", ".request.url: missing"},
      {"url_not_absolute", R"({"request":{"method":"GET","url":"a b"}})", "request.url",
       R"(.request.url: not an absolute URL: "a b")"},
      {"url_object", R"({"request":{"method":"GET","url":{}}})", "request.url",
       ".request.url: not a string: object"},
      {"headers_not_array", R"({"request":{"method":"GET","url":"http://a/","headers":{}}})",
       "request.headers", ".request.headers: not an array"},
      {"header_not_object",
       R"({"request":{"method":"GET","url":"http://a/","headers":[{"name":"a","value":"b"},"x"]}})",
       "request.headers[1]", ".request.headers[1]: not an object"},
      {"header_without_name",
       R"({"request":{"method":"GET","url":"http://a/","headers":[{"value":"b"}]}})",
       "request.headers[0].name", ".request.headers[0].name: missing"},
      {"post_data_not_object", R"({"request":{"method":"GET","url":"http://a/","postData":"x"}})",
       "request.postData", ".request.postData: not an object"},
      {"post_param_not_object",
       R"({"request":{"method":"GET","url":"http://a/","postData":{"params":[1]}}})",
       "request.postData.params[0]", ".request.postData.params[0]: not an object"},
      {"bad_started_date_time",
       R"({"startedDateTime":"yesterday","request":{"method":"GET","url":"http://a/"}})",
       "startedDateTime", R"(.startedDateTime: not an ISO 8601 time: "yesterday")"},
      {"response_not_object", R"({"request":{"method":"GET","url":"http://a/"},"response":[]})",
       "response", ".response: not an object"},
      {"status_not_number",
       R"({"request":{"method":"GET","url":"http://a/"},"response":{"status":"abc"}})",
       "response.status", R"(.response.status: not a number: "abc")"},
      {"status_out_of_range",
       R"({"request":{"method":"GET","url":"http://a/"},"response":{"status":1000}})",
       "response.status", ".response.status: out of range: 1000"},
      {"content_not_object",
       R"({"request":{"method":"GET","url":"http://a/"},"response":{"status":200,"content":5}})",
       "response.content", ".response.content: not an object"},
      {"invalid_base64",
       R"({"request":{"method":"GET","url":"http://a/"},"response":{"status":200,)"
       R"("content":{"text":"!!!","encoding":"base64"}}})",
       "response.content.text", ".response.content.text: invalid base64"},
      {"server_ip_object", R"({"request":{"method":"GET","url":"http://a/"},"serverIPAddress":{}})",
       "serverIPAddress", ".serverIPAddress: not a string: object"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<ParsedExchanges> got = ParseHar(
        Har(std::string(kGoodEntry) + "," + std::string(kGoodEntry) + "," + std::string(c.entry)),
        {});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->input_index, (std::vector<std::size_t>{0, 1}));
    ASSERT_EQ(got->rejected.size(), 1u);
    EXPECT_EQ(got->rejected[0].index, 2u);
    EXPECT_EQ(got->rejected[0].field, c.field);
    EXPECT_EQ(got->rejected[0].message, "log.entries[2]" + std::string(c.detail));
  }
}

TEST(HarTest, DocumentErrors) {
  struct Case {
    std::string_view name;
    std::string input;
    std::string_view message;
    std::string_view field;
  };
  const Case cases[] = {
      {"array", "[]", "document is not a JSON object", ""},
      {"no_log", "{}", "log: missing or not an object", "log"},
      {"log_array", R"({"log":[]})", "log: missing or not an object", "log"},
      {"no_entries", R"({"log":{}})", "log.entries: missing or not an array", "log.entries"},
      {"entries_object", R"({"log":{"entries":{}}})", "log.entries: missing or not an array",
       "log.entries"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<ParsedExchanges> got = ParseHar(c.input, {});
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(got.status().message(), c.message);
    EXPECT_EQ(got.status().field(), c.field);
  }
  for (const std::string& bad : {std::string(), std::string("{\"log\":"),
                                 R"({"log":{"entries":[)" + std::string(100000, '{')}) {
    Result<ParsedExchanges> got = ParseHar(bad, {});
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().message().substr(0, 14), "not valid JSON");
  }
}

TEST(HarTest, BodyTruncation) {
  Result<ParsedExchanges> got = ParseHar(
      Har(R"({"request":{"method":"POST","url":"http://a/","postData":{"text":"abcdef"}},)"
          R"("response":{"status":200,"content":{"text":"eyJvayI6MX0=","encoding":"base64"}}},)"
          R"({"request":{"method":"POST","url":"http://a/","postData":{"text":"abc"}}})"),
      {.max_body_bytes = 3});
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->exchanges.size(), 2u);
  EXPECT_EQ(got->exchanges[0].request_body, "abc");
  EXPECT_TRUE(got->exchanges[0].request_body_truncated);
  EXPECT_EQ(got->exchanges[0].response_body, R"({"o)");
  EXPECT_TRUE(got->exchanges[0].response_body_truncated);
  EXPECT_EQ(got->exchanges[1].request_body, "abc");
  EXPECT_FALSE(got->exchanges[1].request_body_truncated);
}

TEST(HarTest, EmptyEntries) {
  Result<ParsedExchanges> got = ParseHar(Har(""), {});
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->exchanges.empty());
  EXPECT_TRUE(got->rejected.empty());
}

}  // namespace
}  // namespace warden
