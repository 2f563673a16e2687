#include "normalize/normalize.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace warden {
namespace {

TEST(ClientIpTest, HonoursTrustedProxyDepth) {
  struct Case {
    const char* name;
    const char* peer;
    std::vector<std::string_view> xff;
    int trusted;
    const char* want;
  };
  const Case cases[] = {
      {"no_proxy_uses_peer", "10.0.0.5", {"1.1.1.1"}, 0, "10.0.0.5"},
      {"one_proxy_rightmost_xff", "10.0.0.5", {"6.6.6.6, 1.1.1.1"}, 1, "1.1.1.1"},
      {"spoofed_leftmost_ignored", "10.0.0.5", {"6.6.6.6, 7.7.7.7, 1.1.1.1"}, 1, "1.1.1.1"},
      {"two_proxies", "10.0.0.5", {"6.6.6.6, 1.1.1.1, 10.0.0.9"}, 2, "1.1.1.1"},
      {"more_trust_than_hops_clamps", "10.0.0.5", {"1.1.1.1"}, 5, "1.1.1.1"},
      {"multiple_headers_concatenate", "10.0.0.5", {"6.6.6.6", "1.1.1.1"}, 1, "1.1.1.1"},
      {"peer_port_stripped", "20.0.143.224:57796", {}, 0, "20.0.143.224"},
      {"ipv6_bracket_port", "[2001:db8::1]:443", {}, 0, "2001:db8::1"},
      {"ipv6_plain", "2001:db8::1", {}, 0, "2001:db8::1"},
      {"garbage_xff_skipped", "10.0.0.5", {"<script>"}, 1, "10.0.0.5"},
      {"no_peer_uses_xff", "", {"6.6.6.6, 1.1.1.1"}, 0, "1.1.1.1"},
      {"nothing", "", {}, 0, ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ClientIp(c.peer, c.xff, c.trusted), c.want) << c.name;
  }
}

TEST(EndpointTemplateTest, ReplacesIdentifiers) {
  struct Case {
    const char* in;
    const char* want;
  };
  const Case cases[] = {
      {"/users/123/orders/9f1c2a3b-1d2e-4f50-8a9b-0c1d2e3f4a5b", "/users/{int}/orders/{uuid}"},
      {"/items/507f1f77bcf86cd799439011", "/items/{objectid}"},
      {"/blobs/9f1c2a3b44", "/blobs/{hex}"},
      {"/users/alice%40example.com/profile", "/users/{email}/profile"},
      {"/reports/2025-07-21", "/reports/{date}"},
      {"/reports/2025-13-21", "/reports/2025-13-21"},
      {"/api/v1/products", "/api/v1/products"},
      {"/cafebabe", "/cafebabe"},  // hex-looking words without a digit stay
      {"/a%2Fb/1", "/a/b/{int}"},
      {"", "/"},
      {"/", "/"},
      {"/users/1/", "/users/{int}/"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(EndpointTemplate(c.in), c.want) << c.in;
  }
}

TEST(ParamsTest, UrlEncodedDecodesKeysAndValues) {
  std::vector<Param> params;
  ParseUrlEncoded("q=a+b%27&empty=&flag&%24where=1&&x=%zz", ParamLocation::kQuery, &params, 100);
  ASSERT_EQ(params.size(), 5u);
  EXPECT_EQ(params[0].key, "q");
  EXPECT_EQ(params[0].value, "a b'");
  EXPECT_EQ(params[1].value, "");
  EXPECT_EQ(params[2].key, "flag");
  EXPECT_EQ(params[3].key, "$where");
  EXPECT_EQ(params[4].value, "%zz");
  params.clear();
  ParseUrlEncoded("a=1&b=2&c=3", ParamLocation::kForm, &params, 2);
  EXPECT_EQ(params.size(), 2u);
}

TEST(ParamsTest, JsonFlattensToKeyPaths) {
  std::vector<Param> params;
  ASSERT_TRUE(FlattenJson(R"({"user":{"name":"bob","tags":["a",{"k":1}]},"ok":true,"n":null})",
                          &params, 100, 32));
  ASSERT_EQ(params.size(), 5u);
  EXPECT_EQ(params[0].key, "user.name");
  EXPECT_EQ(params[0].value, "bob");
  EXPECT_EQ(params[1].key, "user.tags[0]");
  EXPECT_EQ(params[2].key, "user.tags[1].k");
  EXPECT_EQ(params[2].value, "1");
  EXPECT_EQ(params[3].value, "true");
  EXPECT_EQ(params[4].value, "null");
  params.clear();
  EXPECT_FALSE(FlattenJson("{not json", &params, 100, 32));
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_FALSE(FlattenJson(deep, &params, 100, 32));
}

// Whether the params hold every key and value of the document: then selectors may leave its raw
// text out.
TEST(ParamsTest, JsonReadWholeOnlyWhenNothingIsLost) {
  struct Case {
    const char* json;
    std::size_t max_params;
    bool whole;
  };
  const Case cases[] = {
      {R"({"user":{"name":"bob","tags":["a",{"k":1}]},"ok":true,"n":null})", 100, true},
      {R"(["a", 1, {"b": "c"}])", 100, true},
      {R"("just a string")", 100, true},
      {R"({"k\":\"x": "v", "q": "a \" : b"})", 100, true},  // quotes and colons in strings
      {R"({ "a" :1 , "b"	:	2 })", 100, true},
      {R"({"a":1,"b":2,"c":3})", 3, false},  // cut off: the last param fills the limit
      {R"({"a":1,"b":2,"c":3})", 2, false},
      {R"({"a":1,"a":2})", 100, false},       // a key given twice: one value is gone
      {R"({"x":{"a":1,"b":2,"a":3}})", 100, false},
      {R"({"<script>":{}})", 100, false},     // an empty object adds no param for its key
      {R"({"$where":[]})", 100, false},
      {R"({})", 100, false},
      {R"([])", 100, false},
  };
  for (const auto& c : cases) {
    std::vector<Param> params;
    bool whole = !c.whole;
    ASSERT_TRUE(FlattenJson(c.json, &params, c.max_params, 32, &whole)) << c.json;
    EXPECT_EQ(whole, c.whole) << c.json;
  }
  // Params already in the list count against the limit.
  std::vector<Param> params(99);
  bool whole = true;
  ASSERT_TRUE(FlattenJson(R"({"a":1})", &params, 100, 32, &whole));
  EXPECT_FALSE(whole);
  params.clear();
  EXPECT_FALSE(FlattenJson("{not json", &params, 100, 32, &whole));
  EXPECT_FALSE(whole);
}

TEST(ParamsTest, CookiesSplitOnSemicolons) {
  std::vector<Param> params;
  ParseCookies("sid=abc; theme=dark;flag ; x=a%20b", &params, 100);
  ASSERT_EQ(params.size(), 4u);
  EXPECT_EQ(params[0].location, ParamLocation::kCookie);
  EXPECT_EQ(params[1].key, "theme");
  EXPECT_EQ(params[2].key, "flag");
  EXPECT_EQ(params[3].value, "a b");
}

Exchange SampleExchange() {
  Exchange e;
  e.method = "post";
  e.target = "/api/v1/users/42/orders?sort=desc&q=%27x";
  e.request_headers = {{"Host", "Shop.Example.com:8443"},
                       {"Content-Type", "application/json; charset=utf-8"},
                       {"X-Forwarded-For", "6.6.6.6, 203.0.113.9"},
                       {"Cookie", "sid=s1"}};
  e.request_body = R"({"items":[{"sku":"A1","qty":2}]})";
  e.status_code = 200;
  e.response_headers = {{"Content-Type", "application/json"}};
  e.response_body = R"({"id":7,"email":"a@b.c"})";
  e.peer_ip = "10.0.0.2:5555";
  e.time_s = 1700000000;
  return e;
}

TEST(BuildViewTest, DecodesEverythingOnce) {
  Exchange e = SampleExchange();
  NormalizeOptions opts;
  opts.trusted_proxies = 1;
  View v = BuildView(e, opts);
  EXPECT_EQ(v.exchange, &e);
  EXPECT_EQ(v.method, "POST");
  EXPECT_EQ(v.host, "shop.example.com");
  EXPECT_EQ(v.raw_path, "/api/v1/users/42/orders");
  EXPECT_EQ(v.query, "sort=desc&q=%27x");
  EXPECT_EQ(v.endpoint_template, "/api/v1/users/{int}/orders");
  EXPECT_EQ(v.client_ip, "203.0.113.9");
  EXPECT_EQ(v.actor_id, "203.0.113.9");
  EXPECT_EQ(v.collection, "shop.example.com");
  EXPECT_EQ(v.collection_id, CollectionId("shop.example.com"));
  EXPECT_EQ(v.RequestHeader("content-type"), "application/json; charset=utf-8");

  auto find = [&](ParamLocation loc, const std::string& key) -> const Param* {
    for (const auto& p : v.params) {
      if (p.location == loc && p.key == key) return &p;
    }
    return nullptr;
  };
  ASSERT_NE(find(ParamLocation::kQuery, "q"), nullptr);
  EXPECT_EQ(find(ParamLocation::kQuery, "q")->value, "'x");
  ASSERT_NE(find(ParamLocation::kJson, "items[0].sku"), nullptr);
  EXPECT_EQ(find(ParamLocation::kJson, "items[0].qty")->value, "2");
  ASSERT_NE(find(ParamLocation::kCookie, "sid"), nullptr);
  ASSERT_NE(find(ParamLocation::kPath, "3"), nullptr);
  EXPECT_EQ(find(ParamLocation::kPath, "3")->value, "42");
  ASSERT_EQ(v.response_params.size(), 2u);
  EXPECT_EQ(v.response_params[1].key, "email");
  EXPECT_TRUE(v.request_json_whole);
}

TEST(BuildViewTest, FormBodiesAndAbsoluteTargets) {
  Exchange e;
  e.method = "POST";
  e.target = "http://Api.Example.net/login#frag";
  e.request_headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  e.request_body = "user=admin&pass=%27+or+1%3D1";
  View v = BuildView(e, {});
  EXPECT_EQ(v.host, "api.example.net");
  EXPECT_EQ(v.raw_path, "/login");
  EXPECT_EQ(v.query, "");
  ASSERT_EQ(v.params.size(), 3u);  // path segment + two form fields
  EXPECT_EQ(v.params[2].location, ParamLocation::kForm);
  EXPECT_EQ(v.params[2].value, "' or 1=1");
  EXPECT_EQ(v.actor_id, "unknown");
  EXPECT_FALSE(v.request_json_whole);  // a form body is never "read whole"
}

TEST(BuildViewTest, FormBodiesWithoutAMediaType) {
  struct Case {
    const char* body;
    bool form;
  };
  const Case cases[] = {
      {"user=admin&next=%2Fhome", true},
      {"cmd=a b\nc", true},  // raw spaces and line breaks in a value
      {"a[b]=1", true},
      {"q%3D1%27+or+1%3D1", true},  // one encoded token: a key without a value
      {"plain%20text with spaces", false},
      {"Dear team, x = 1 is wrong", false},  // prose with an '='
      {"=value", false},
      {"<a href=x>", false},
  };
  for (const Case& c : cases) {
    Exchange e;
    e.method = "POST";
    e.target = "/submit";
    e.request_body = c.body;
    View v = BuildView(e, {});
    bool has_form = false;
    for (const auto& p : v.params) has_form |= p.location == ParamLocation::kForm;
    EXPECT_EQ(has_form, c.form) << c.body;
  }
}

TEST(BuildViewTest, SensorCollectionIdWins) {
  Exchange e = SampleExchange();
  e.collection_id = "1234";
  EXPECT_EQ(BuildView(e, {}).collection_id, 1234);
  e.collection_id = "not-a-number";
  EXPECT_EQ(BuildView(e, {}).collection_id, CollectionId("shop.example.com"));
}

TEST(BuildViewTest, HostileInputDoesNotCrash) {
  Exchange e;
  e.method = std::string("\0\xff", 2);
  e.target = "%%%?%%&=&==&" + std::string(5000, '[');
  e.request_headers = {{"Content-Type", "application/json"}, {"Cookie", ";;;=;"}};
  e.request_body = std::string(10000, '{');
  View v = BuildView(e, {});
  EXPECT_EQ(v.raw_path, "%%%");
  EXPECT_EQ(v.endpoint_template, "/%%%");
}

TEST(CollectionTest, RulesMapHostsAndIdsAreStable) {
  std::vector<CollectionRule> rules = {{"*.shop.example", "shop"}, {"admin.example", "admin"}};
  EXPECT_EQ(CollectionFor("API.shop.example:443", rules), "shop");
  EXPECT_EQ(CollectionFor("shop.example", rules), "shop.example");
  EXPECT_EQ(CollectionFor("admin.example", rules), "admin");
  EXPECT_GT(CollectionId("shop"), 0);
  EXPECT_EQ(CollectionId("shop"), CollectionId("shop"));
  EXPECT_NE(CollectionId("shop"), CollectionId("admin"));
}

TEST(SampleJsonTest, ProducesAktoRecordWithStringFields) {
  Exchange e = SampleExchange();
  e.request_headers.push_back({"X-Forwarded-For", "1.1.1.1"});
  e.response_body = "bad \xff utf8";
  auto v = boost::json::parse(SampleJson(e)).as_object();
  EXPECT_EQ(v.at("method").as_string(), "post");
  EXPECT_EQ(v.at("path").as_string(), "/api/v1/users/42/orders?sort=desc&q=%27x");
  EXPECT_EQ(v.at("statusCode").as_string(), "200");
  EXPECT_EQ(v.at("time").as_string(), "1700000000");
  auto headers = boost::json::parse(v.at("requestHeaders").as_string()).as_object();
  EXPECT_EQ(headers.at("X-Forwarded-For").as_string(), "6.6.6.6, 203.0.113.9, 1.1.1.1");
  EXPECT_EQ(v.at("responsePayload").as_string(), "bad \xEF\xBF\xBD utf8");
}

}  // namespace
}  // namespace warden
