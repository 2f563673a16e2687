// /api/v1/keys, /api/v1/settings and /api/v1/audit.
#include <gtest/gtest.h>

#include "api/api_fixture.h"

namespace warden {
namespace {

namespace json = boost::json;

const json::array& Items(const ApiReply& r) { return r.obj().at("items").as_array(); }

class V1AdminTest : public ApiFixture {};

TEST_F(V1AdminTest, KeysAreShownOnceListedWithoutSecretsAndRevoked) {
  ApiReply made = Post("/api/v1/keys", R"({"name":"ci bot","role":"viewer"})");
  ASSERT_EQ(made.status, 201) << made.body;
  std::string id(made.obj().at("id").as_string());
  std::string secret(made.obj().at("key").as_string());
  EXPECT_TRUE(secret.starts_with("wdn_")) << secret;
  EXPECT_EQ(made.obj().at("role").as_string(), "viewer");

  ApiReply list = Get("/api/v1/keys", Role::kAdmin);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.body.find(secret), std::string::npos) << "a secret in the list";
  EXPECT_EQ(list.body.find("sha256"), std::string::npos);
  EXPECT_EQ(Items(list).size(), 5u);
  const json::object* listed = nullptr;
  for (const auto& k : Items(list)) {
    if (k.as_object().at("id").as_string() == id) listed = &k.as_object();
    EXPECT_FALSE(k.as_object().contains("key"));
  }
  ASSERT_NE(listed, nullptr);
  EXPECT_EQ(listed->at("name").as_string(), "ci bot");
  EXPECT_TRUE(listed->at("lastUsedAt").is_null());

  // The new key works, and its use is recorded.
  clock_.AdvanceSeconds(120);
  HttpRequest req;
  req.method = "GET";
  req.path = "/api/v1/me";
  req.headers.push_back({"x-api-key", secret});
  int status = 0;
  router_->Dispatch(req, [&](HttpResponse r) { status = r.status; });
  EXPECT_EQ(status, 200);
  ApiReply after_use = Get("/api/v1/keys", Role::kAdmin);
  for (const auto& k : Items(after_use)) {
    if (k.as_object().at("id").as_string() == id) {
      EXPECT_EQ(k.as_object().at("lastUsedAt").to_number<std::int64_t>(), kNow + 120);
    }
  }

  ApiReply revoked = Call("DELETE", "/api/v1/keys/" + id, Role::kAdmin);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_TRUE(revoked.obj().at("revoked").as_bool());
  router_->Dispatch(req, [&](HttpResponse r) { status = r.status; });
  EXPECT_EQ(status, 401);
  EXPECT_EQ(Call("DELETE", "/api/v1/keys/" + id, Role::kAdmin).status, 409);
  EXPECT_EQ(Call("DELETE", "/api/v1/keys/nope", Role::kAdmin).status, 404);
  EXPECT_EQ(Items(Get("/api/v1/keys?revoked=false", Role::kAdmin)).size(), 4u);

  // The only admin key cannot lock everyone out.
  ApiReply last = Call("DELETE", "/api/v1/keys/" + key_ids_[Role::kAdmin], Role::kAdmin);
  EXPECT_EQ(last.status, 409) << last.body;

  struct Bad {
    const char* body;
    const char* field;
  };
  for (const Bad& b : {Bad{R"({"role":"viewer"})", "name"}, Bad{R"({"name":"x"})", "role"},
                       Bad{R"({"name":"x","role":"root"})", "role"},
                       Bad{R"({"name":"  ","role":"admin"})", "name"},
                       Bad{R"({"name":["x"],"role":"admin"})", "name"}}) {
    ApiReply r = Post("/api/v1/keys", b.body);
    EXPECT_EQ(r.status, 400) << b.body;
    EXPECT_EQ(r.obj().at("error").as_object().at("field").as_string(), b.field) << b.body;
  }
  EXPECT_EQ(Post("/api/v1/keys", "{not json").status, 400);
  json::object long_name{{"name", std::string(101, 'k')}, {"role", "viewer"}};
  EXPECT_EQ(Post("/api/v1/keys", json::serialize(long_name)).status, 400);

  ApiReply audit = Get("/api/v1/audit?action=key.create,key.revoke", Role::kAdmin);
  ASSERT_EQ(audit.status, 200) << audit.body;
  ASSERT_EQ(Items(audit).size(), 2u);
  EXPECT_EQ(Items(audit)[0].as_object().at("action").as_string(), "key.revoke");
  EXPECT_EQ(Items(audit)[0].as_object().at("target").as_string(), id);
  EXPECT_EQ(Items(audit)[0].as_object().at("by").as_string(), "admin");
  EXPECT_EQ(audit.body.find(secret), std::string::npos) << "a secret in the audit log";
}

TEST_F(V1AdminTest, SettingsAreValidatedAndChangesAudited) {
  ApiReply initial = Get("/api/v1/settings", Role::kAdmin);
  ASSERT_EQ(initial.status, 200) << initial.body;
  EXPECT_FALSE(initial.obj().at("jira").as_object().at("configured").as_bool());
  EXPECT_EQ(initial.obj().at("retentionDays").to_number<std::int64_t>(), 90);

  ApiReply put = Call("PUT", "/api/v1/settings", Role::kAdmin,
                      R"({"jira":{"baseUrl":"https://acme.atlassian.net","project":"SEC"}})");
  ASSERT_EQ(put.status, 200) << put.body;
  const json::object& jira = put.obj().at("jira").as_object();
  EXPECT_TRUE(jira.at("configured").as_bool());
  EXPECT_EQ(jira.at("project").as_string(), "SEC");
  EXPECT_EQ(put.obj().at("retentionDays").to_number<std::int64_t>(), 90);  // untouched

  // What GET answers can be PUT back as is (configured is derived and ignored).
  ApiReply same = Call("PUT", "/api/v1/settings", Role::kAdmin, put.body);
  EXPECT_EQ(same.status, 200) << same.body;
  ApiReply days = Call("PUT", "/api/v1/settings", Role::kAdmin, R"({"retentionDays":30})");
  ASSERT_EQ(days.status, 200) << days.body;
  EXPECT_EQ(Get("/api/v1/settings", Role::kAdmin).obj().at("retentionDays").to_number<int>(), 30);

  struct Bad {
    const char* body;
    const char* field;
  };
  for (const Bad& b :
       {Bad{R"j({"jira":{"baseUrl":"javascript:alert(1)"}})j", "jira.baseUrl"},
        Bad{R"({"jira":{"project":"A B"}})", "jira.project"},
        Bad{R"({"jira":{"token":"x"}})", "jira.token"}, Bad{R"({"jira":"x"})", "jira"},
        Bad{R"({"retentionDays":0})", "retentionDays"},
        Bad{R"({"retentionDays":"lots"})", "retentionDays"},
        Bad{R"({"colour":"red"})", "colour"}}) {
    ApiReply r = Call("PUT", "/api/v1/settings", Role::kAdmin, b.body);
    EXPECT_EQ(r.status, 400) << b.body;
    EXPECT_EQ(r.obj().at("error").as_object().at("field").as_string(), b.field) << b.body;
  }
  EXPECT_EQ(Get("/api/v1/settings", Role::kAdmin).obj().at("retentionDays").to_number<int>(), 30);

  // Two changes, not three: PUTting the same values changes nothing.
  ApiReply audit = Get("/api/v1/audit?action=settings.update", Role::kAdmin);
  ASSERT_EQ(Items(audit).size(), 2u) << audit.body;
  const json::object& newest = Items(audit)[0].as_object();
  EXPECT_EQ(newest.at("target").as_string(), "retentionDays");
  EXPECT_EQ(newest.at("detail").as_object().at("retentionDays").as_object().at("to").as_string(),
            "30");
}

TEST_F(V1AdminTest, AuditLogRecordsPolicyChangesAndPages) {
  const char* yaml =
      "id: ProbeX\ninfo:\n  name: Probe X\n  severity: LOW\nfilter:\n  query_param:\n"
      "    contains_either: [\"probe-x\"]\n";
  json::object body{{"yaml", yaml}};
  ApiReply created = Post("/api/v1/policies", json::serialize(body));
  ASSERT_EQ(created.status, 201) << created.body;
  clock_.AdvanceSeconds(10);
  ASSERT_EQ(Post("/api/v1/policies/ProbeX/disable", "{}").status, 200);
  clock_.AdvanceSeconds(10);
  ASSERT_EQ(Call("DELETE", "/api/v1/policies/ProbeX", Role::kAdmin).status, 200);
  ApiReply bad = Post("/api/v1/policies", R"({"yaml":"id: [unclosed"})");
  EXPECT_EQ(bad.status, 400) << bad.body;

  ApiReply page1 =
      Get("/api/v1/audit?action=policy.create,policy.disable,policy.delete&limit=2", Role::kAdmin);
  ASSERT_EQ(page1.status, 200) << page1.body;
  EXPECT_EQ(page1.obj().at("total").to_number<int>(), 3);
  ASSERT_EQ(Items(page1).size(), 2u);
  EXPECT_EQ(Items(page1)[0].as_object().at("action").as_string(), "policy.delete");
  EXPECT_EQ(Items(page1)[0].as_object().at("ts").to_number<std::int64_t>(), kNow + 20);
  EXPECT_EQ(Items(page1)[1].as_object().at("action").as_string(), "policy.disable");
  std::string cursor(page1.obj().at("nextCursor").as_string());
  ApiReply page2 =
      Get("/api/v1/audit?action=policy.create,policy.disable,policy.delete&cursor=" + cursor,
          Role::kAdmin);
  ASSERT_EQ(Items(page2).size(), 1u);
  EXPECT_EQ(Items(page2)[0].as_object().at("action").as_string(), "policy.create");
  EXPECT_EQ(Items(page2)[0].as_object().at("target").as_string(), "ProbeX");

  ApiReply window =
      Get("/api/v1/audit?from=" + std::to_string(kNow + 5) + "&to=" + std::to_string(kNow + 15),
          Role::kAdmin);
  ASSERT_EQ(Items(window).size(), 1u) << window.body;
  EXPECT_EQ(Items(window)[0].as_object().at("action").as_string(), "policy.disable");
}

}  // namespace
}  // namespace warden
