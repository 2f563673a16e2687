// /api/v1/policies: listing, YAML errors that point at the line, built-in protection, and
// trying policies on a request.
#include <gtest/gtest.h>

#include "api/api_fixture.h"

namespace warden {
namespace {

namespace json = boost::json;

class V1PoliciesTest : public ApiFixture {};

TEST_F(V1PoliciesTest, ListsReadsAndTestsPolicies) {
  ApiReply list = Get("/api/v1/policies");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.obj().at("total").to_number<int>(), 3);
  ApiReply one = Get("/api/v1/policies/SQLInjection");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_NE(one.obj().at("yaml").as_string().find("id: SQLInjection"), std::string::npos);
  EXPECT_EQ(one.obj().at("severity").as_string(), "MEDIUM");
  EXPECT_EQ(Get("/api/v1/policies/Nope").status, 404);

  struct Case {
    const char* name;
    std::string body;
    bool matched;
    const char* policy;
  };
  const Case cases[] = {
      {"every enabled policy, matching",
       R"({"request":{"method":"GET","url":"/users?q=x%27%20or%201=1","headers":{"host":"a"}}})",
       true, "SQLInjection"},
      {"every enabled policy, clean", R"({"request":{"method":"GET","url":"/users?q=alice"}})",
       false, ""},
      {"one policy by id", R"({"policyId":"LocalFileInclusionLFIRFI",
         "request":{"url":"/f?path=../../etc/passwd"}})",
       true, "LocalFileInclusionLFIRFI"},
      {"a policy given as YAML",
       R"({"yaml":"id: Probe\ninfo:\n  name: Probe\n  severity: LOW\nfilter:\n  query_param:\n    contains_either: [\"zzz\"]\n",
         "request":{"url":"/x?a=zzz"}})",
       true, "Probe"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ApiReply r = Post("/api/v1/policies/test", c.body, Role::kAnalyst);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.obj().at("matched").as_bool(), c.matched) << r.body;
    if (c.matched) {
      const json::array& findings = r.obj().at("findings").as_array();
      ASSERT_FALSE(findings.empty());
      EXPECT_EQ(findings[0].as_object().at("policyId").as_string(), c.policy);
    }
  }
  ApiReply no_request =
      Post("/api/v1/policies/test", R"({"policyId":"SQLInjection"})", Role::kAnalyst);
  EXPECT_EQ(no_request.status, 400);
  EXPECT_EQ(no_request.obj().at("error").as_object().at("field").as_string(), "request");
}

TEST_F(V1PoliciesTest, YamlErrorsNameTheLine) {
  json::object body{{"yaml",
                     "id: Broken\ninfo:\n  name: Broken\nfilter:\n  query_param:\n"
                     "    no_such_operator: [1]\n"}};
  ApiReply r = Post("/api/v1/policies", json::serialize(body));
  ASSERT_EQ(r.status, 400) << r.body;
  const json::object& err = r.obj().at("error").as_object();
  EXPECT_EQ(err.at("code").as_string(), "invalid_argument");
  ASSERT_TRUE(err.contains("line")) << r.body;
  EXPECT_EQ(err.at("line").to_number<int>(), 6) << r.body;

  // Creating an id that exists is a conflict.
  json::object again{
      {"yaml", std::string(Get("/api/v1/policies/SQLInjection").obj().at("yaml").as_string())}};
  EXPECT_EQ(Post("/api/v1/policies", json::serialize(again)).status, 409);
}

}  // namespace
}  // namespace warden
