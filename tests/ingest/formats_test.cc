#include "ingest/formats.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "ingest/test_util.h"

namespace warden {
namespace {

using testing::ReadTestdata;

TEST(InputFormatTest, NamesRoundTrip) {
  for (InputFormat f :
       {InputFormat::kAuto, InputFormat::kAktoBatch, InputFormat::kAktoJsonl, InputFormat::kHar}) {
    Result<InputFormat> parsed = ParseInputFormat(InputFormatName(f));
    ASSERT_TRUE(parsed.ok()) << InputFormatName(f);
    EXPECT_EQ(*parsed, f);
  }
  EXPECT_EQ(InputFormatName(InputFormat::kAktoBatch), "akto");
  EXPECT_EQ(InputFormatName(InputFormat::kAktoJsonl), "akto-jsonl");
  EXPECT_EQ(InputFormatName(InputFormat::kHar), "har");
  EXPECT_EQ(InputFormatName(InputFormat::kAuto), "auto");
}

TEST(InputFormatTest, ParseTable) {
  struct Case {
    std::string_view input;
    bool ok;
    InputFormat want;
  };
  const Case cases[] = {
      {"akto", true, InputFormat::kAktoBatch},  {"AKTO-Batch", true, InputFormat::kAktoBatch},
      {"jsonl", true, InputFormat::kAktoJsonl}, {" har ", true, InputFormat::kHar},
      {"auto", true, InputFormat::kAuto},       {"", false, InputFormat::kAuto},
      {"xml", false, InputFormat::kAuto},       {"har2", false, InputFormat::kAuto},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    Result<InputFormat> got = ParseInputFormat(c.input);
    ASSERT_EQ(got.ok(), c.ok) << got.status().ToString();
    if (c.ok) {
      EXPECT_EQ(*got, c.want);
    } else {
      EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(got.status().field(), "format");
    }
  }
}

TEST(DetectFormatTest, Table) {
  struct Case {
    std::string_view name;
    std::string_view input;
    InputFormat want;
  };
  const Case cases[] = {
      {"batch", R"({"batchData":[]})", InputFormat::kAktoBatch},
      {"batch_not_first_key", R"({"x":{"log":1},"batchData":[{"path":"/"}]})",
       InputFormat::kAktoBatch},
      {"batch_pretty", "\xEF\xBB\xBF\n  {\n  \"batchData\" : [\n]\n}\n", InputFormat::kAktoBatch},
      {"batch_truncated", R"({"batchData":[{"path":"/)", InputFormat::kAktoBatch},
      {"har", R"({"log":{"entries":[]}})", InputFormat::kHar},
      {"har_after_other_keys", R"({"a":"{\"batchData\":1}","b":[1,{"c":2}],"log":{}})",
       InputFormat::kHar},
      {"nested_keys_do_not_count", R"({"x":{"batchData":[],"log":{}}})", InputFormat::kAktoJsonl},
      {"key_like_value", R"({"x":"batchData"})", InputFormat::kAktoJsonl},
      {"jsonl", "{\"path\":\"/\",\"method\":\"GET\"}\n{\"path\":\"/b\",\"method\":\"GET\"}\n",
       InputFormat::kAktoJsonl},
      {"jsonl_first_line_has_log", "{\"log\":1}\n{\"log\":2}\n", InputFormat::kAktoJsonl},
      {"single_record", R"({"path":"/","method":"GET"})", InputFormat::kAktoJsonl},
      {"empty", "", InputFormat::kAktoJsonl},
      {"array", "[]", InputFormat::kAktoJsonl},
      {"garbage", std::string_view("\x00\xff{", 3), InputFormat::kAktoJsonl},
      {"unbalanced_close", "{]]]}}}\"batchData\":1", InputFormat::kAktoJsonl},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(DetectFormat(c.input), c.want);
  }
}

TEST(DetectFormatTest, Testdata) {
  EXPECT_EQ(DetectFormat(ReadTestdata("akto_batch.json")), InputFormat::kAktoBatch);
  EXPECT_EQ(DetectFormat(ReadTestdata("akto_records.jsonl")), InputFormat::kAktoJsonl);
  EXPECT_EQ(DetectFormat(ReadTestdata("sample.har.json")), InputFormat::kHar);
}

TEST(DetectFormatTest, DeepNestingIsLinear) {
  std::string deep = "{\"a\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
  EXPECT_EQ(DetectFormat(deep), InputFormat::kAktoJsonl);
}

TEST(ParseDocumentTest, DispatchesAndDefaultsSource) {
  struct Case {
    std::string_view file;
    InputFormat format;
    std::string_view source;
    std::size_t exchanges;
  };
  const Case cases[] = {
      {"akto_batch.json", InputFormat::kAuto, "akto", 2},
      {"akto_batch.json", InputFormat::kAktoBatch, "akto", 2},
      {"akto_records.jsonl", InputFormat::kAuto, "akto-jsonl", 2},
      {"akto_records.jsonl", InputFormat::kAktoJsonl, "akto-jsonl", 2},
      {"sample.har.json", InputFormat::kAuto, "har", 3},
      {"sample.har.json", InputFormat::kHar, "har", 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.file) + " as " + std::string(InputFormatName(c.format)));
    Result<ParsedExchanges> got = ParseDocument(ReadTestdata(c.file), c.format, {});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_TRUE(got->rejected.empty());
    ASSERT_EQ(got->exchanges.size(), c.exchanges);
    for (const Exchange& ex : got->exchanges) EXPECT_EQ(ex.source, c.source);
  }
}

TEST(ParseDocumentTest, SourceOption) {
  Result<ParsedExchanges> got =
      ParseDocument(ReadTestdata("sample.har.json"), InputFormat::kAuto, {.source = "ingest-api"});
  ASSERT_TRUE(got.ok());
  ASSERT_FALSE(got->exchanges.empty());
  EXPECT_EQ(got->exchanges[0].source, "ingest-api");
}

TEST(ParseDocumentTest, ExplicitFormatWins) {
  // A HAR document read as an Akto batch has no batchData.
  Result<ParsedExchanges> got =
      ParseDocument(ReadTestdata("sample.har.json"), InputFormat::kAktoBatch, {});
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().field(), "batchData");
}

}  // namespace
}  // namespace warden
