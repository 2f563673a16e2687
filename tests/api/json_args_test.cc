#include "api/json_args.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

boost::json::object Obj(const char* text) { return boost::json::parse(text).as_object(); }

TEST(JsonArgsTest, ReadsAktoStyleValues) {
  auto o = Obj(R"({"skip":"10","limit":50,"ips":"1.2.3.4","urls":["/a","/b"],"types":"null",
                  "flag":"true","sort":{"detectedAt":-1},"ids":[1,"2"],"startTs":null})");
  JsonArgs a(o);
  EXPECT_EQ(a.Int("skip", 0, 100).value(), 10);
  EXPECT_EQ(a.Int("limit", 1, 1000).value(), 50);
  EXPECT_EQ(a.Strings("ips"), std::vector<std::string>{"1.2.3.4"});
  EXPECT_EQ(a.Strings("urls").size(), 2u);
  EXPECT_TRUE(a.Strings("types").empty());
  EXPECT_TRUE(a.Bool("flag").value());
  auto sort = a.Sort("sort");
  ASSERT_TRUE(sort.has_value());
  EXPECT_EQ(sort->first, "detectedAt");
  EXPECT_TRUE(sort->second);
  EXPECT_EQ(a.Ints("ids"), (std::vector<std::int64_t>{1, 2}));
  EXPECT_FALSE(a.FirstInt({"startTimestamp", "startTs"}, 0, 10).has_value());
  EXPECT_FALSE(a.Int("absent", 0, 1).has_value());
  EXPECT_TRUE(a.ok());
}

TEST(JsonArgsTest, FirstErrorNamesTheField) {
  struct Case {
    const char* body;
    const char* field;
  };
  const Case cases[] = {
      {R"({"limit":"many"})", "limit"}, {R"({"limit":5000})", "limit"},
      {R"({"limit":1.5})", "limit"},    {R"({"ips":[{}]})", "ips"},
      {R"({"flag":3})", "flag"},        {R"({"sort":"detectedAt"})", "sort"},
  };
  for (const auto& c : cases) {
    auto o = Obj(c.body);
    JsonArgs a(o);
    a.Int("limit", 1, 1000);
    a.Strings("ips");
    a.Bool("flag");
    a.Sort("sort");
    EXPECT_FALSE(a.ok()) << c.body;
    EXPECT_EQ(a.status().field(), c.field) << c.body;
  }
}

TEST(JsonArgsTest, BodiesMustBeObjects) {
  EXPECT_TRUE(ParseJsonBody("").ok());
  EXPECT_TRUE(ParseJsonBody("  ").ok());
  EXPECT_FALSE(ParseJsonBody("[]").ok());
  EXPECT_FALSE(ParseJsonBody("{").ok());
  EXPECT_EQ(ParseJsonBody("{").status().field(), "body");
}

TEST(ErrorResponseTest, MapsCodesToStatuses) {
  EXPECT_EQ(ErrorResponse(Status::InvalidArgument("x", "f")).status, 400);
  EXPECT_EQ(ErrorResponse(Status::NotFound("x")).status, 404);
  EXPECT_EQ(ErrorResponse(Status::AlreadyExists("x")).status, 409);
  auto busy = ErrorResponse(Status::ResourceExhausted("full"));
  EXPECT_EQ(busy.status, 429);
  ASSERT_EQ(busy.headers.size(), 1u);
  EXPECT_EQ(busy.headers[0].name, "Retry-After");
  auto r = ErrorResponse(Status::InvalidArgument("limit: bad", "limit"));
  auto v = boost::json::parse(r.body).as_object();
  EXPECT_EQ(v.at("error").at("code").as_string(), "invalid_argument");
  EXPECT_EQ(v.at("error").at("field").as_string(), "limit");
}

}  // namespace
}  // namespace warden
