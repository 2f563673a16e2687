#include "api/static_files.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

HttpRequest Get(const std::string& path, const std::string& method = "GET") {
  HttpRequest r;
  r.method = method;
  r.path = path;
  return r;
}

std::string_view HeaderOf(const HttpResponse& r, std::string_view name) {
  for (const auto& h : r.headers) {
    if (h.name == name) return h.value;
  }
  return {};
}

TEST(StaticFilesTest, ServesFilesAndFallsBackToIndex) {
  StaticFiles files({{"index.html", "<html>app</html>"}, {"assets/app-1.js", "console.log(1)"}});
  HttpResponse r;
  ASSERT_TRUE(files.Serve(Get("/assets/app-1.js"), &r));
  EXPECT_EQ(r.body, "console.log(1)");
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(HeaderOf(r, "Cache-Control").find("immutable"), std::string_view::npos);
  EXPECT_NE(HeaderOf(r, "Content-Security-Policy").find("script-src 'self'"),
            std::string_view::npos);

  for (const char* path : {"/", "/actors", "/threats/abc", "/index.html"}) {
    ASSERT_TRUE(files.Serve(Get(path), &r)) << path;
    EXPECT_EQ(r.body, "<html>app</html>") << path;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache");
  }
  EXPECT_FALSE(files.Serve(Get("/api/v1/nothing"), &r));
  EXPECT_FALSE(files.Serve(Get("/", "POST"), &r));
  EXPECT_TRUE(files.Serve(Get("/", "HEAD"), &r));
}

TEST(StaticFilesTest, SaysWhenTheDashboardWasNotBuilt) {
  StaticFiles none({});
  HttpResponse r;
  ASSERT_TRUE(none.Serve(Get("/"), &r));
  EXPECT_NE(r.body.find("not built"), std::string::npos);
}

}  // namespace
}  // namespace warden
