// Akto ingest batches and JSON Lines (src/ingest/json_formats.cc).

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

constexpr std::string_view kGood = R"({"path":"/","method":"GET"})";

std::string Batch(std::string_view records) {
  return "{\"batchData\":[" + std::string(records) + "]}";
}

TEST(AktoBatchTest, Testdata) {
  Result<ParsedExchanges> got = ParseAktoBatch(ReadTestdata("akto_batch.json"), {});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->rejected.empty());
  ASSERT_EQ(got->exchanges.size(), 2u);
  EXPECT_EQ(got->input_index, (std::vector<std::size_t>{0, 1}));
  ExpectExchange(got->exchanges[0], {.method = "POST",
                                     .host = "shop.example",
                                     .target = "/api/users/42?expand=orders",
                                     .http_version = "HTTP/1.1",
                                     .request_headers = {{"Host", "shop.example"},
                                                         {"Content-Type", "application/json"},
                                                         {"X-Forwarded-For", "1.2.3.4"}},
                                     .request_body = R"({"name":"alice"})",
                                     .status_code = 201,
                                     .status_text = "Created",
                                     .response_headers = {{"content-type", "application/json"},
                                                          {"set-cookie", "a=1"},
                                                          {"set-cookie", "b=2"}},
                                     .response_body = R"({"id":42})",
                                     .peer_ip = "10.0.0.7:51234",
                                     .dest_ip = "10.0.0.1:8080",
                                     .time_s = 1700000000,
                                     .source = "akto",
                                     .collection_id = "1111"});
  // Absolute URL, numbers where Akto sends strings, headers as an object, time in ms.
  ExpectExchange(got->exchanges[1],
                 {.method = "GET",
                  .host = "api.example:8443",
                  .target = "/v2/items?q=%27or+1%3D1",
                  .http_version = "HTTP/2",
                  .request_headers = {{"host", "ignored.example"}, {"Accept", "*/*"}},
                  .status_code = 200,
                  .peer_ip = "3232235777",
                  .time_s = 1700000000,
                  .source = "akto",
                  .collection_id = "987654321"});
}

TEST(AktoBatchTest, Tolerance) {
  struct Case {
    std::string_view name;
    std::string_view record;
    Exchange want;
  };
  const Case cases[] = {
      {"numbers_and_bools_for_strings",
       R"({"path":"/","method":"GET","statusCode":200,"time":1700000000,"ip":12345,)"
       R"("destIp":true,"akto_vxlan_id":7,"type":1.5})",
       {.method = "GET",
        .target = "/",
        .http_version = "1.5",
        .status_code = 200,
        .peer_ip = "12345",
        .dest_ip = "true",
        .time_s = 1700000000,
        .source = "akto",
        .collection_id = "7"}},
      {"time_millis_string",
       R"({"path":"/","method":"GET","time":"1700000000123"})",
       {.method = "GET", .target = "/", .time_s = 1700000000, .source = "akto"}},
      {"time_double_string",
       R"({"path":"/","method":"GET","time":" 1.7e9 "})",
       {.method = "GET", .target = "/", .time_s = 1700000000, .source = "akto"}},
      {"time_fraction_number",
       R"({"path":"/","method":"GET","time":1700000000.9})",
       {.method = "GET", .target = "/", .time_s = 1700000000, .source = "akto"}},
      {"blank_time_and_status",
       R"({"path":"/","method":"GET","time":"","statusCode":" "})",
       {.method = "GET", .target = "/", .source = "akto"}},
      {"status_line_gives_code",
       R"({"path":"/","method":"GET","status":"404 Not Found"})",
       {.method = "GET",
        .target = "/",
        .status_code = 404,
        .status_text = "Not Found",
        .source = "akto"}},
      {"status_code_wins",
       R"({"path":"/","method":"GET","statusCode":"200","status":"OK"})",
       {.method = "GET", .target = "/", .status_code = 200, .status_text = "OK", .source = "akto"}},
      {"status_number",
       R"({"path":"/","method":"GET","status":503})",
       {.method = "GET", .target = "/", .status_code = 503, .source = "akto"}},
      {"header_values_of_any_type",
       R"({"path":"/","method":"GET","requestHeaders":"{\"X-A\":5,\"X-B\":true,\"X-C\":null,)"
       R"(\"X-D\":[\"1\",2,null],\"X-E\":{\"k\":\"v\"}}"})",
       {.method = "GET",
        .target = "/",
        .request_headers =
            {{"X-A", "5"}, {"X-B", "true"}, {"X-D", "1"}, {"X-D", "2"}, {"X-E", R"({"k":"v"})"}},
        .source = "akto"}},
      {"headers_null_and_blank",
       R"({"path":"/","method":"GET","requestHeaders":"null",)"
       R"("responseHeaders":"  "})",
       {.method = "GET", .target = "/", .source = "akto"}},
      {"host_header_any_case",
       R"({"path":"/p","method":"GET","requestHeaders":{"HOST":"h.example"}})",
       {.method = "GET",
        .host = "h.example",
        .target = "/p",
        .request_headers = {{"HOST", "h.example"}},
        .source = "akto"}},
      {"authority_pseudo_header",
       R"({"path":"/p","method":"GET","requestHeaders":{":authority":"h2.example"}})",
       {.method = "GET",
        .host = "h2.example",
        .target = "/p",
        .request_headers = {{":authority", "h2.example"}},
        .source = "akto"}},
      {"absolute_url_beats_host_header",
       R"({"path":"http://a.example:81?x=1","method":"GET","requestHeaders":{"Host":"b"}})",
       {.method = "GET",
        .host = "a.example:81",
        .target = "/?x=1",
        .request_headers = {{"Host", "b"}},
        .source = "akto"}},
      {"payloads_of_any_type",
       R"({"path":"/","method":"POST","requestPayload":{"a":[1,2]},"responsePayload":42})",
       {.method = "POST",
        .target = "/",
        .request_body = R"({"a":[1,2]})",
        .response_body = "42",
        .source = "akto"}},
      {"undecodable_response_headers_dropped",
       R"({"path":"/","method":"GET","responseHeaders":"{bad"})",
       {.method = "GET", .target = "/", .source = "akto"}},
      {"api_collection_id",
       R"({"path":"/","method":"GET","apiCollectionId":"55"})",
       {.method = "GET", .target = "/", .source = "akto", .collection_id = "55"}},
      {"vxlan_id_first",
       R"({"path":"/","method":"GET","apiCollectionId":1,"akto_vxlan_id":2})",
       {.method = "GET", .target = "/", .source = "akto", .collection_id = "2"}},
      {"unknown_fields_ignored",
       R"({"path":"/","method":"GET","foo":{"deep":[1]},"tag":{},"is_pending":false,)"
       R"("source":"MIRRORING","direction":1,"process_id":"7","socket_id":null})",
       {.method = "GET", .target = "/", .source = "akto"}},
      {"nul_and_invalid_utf8_in_body",
       "{\"path\":\"/\",\"method\":\"POST\",\"requestPayload\":\"a\\u0000b\xff\xfe\"}",
       {.method = "POST",
        .target = "/",
        .request_body = std::string("a\0b\xff\xfe", 5),
        .source = "akto"}},
      {"lone_surrogate_escape_in_body",
       R"({"path":"/","method":"POST","requestPayload":"a\ud800b\ud83d\ude00"})",
       {.method = "POST",
        .target = "/",
        .request_body = "a\xEF\xBF\xBD"
                        "b\xF0\x9F\x98\x80",
        .source = "akto"}},
      {"labeled_aliases",
       R"({"path":"/","method":"GET","headers":{"A":"1"},"body":"x"})",
       {.method = "GET",
        .target = "/",
        .request_headers = {{"A", "1"}},
        .request_body = "x",
        .source = "akto"}},
      {"header_pairs_and_object_body",
       R"({"path":"/","method":"POST","headers":[["A","1"],["a","2"]],"body":{"k":[1]}})",
       {.method = "POST",
        .target = "/",
        .request_headers = {{"A", "1"}, {"a", "2"}},
        .request_body = R"({"k":[1]})",
        .source = "akto"}},
      {"request_headers_beat_alias",
       R"({"path":"/","method":"GET","requestHeaders":{"A":"1"},"headers":{"B":"2"}})",
       {.method = "GET", .target = "/", .request_headers = {{"A", "1"}}, .source = "akto"}},
      {"path_kept_as_written",
       R"({"path":"/a/../b;x?q=%00&r=<s>","method":"get"})",
       {.method = "get", .target = "/a/../b;x?q=%00&r=<s>", .source = "akto"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<ParsedExchanges> got = ParseAktoBatch(Batch(c.record), {});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_TRUE(got->rejected.empty()) << got->rejected[0].message;
    ASSERT_EQ(got->exchanges.size(), 1u);
    ExpectExchange(got->exchanges[0], c.want);
  }
}

struct RejectCase {
  std::string_view name;
  std::string record;
  std::string_view field;
  std::string message;  // with "%" standing for the record's location
};

// Bad records, each placed after a good one so the index is 1 in a batch and the line 2 in
// JSON Lines.
std::vector<RejectCase> RejectCases() {
  return {
      {"not_an_object", R"("hello")", "", "%: not an object"},
      {"null_record", "null", "", "%: not an object"},
      {"missing_path", R"({"method":"GET"})", "path", "%.path: missing"},
      {"null_path", R"({"path":null,"method":"GET"})", "path", "%.path: missing"},
      {"empty_path", R"({"path":"","method":"GET"})", "path", "%.path: empty"},
      {"path_object", R"({"path":{},"method":"GET"})", "path", "%.path: not a string: object"},
      {"missing_method", R"({"path":"/"})", "method", "%.method: missing"},
      {"method_array", R"({"path":"/","method":["GET"]})", "method",
       "%.method: not a string: array"},
      {"time_text", R"({"path":"/","method":"GET","time":"abc"})", "time",
       R"(%.time: not a number: "abc")"},
      {"time_bool", R"({"path":"/","method":"GET","time":true})", "time",
       "%.time: not a number: true"},
      {"time_object", R"({"path":"/","method":"GET","time":{}})", "time",
       "%.time: not a number: object"},
      {"time_nan", R"({"path":"/","method":"GET","time":"nan"})", "time",
       R"(%.time: not a number: "nan")"},
      {"time_huge", R"({"path":"/","method":"GET","time":1e300})", "time",
       "%.time: out of range: 1e+300"},
      {"time_huge_string", R"({"path":"/","method":"GET","time":"99999999999999999999999"})",
       "time", R"(%.time: out of range: "99999999999999999999999")"},
      {"time_uint64", R"({"path":"/","method":"GET","time":18446744073709551615})", "time",
       "%.time: out of range: 18446744073709551615"},
      {"time_hostile_text", R"({"path":"/","method":"GET","time":"\u0000\"x"})", "time",
       R"(%.time: not a number: "\x00\"x")"},
      {"status_code_text", R"({"path":"/","method":"GET","statusCode":"OK"})", "statusCode",
       R"(%.statusCode: not a number: "OK")"},
      {"status_code_range", R"({"path":"/","method":"GET","statusCode":"1000"})", "statusCode",
       "%.statusCode: out of range: 1000"},
      {"status_code_negative", R"({"path":"/","method":"GET","statusCode":-1})", "statusCode",
       "%.statusCode: out of range: -1"},
      {"request_headers_invalid", R"({"path":"/","method":"GET","requestHeaders":"{not json"})",
       "requestHeaders", "%.requestHeaders: invalid JSON"},
      {"request_headers_array", R"({"path":"/","method":"GET","requestHeaders":"[1]"})",
       "requestHeaders", "%.requestHeaders: not a JSON object"},
      {"request_headers_number", R"({"path":"/","method":"GET","requestHeaders":5})",
       "requestHeaders", "%.requestHeaders: not a JSON object"},
      {"request_headers_too_deep",
       R"({"path":"/","method":"GET","requestHeaders":")" + std::string(5000, '[') + "\"}",
       "requestHeaders", "%.requestHeaders: invalid JSON"},
      {"headers_alias_invalid", R"({"path":"/","method":"GET","headers":"x"})", "headers",
       "%.headers: invalid JSON"},
      {"header_pair_malformed", R"({"path":"/","method":"GET","headers":[["A"]]})", "headers",
       "%.headers: a header list must hold [name, value] pairs"},
      {"ip_object", R"({"path":"/","method":"GET","ip":{}})", "ip", "%.ip: not a string: object"},
  };
}

std::string Replace(std::string message, std::string_view where) {
  std::size_t pos = message.find('%');
  return message.replace(pos, 1, where);
}

TEST(AktoBatchTest, Rejections) {
  for (const RejectCase& c : RejectCases()) {
    SCOPED_TRACE(c.name);
    Result<ParsedExchanges> got = ParseAktoBatch(Batch(std::string(kGood) + "," + c.record), {});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(got->exchanges.size(), 1u);
    EXPECT_EQ(got->input_index, (std::vector<std::size_t>{0}));
    ASSERT_EQ(got->rejected.size(), 1u);
    EXPECT_EQ(got->rejected[0].index, 1u);
    EXPECT_EQ(got->rejected[0].field, c.field);
    EXPECT_EQ(got->rejected[0].message, Replace(c.message, "batchData[1]"));
  }
}

TEST(AktoJsonlTest, Rejections) {
  for (const RejectCase& c : RejectCases()) {
    SCOPED_TRACE(c.name);
    // "%.field: detail" in a batch reads "line 2: field: detail" in JSON Lines.
    std::string message = c.message;
    if (message.compare(0, 2, "%.") == 0) message.replace(1, 1, ": ");
    Result<ParsedExchanges> got = ParseAktoJsonl(std::string(kGood) + "\n" + c.record + "\n", {});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(got->exchanges.size(), 1u);
    ASSERT_EQ(got->rejected.size(), 1u);
    EXPECT_EQ(got->rejected[0].index, 2u);
    EXPECT_EQ(got->rejected[0].field, c.field);
    EXPECT_EQ(got->rejected[0].message, Replace(message, "line 2"));
  }
}

TEST(AktoBatchTest, KeepsGoodRecordsAroundBadOnes) {
  Result<ParsedExchanges> got =
      ParseAktoBatch(Batch(R"({"method":"GET"},)" + std::string(kGood) + "," + std::string(kGood) +
                           R"(,{"path":"/","method":"GET","time":"abc"},)" + std::string(kGood)),
                     {});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->input_index, (std::vector<std::size_t>{1, 2, 4}));
  ASSERT_EQ(got->rejected.size(), 2u);
  EXPECT_EQ(got->rejected[0].message, "batchData[0].path: missing");
  EXPECT_EQ(got->rejected[1].index, 3u);
  EXPECT_EQ(got->rejected[1].message, R"(batchData[3].time: not a number: "abc")");
}

TEST(AktoBatchTest, DocumentErrors) {
  struct Case {
    std::string_view name;
    std::string input;
    std::string_view message_prefix;
  };
  const Case cases[] = {
      {"empty", "", "not valid JSON"},
      {"not_json", "batchData", "not valid JSON"},
      {"trailing_garbage", R"({"batchData":[]} x)", "not valid JSON"},
      {"too_deep", R"({"batchData":[)" + std::string(100000, '['), "not valid JSON"},
      {"array", "[]", "document is not a JSON object"},
      {"no_batch_data", "{}", "batchData: missing or not an array"},
      {"batch_data_object", R"({"batchData":{}})", "batchData: missing or not an array"},
      {"batch_data_string", R"({"batchData":"[]"})", "batchData: missing or not an array"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<ParsedExchanges> got = ParseAktoBatch(c.input, {});
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(got.status().message().substr(0, c.message_prefix.size()), c.message_prefix);
  }
}

TEST(AktoBatchTest, EmptyBatch) {
  Result<ParsedExchanges> got = ParseAktoBatch(R"({"batchData":[]})", {});
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->exchanges.empty());
  EXPECT_TRUE(got->rejected.empty());
}

TEST(AktoBatchTest, BodyTruncation) {
  ParseOptions options{.max_body_bytes = 5};
  Result<ParsedExchanges> got = ParseAktoBatch(
      Batch(R"({"path":"/","method":"POST","requestPayload":"hello world",)"
            R"("responsePayload":"hi"},{"path":"/","method":"POST","requestPayload":"12345"})"),
      options);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->exchanges.size(), 2u);
  EXPECT_EQ(got->exchanges[0].request_body, "hello");
  EXPECT_TRUE(got->exchanges[0].request_body_truncated);
  EXPECT_EQ(got->exchanges[0].response_body, "hi");
  EXPECT_FALSE(got->exchanges[0].response_body_truncated);
  EXPECT_EQ(got->exchanges[1].request_body, "12345");
  EXPECT_FALSE(got->exchanges[1].request_body_truncated);
}

TEST(AktoBatchTest, DefaultBodyCapIsOneMebibyte) {
  std::string big(ParseOptions{}.max_body_bytes + 10, 'a');
  Result<ParsedExchanges> got =
      ParseAktoBatch(Batch(R"({"path":"/","method":"POST","responsePayload":")" + big + "\"}"), {});
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->exchanges.size(), 1u);
  EXPECT_EQ(got->exchanges[0].response_body.size(), std::size_t{1} << 20);
  EXPECT_TRUE(got->exchanges[0].response_body_truncated);
}

TEST(AktoBatchTest, ManyRecords) {
  std::string records;
  constexpr int kRecords = 20000;
  for (int i = 0; i < kRecords; ++i) {
    if (i > 0) records += ",";
    records += (i % 10 == 9) ? R"({"path":"/"})" : std::string(kGood);
  }
  Result<ParsedExchanges> got = ParseAktoBatch(Batch(records), {});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->exchanges.size(), 18000u);
  EXPECT_EQ(got->rejected.size(), 2000u);
}

TEST(AktoJsonlTest, Testdata) {
  Result<ParsedExchanges> got = ParseAktoJsonl(ReadTestdata("akto_records.jsonl"), {});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->rejected.empty());
  ASSERT_EQ(got->exchanges.size(), 2u);
  EXPECT_EQ(got->input_index, (std::vector<std::size_t>{1, 3}));
  ExpectExchange(got->exchanges[0],
                 {.method = "POST",
                  .host = "auth.example",
                  .target = "/login",
                  .http_version = "HTTP/1.1",
                  .request_headers = {{"host", "auth.example"},
                                      {"content-type", "application/x-www-form-urlencoded"}},
                  .request_body = "user=bob&pass=x",
                  .status_code = 302,
                  .status_text = "Found",
                  .peer_ip = "192.0.2.10",
                  .time_s = 1700000100,
                  .source = "akto-jsonl",
                  .collection_id = "5"});
  // The labeled-corpus variant: its own "source" field is a label, not Exchange::source.
  ExpectExchange(got->exchanges[1],
                 {.method = "GET",
                  .host = "localhost",
                  .target = "/search?q=%3Cscript%3E",
                  .request_headers = {{"User-Agent", "curl/8.0"}, {"Host", "localhost"}},
                  .peer_ip = "203.0.113.5",
                  .source = "akto-jsonl"});
}

TEST(AktoJsonlTest, LineEnds) {
  const std::string a = R"({"path":"/a","method":"GET"})";
  const std::string b = R"({"path":"/b","method":"GET"})";
  struct Case {
    std::string_view name;
    std::string input;
    std::vector<std::size_t> want_lines;
  };
  const Case cases[] = {
      {"lf", a + "\n" + b + "\n", {1, 2}},
      {"crlf", a + "\r\n" + b + "\r\n", {1, 2}},
      {"no_final_newline", a + "\n" + b, {1, 2}},
      {"crlf_no_final_newline", a + "\r\n" + b, {1, 2}},
      {"blank_lines", "\r\n\n" + a + "\r\n  \t\r\n\n" + b + "\n\n", {3, 6}},
      {"bom", "\xEF\xBB\xBF" + a + "\n", {1}},
      {"empty", "", {}},
      {"only_blank", "\n\r\n \n", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<ParsedExchanges> got = ParseAktoJsonl(c.input, {});
    ASSERT_TRUE(got.ok());
    EXPECT_TRUE(got->rejected.empty()) << got->rejected[0].message;
    EXPECT_EQ(got->input_index, c.want_lines);
    for (const Exchange& ex : got->exchanges) {
      EXPECT_EQ(ex.method, "GET");  // no stray '\r' anywhere
      EXPECT_TRUE(ex.target == "/a" || ex.target == "/b") << ex.target;
    }
  }
}

TEST(AktoJsonlTest, LineErrors) {
  struct Case {
    std::string_view name;
    std::string input;
    std::string_view message;
  };
  const Case cases[] = {
      {"invalid_json", "{bad\n", "line 1: invalid JSON"},
      {"two_values_on_a_line", std::string(kGood) + " " + std::string(kGood),
       "line 1: invalid JSON"},
      {"not_an_object", "\n\n[1]\r\n", "line 3: not an object"},
      {"request_headers_after_crlf",
       "\r\n\r\n\r\n\r\n\r\n\r\n" +
           std::string(R"({"path":"/","method":"GET","requestHeaders":"{"})"),
       "line 7: requestHeaders: invalid JSON"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<ParsedExchanges> got = ParseAktoJsonl(c.input, {});
    ASSERT_TRUE(got.ok());
    EXPECT_TRUE(got->exchanges.empty());
    ASSERT_EQ(got->rejected.size(), 1u);
    EXPECT_EQ(got->rejected[0].message, c.message);
  }
}

TEST(AktoJsonlTest, SourceOption) {
  Result<ParsedExchanges> got = ParseAktoJsonl(kGood, {.source = "replay"});
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->exchanges.size(), 1u);
  EXPECT_EQ(got->exchanges[0].source, "replay");
}

}  // namespace
}  // namespace warden
