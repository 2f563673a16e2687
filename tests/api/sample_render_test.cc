#include "api/sample_render.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <mutex>

#include "api/router.h"
#include "api/server.h"
#include "common/strings.h"

namespace warden {
namespace {

std::string SampleText() {
  boost::json::object o;
  o["method"] = "POST";
  o["path"] = "/api/v1/search?q=%27%20OR%20%271%27%3D%271&x=$(id)";
  o["type"] = "HTTP/1.1";
  o["requestHeaders"] = R"({"Host":"shop.example","X-Note":"it's \"quoted\"","Cookie":"a=1"})";
  o["requestHeaderList"] = boost::json::array{
      boost::json::array{"Host", "shop.example"}, boost::json::array{"X-Note", "it's \"quoted\""},
      boost::json::array{"Cookie", "a=1"}, boost::json::array{"Cookie", "b=2"},
      boost::json::array{"Content-Type", "application/json"}};
  o["requestPayload"] = "{\"name\":\"O'Brien `whoami` $HOME\"}";
  o["statusCode"] = "500";
  o["responsePayload"] = "err";
  return boost::json::serialize(o);
}

TEST(SampleRenderTest, ParsesHeaderListBeforeTheMap) {
  auto s = ParseStoredSample(SampleText());
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->method, "POST");
  EXPECT_EQ(s->host, "shop.example");
  ASSERT_EQ(s->request_headers.size(), 5u);
  EXPECT_EQ(s->request_headers[3].second, "b=2");
  EXPECT_EQ(s->status_code, 500);
  EXPECT_FALSE(ParseStoredSample("not json").has_value());
}

TEST(SampleRenderTest, RawHttpKeepsOrderAndBytes) {
  auto s = ParseStoredSample(SampleText());
  std::string raw = RawHttpRequest(*s);
  EXPECT_EQ(raw.rfind("POST /api/v1/search?q=%27%20OR%20%271%27%3D%271&x=$(id) HTTP/1.1\r\n", 0),
            0u)
      << raw;
  EXPECT_LT(raw.find("Cookie: a=1\r\n"), raw.find("Cookie: b=2\r\n"));
  EXPECT_NE(raw.find("Content-Length: 33\r\n\r\n{\"name\""), std::string::npos) << raw;
}

TEST(SampleRenderTest, BinaryBodiesComeBackExactly) {
  boost::json::object o;
  o["method"] = "PUT";
  o["path"] = "/upload";
  std::string bytes("\x00\xff\xfe" "abc", 6);
  o["requestPayload"] = SanitizeUtf8(bytes);
  o["requestPayloadBase64"] = Base64Encode(bytes);
  auto s = ParseStoredSample(boost::json::serialize(o));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->request_body, bytes);
}

// The curl command, run by a real shell, sends the stored request to a real server.
TEST(SampleRenderTest, CurlCommandReplaysTheRequest) {
  if (std::system("command -v curl >/dev/null 2>&1") != 0) GTEST_SKIP() << "curl not installed";
  std::mutex mu;
  HttpRequest seen;
  Router router(nullptr);
  router.SetFallback([&](const HttpRequest& req, HttpResponse* resp) {
    std::lock_guard<std::mutex> lock(mu);
    seen = req;
    *resp = HttpResponse::Json(200, "{}");
    return true;
  });
  ServerOptions opts;
  opts.port = 0;
  HttpServer server(opts, &router);
  auto port = server.Start();
  ASSERT_TRUE(port.ok());

  auto s = ParseStoredSample(SampleText());
  std::string cmd = CurlCommand(*s, "http://127.0.0.1:" + std::to_string(*port)) +
                    " -s -o /dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  server.Stop();

  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, s->url);
  EXPECT_EQ(seen.body, s->request_body);
  EXPECT_EQ(seen.Header("x-note"), "it's \"quoted\"");
  EXPECT_EQ(seen.Header("content-type"), "application/json");
  int cookies = 0;
  for (const auto& h : seen.headers) cookies += h.name == "cookie";
  EXPECT_EQ(cookies, 2);
}

}  // namespace
}  // namespace warden
