#include "api/router.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "api/keyring.h"
#include "common/strings.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("warden-router-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    SqliteOptions o;
    o.path = (dir_ / "w.db").string();
    store_ = std::move(OpenSqliteStore(o)).value();
    ASSERT_TRUE(store_->Migrate().ok());
    keys_ = std::make_unique<KeyRing>(store_.get(), &clock_);
    auto admin = keys_->EnsureAdminKey("");
    ASSERT_TRUE(admin.ok());
    ASSERT_TRUE(admin->has_value());
    secrets_[Role::kAdmin] = (*admin)->secret;
    for (Role r : {Role::kViewer, Role::kAnalyst, Role::kSensor}) {
      auto k = keys_->Create(std::string(RoleName(r)), r);
      ASSERT_TRUE(k.ok());
      secrets_[r] = k->secret;
    }
    router_ = std::make_unique<Router>(keys_.get());
    auto ok = [](const HttpRequest& req, const Principal& p, Responder respond) {
      respond(HttpResponse::Json(
          200, "{\"who\":\"" + p.key_name + "\",\"id\":\"" +
                   (req.path_params.count("id") ? req.path_params.at("id") : std::string()) +
                   "\"}"));
    };
    router_->Add({"GET", "/public", {}, "public", ok});
    router_->Add({"POST", "/read", kAnyReader, "read", ok});
    router_->Add({"POST", "/write", kWriters, "write", ok});
    router_->Add({"POST", "/ingest", kIngesters, "ingest", ok});
    router_->Add({"DELETE", "/admin/{id}", kAdminOnly, "admin", ok});
  }
  void TearDown() override {
    router_.reset();
    keys_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  HttpResponse Call(const std::string& method, const std::string& path, const std::string& key) {
    HttpRequest req;
    req.method = method;
    req.path = path;
    if (!key.empty()) req.headers.push_back({"x-api-key", key});
    HttpResponse out;
    int calls = 0;
    router_->Dispatch(req, [&](HttpResponse r) {
      out = std::move(r);
      ++calls;
    });
    EXPECT_EQ(calls, 1);
    return out;
  }

  std::filesystem::path dir_;
  FakeClock clock_{1'000'000};
  std::unique_ptr<Store> store_;
  std::unique_ptr<KeyRing> keys_;
  std::unique_ptr<Router> router_;
  std::map<Role, std::string> secrets_;
};

TEST_F(RouterTest, EveryRouteWithEveryRole) {
  struct Case {
    const char* method;
    const char* path;
    Role role;
    int want;
  };
  const Case cases[] = {
      {"POST", "/read", Role::kViewer, 200},      {"POST", "/read", Role::kAnalyst, 200},
      {"POST", "/read", Role::kAdmin, 200},       {"POST", "/read", Role::kSensor, 403},
      {"POST", "/write", Role::kViewer, 403},     {"POST", "/write", Role::kAnalyst, 200},
      {"POST", "/write", Role::kAdmin, 200},      {"POST", "/write", Role::kSensor, 403},
      {"POST", "/ingest", Role::kViewer, 403},    {"POST", "/ingest", Role::kAnalyst, 403},
      {"POST", "/ingest", Role::kAdmin, 200},     {"POST", "/ingest", Role::kSensor, 200},
      {"DELETE", "/admin/7", Role::kViewer, 403}, {"DELETE", "/admin/7", Role::kAnalyst, 403},
      {"DELETE", "/admin/7", Role::kAdmin, 200},  {"DELETE", "/admin/7", Role::kSensor, 403},
  };
  for (const auto& c : cases) {
    auto r = Call(c.method, c.path, secrets_[c.role]);
    EXPECT_EQ(r.status, c.want) << c.method << " " << c.path << " as " << RoleName(c.role) << ": "
                                << r.body;
  }
}

TEST_F(RouterTest, AuthenticationAndRouting) {
  EXPECT_EQ(Call("GET", "/public", "").status, 200);
  EXPECT_EQ(Call("POST", "/read", "").status, 401);
  EXPECT_EQ(Call("POST", "/read", "wdn_nope").status, 401);
  EXPECT_EQ(Call("POST", "/read", secrets_[Role::kAdmin] + "x").status, 401);
  EXPECT_EQ(Call("GET", "/read", secrets_[Role::kAdmin]).status, 405);
  EXPECT_EQ(Call("POST", "/missing", secrets_[Role::kAdmin]).status, 404);
  auto r = Call("DELETE", "/admin/abc", secrets_[Role::kAdmin]);
  EXPECT_NE(r.body.find("\"id\":\"abc\""), std::string::npos) << r.body;
  EXPECT_EQ(Call("DELETE", "/admin/", secrets_[Role::kAdmin]).status, 404);

  // Bearer tokens work too.
  HttpRequest req;
  req.method = "POST";
  req.path = "/read";
  req.headers.push_back({"authorization", "Bearer " + secrets_[Role::kViewer]});
  int status = 0;
  router_->Dispatch(req, [&](HttpResponse resp) { status = resp.status; });
  EXPECT_EQ(status, 200);
}

TEST_F(RouterTest, EncodedSlashesStayInsideOneSegment) {
  // As the server hands it over: `target` as received, `path` decoded.
  auto call = [&](const std::string& target) {
    HttpRequest req;
    req.method = "DELETE";
    req.target = target;
    req.path = PercentDecode(target.substr(0, target.find('?')), false);
    req.headers.push_back({"x-api-key", secrets_[Role::kAdmin]});
    HttpResponse out;
    router_->Dispatch(req, [&](HttpResponse r) { out = std::move(r); });
    return out;
  };
  auto r = call("/admin/user%2F..%2Fetc?x=1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("\"id\":\"user/../etc\""), std::string::npos) << r.body;
  r = call("/admin/%3Cscript%3E");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("\"id\":\"<script>\""), std::string::npos) << r.body;
  EXPECT_EQ(call("/admin/a/b").status, 404);
  EXPECT_EQ(call("/%61dmin/7").status, 200);  // static segments compare decoded
}

TEST_F(RouterTest, KeysAreStoredHashedAndAdminIsCreatedOnce) {
  auto keys = store_->ListApiKeys();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 4u);
  for (const auto& k : *keys) {
    EXPECT_EQ(k.secret_sha256.size(), 64u);
    for (const auto& [role, secret] : secrets_) EXPECT_NE(k.secret_sha256, secret);
  }
  auto again = keys_->EnsureAdminKey("");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
}

TEST_F(RouterTest, HandlerExceptionsBecome500) {
  router_->Add({"GET", "/boom", {}, "boom", [](const HttpRequest&, const Principal&, Responder) {
                  throw std::runtime_error("kaput");
                }});
  EXPECT_EQ(Call("GET", "/boom", "").status, 500);
}

}  // namespace
}  // namespace warden
