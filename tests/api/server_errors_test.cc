// Errors the HTTP server itself answers (before any handler), over a real socket: every one has
// the {"error":{"code","message","field"}} shape.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/http_client.h"
#include "api/router.h"
#include "api/server.h"

namespace warden {
namespace {

namespace json = boost::json;

TEST(ServerErrorsTest, TooLargeUnknownAndMalformedRequestsAnswerJsonErrors) {
  Router router(nullptr);
  router.Add({"POST",
              "/echo",
              {},
              "echo",
              [](const HttpRequest& req, const Principal&, Responder respond) {
                respond(HttpResponse::Json(
                    200, json::serialize(json::object{{"bytes", req.body.size()}})));
              }});
  ServerOptions opts;
  opts.port = 0;
  opts.max_body_bytes = 1024;
  HttpServer server(opts, &router);
  auto port = server.Start();
  ASSERT_TRUE(port.ok()) << port.status().ToString();
  HttpTarget target{.host = "127.0.0.1", .port = *port};

  struct Case {
    const char* name;
    const char* method;
    const char* path;
    std::size_t body_bytes;
    int want_status;
    const char* want_code;
  };
  const Case cases[] = {
      {"fits", "POST", "/echo", 1024, 200, ""},
      {"too large", "POST", "/echo", 1025, 413, "payload_too_large"},
      {"unknown route", "GET", "/nope", 0, 404, "not_found"},
      {"wrong method", "GET", "/echo", 0, 405, "method_not_allowed"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = HttpCall(target, c.method, c.path, {{"content-type", "application/json"}},
                      std::string(c.body_bytes, 'x'), 10);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, c.want_status) << r->body;
    boost::system::error_code ec;
    json::value v = json::parse(r->body, ec);
    ASSERT_FALSE(ec) << r->body;
    if (c.want_status == 200) {
      EXPECT_EQ(v.as_object().at("bytes").to_number<std::size_t>(), c.body_bytes);
      continue;
    }
    const json::object& err = v.as_object().at("error").as_object();
    EXPECT_EQ(err.at("code").as_string(), c.want_code);
    EXPECT_FALSE(err.at("message").as_string().empty());
  }
  server.Stop();
}

}  // namespace
}  // namespace warden
