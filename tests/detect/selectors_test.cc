#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detect/selectors/selector.h"
#include "test_views.h"

namespace warden {
namespace {

using testing::TestExchange;

// "location=value" per candidate, in order.
std::vector<std::string> Collect(const char* selector, const View& view) {
  const Selector* s = FindSelector(selector);
  EXPECT_NE(s, nullptr) << selector;
  if (s == nullptr) return {};
  CandidateArena arena;
  std::vector<Candidate> cands;
  s->Collect(view, &arena, &cands);
  std::vector<std::string> out;
  for (const auto& c : cands) out.push_back(c.Location() + "=" + std::string(c.value));
  return out;
}

TestExchange Sample() {
  TestExchange t;
  t.Method("POST")
      .Target("/api/a%20b/items?q=x%27&page=2", "/api/a b/items")
      .Header("user-agent", "curl/8.0")
      .Header("cookie", "sid=abc; theme=dark%20mode")
      .Param(ParamLocation::kQuery, "q", "x'")
      .Param(ParamLocation::kQuery, "page", "2")
      .Param(ParamLocation::kCookie, "sid", "abc")
      .Param(ParamLocation::kCookie, "theme", "dark mode")
      .Param(ParamLocation::kJson, "user.name", "bob")
      .Param(ParamLocation::kForm, "f", "1")
      .Param(ParamLocation::kMultipart, "file", "data")
      .Param(ParamLocation::kXml, "root.a", "z")
      .Param(ParamLocation::kPath, "1", "a b")
      .Body(R"({"user":{"name":"bob"}})")
      .Response(403, R"({"error":"denied"})")
      .ResponseParam("error", "denied");
  t.exchange.response_headers = {{"content-type", "application/json"}};
  t.view.response_headers = {{"content-type", "application/json"}};
  t.exchange.dest_ip = "198.51.100.4:443";
  t.view.client_ip = "203.0.113.7";
  t.view.country = "DE";
  t.view.collection_id = 42;
  t.Sync();
  return t;
}

TEST(SelectorsTest, CandidatesTable) {
  TestExchange t = Sample();
  t.Sync();
  struct Case {
    const char* selector;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"url", {"url=/api/a%20b/items?q=x%27&page=2", "url=/api/a b/items?q=x'&page=2"}},
      {"method", {"method=POST"}},
      {"query_param", {"query:q=x'", "query:page=2"}},
      {"request_headers",
       {"header:user-agent=curl/8.0", "header:cookie=sid=abc; theme=dark%20mode", "cookie:sid=abc",
        "cookie:theme=dark mode"}},
      {"request_payload",
       {"json:user.name=bob", "form:f=1", "multipart:file=data", "xml:root.a=z",
        R"(body={"user":{"name":"bob"}})"}},
      {"response_code", {"response_code=403"}},
      {"response_payload", {"response_json:error=denied", R"(response_body={"error":"denied"})"}},
      {"response_headers", {"response_header:content-type=application/json"}},
      {"api_collection_id", {"api_collection_id=42"}},
      {"source_ip", {"source_ip=203.0.113.7"}},
      {"destination_ip", {"destination_ip=198.51.100.4"}},
      {"country_code", {"country_code=DE"}},
      {"request_cookies", {"cookie:sid=abc", "cookie:theme=dark mode"}},
      {"path_segments", {"path:1=a b"}},
      {"request_json", {"json:user.name=bob"}},
      {"request_xml", {"xml:root.a=z"}},
      {"request_multipart", {"multipart:file=data"}},
      {"request_body_fields",
       {"json:user.name=bob", "form:f=1", "multipart:file=data", "xml:root.a=z",
        R"(body={"user":{"name":"bob"}})"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Collect(c.selector, t.view), c.want) << c.selector;
  }
}

// request_body_fields reads a JSON body read whole as its keys and values, while
// request_payload keeps its raw text too, of a class of its own; any other body is raw in both.
TEST(SelectorsTest, BodyFieldsLeaveOutTheRawTextOfJsonReadWhole) {
  TestExchange t = Sample();
  const std::vector<std::string> fields = {"json:user.name=bob", "form:f=1", "multipart:file=data",
                                           "xml:root.a=z"};
  std::vector<std::string> with_body = fields;
  with_body.push_back(R"(body={"user":{"name":"bob"}})");
  EXPECT_EQ(Collect("request_body_fields", t.view), with_body);
  t.view.request_json_whole = true;
  EXPECT_EQ(Collect("request_body_fields", t.view), fields);
  EXPECT_EQ(Collect("request_payload", t.view), with_body);
  CandidateArena arena;
  std::vector<Candidate> cands;
  FindSelector("request_payload")->Collect(t.view, &arena, &cands);
  ASSERT_FALSE(cands.empty());
  EXPECT_EQ(cands.back().field_class, FieldClass::kRequestJsonText);
  // The raw text of a JSON body read whole is scanned with request_payload's.
  bool covered = false;
  for (const Selector* cover : PrefilterSelectors(FieldClass::kRequestJsonText)) {
    covered = covered || cover == FindSelector("request_payload");
  }
  EXPECT_TRUE(covered);
}

TEST(SelectorsTest, DestinationIpForms) {
  struct Case {
    const char* dest;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"", {}},
      {"10.0.0.1", {"destination_ip=10.0.0.1"}},
      {"10.0.0.1:8080", {"destination_ip=10.0.0.1"}},
      {"[2001:db8::1]:443", {"destination_ip=2001:db8::1"}},
      {"2001:db8::1", {"destination_ip=2001:db8::1"}},
  };
  for (const auto& c : cases) {
    TestExchange t;
    t.exchange.dest_ip = c.dest;
    t.Sync();
    EXPECT_EQ(Collect("destination_ip", t.view), c.want) << c.dest;
  }
}

// The prefilter scans, per field class, only the candidates of the covering selectors
// (PrefilterSelectors); every selector's candidates must be among them.
TEST(SelectorsTest, CoveringSelectorsCoverEveryCandidate) {
  TestExchange t = Sample();
  t.Sync();
  for (const Selector* s : Selectors()) {
    CandidateArena arena;
    std::vector<Candidate> cands;
    s->Collect(t.view, &arena, &cands);
    for (const Candidate& c : cands) {
      EXPECT_NE(s->field_classes() & ClassBit(c.field_class), 0u) << s->name();
      if (c.field_class == FieldClass::kContext) continue;
      bool covered = false;
      for (const Selector* cover : PrefilterSelectors(c.field_class)) {
        std::vector<Candidate> theirs;
        cover->Collect(t.view, &arena, &theirs);
        for (const Candidate& o : theirs) {
          covered = covered || (o.field_class == c.field_class && o.key == c.key &&
                                o.value == c.value && o.test_key == c.test_key);
        }
      }
      EXPECT_TRUE(covered) << s->name() << " " << c.Location();
    }
  }
}

TEST(SelectorsTest, EmptyPartsYieldNothing) {
  TestExchange t;  // GET /, no body, no response
  t.Sync();
  EXPECT_EQ(Collect("url", t.view), std::vector<std::string>{"url=/"});
  EXPECT_TRUE(Collect("query_param", t.view).empty());
  EXPECT_TRUE(Collect("request_payload", t.view).empty());
  EXPECT_TRUE(Collect("response_code", t.view).empty());
  EXPECT_TRUE(Collect("response_payload", t.view).empty());
}

TEST(SelectorsTest, UrlWithoutExchangeUsesViewFields) {
  View v;
  v.raw_path = "/a%2fb";
  v.query = "x=1";
  EXPECT_EQ(Collect("url", v), (std::vector<std::string>{"url=/a%2fb?x=1", "url=/a/b?x=1"}));
  EXPECT_TRUE(Collect("request_payload", v).empty());
  EXPECT_TRUE(Collect("response_code", v).empty());
}

TEST(SelectorsTest, TableIsConsistent) {
  for (const Selector* s : Selectors()) EXPECT_EQ(FindSelector(s->name()), s);
  EXPECT_EQ(FindSelector("response_header"), nullptr);
  for (const char* name : {"method", "response_code", "api_collection_id", "source_ip",
                           "destination_ip", "country_code"}) {
    EXPECT_TRUE(FindSelector(name)->context_only()) << name;
    EXPECT_EQ(FindSelector(name)->field_classes(), ClassBit(FieldClass::kContext)) << name;
  }
  EXPECT_TRUE(FindSelector("method")->context_only());
  EXPECT_TRUE(FindSelector("response_code")->context_only());
  EXPECT_FALSE(FindSelector("query_param")->context_only());
}

}  // namespace
}  // namespace warden
