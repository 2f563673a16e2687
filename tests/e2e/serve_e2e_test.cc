// End-to-end: the real binary, a real socket, the Akto-compatible API.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "e2e/server_process.h"

namespace warden::testing {
namespace {

namespace json = boost::json;

constexpr char kAdminKey[] = "wdn_test_admin_key_0123456789";

// An Akto ingest record; every field a string, headers JSON-encoded.
json::object Record(const std::string& path, const std::string& ip, std::int64_t time,
                    const std::string& body = "", const json::object& extra_headers = {}) {
  json::object headers;
  headers["host"] = "shop.example";
  headers["user-agent"] = "curl/8.0";
  headers["content-type"] = "application/json";
  for (const auto& h : extra_headers) headers[h.key()] = h.value();
  json::object r;
  r["path"] = path;
  r["method"] = body.empty() ? "GET" : "POST";
  r["requestHeaders"] = json::serialize(headers);
  r["responseHeaders"] = "{\"content-type\":\"application/json\"}";
  r["requestPayload"] = body;
  r["responsePayload"] = "{\"ok\":true}";
  r["ip"] = ip;
  r["time"] = std::to_string(time);
  r["statusCode"] = "200";
  r["type"] = "HTTP/1.1";
  r["status"] = "200 OK";
  r["akto_account_id"] = "1000000";
  r["akto_vxlan_id"] = "0";
  r["source"] = "MIRRORING";
  return r;
}

std::string Batch(std::initializer_list<json::value> records) {
  json::object o;
  json::array arr;
  for (const auto& r : records) arr.push_back(r);
  o["batchData"] = std::move(arr);
  return json::serialize(o);
}

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    std::string error;
    ASSERT_TRUE(server_.Start({"serve", "--data-dir", dir_, "--listen", "127.0.0.1:0", "--workers",
                               "2", "--geoip", "", "--geoip6", ""},
                              {std::string("WARDEN_ADMIN_KEY=") + kAdminKey}, &error))
        << error;
  }
  void TearDown() override {
    EXPECT_EQ(server_.Stop(), 0) << server_.output();
    std::filesystem::remove_all(dir_);
  }

  HttpResponse Post(const std::string& path, const std::string& body,
                    const std::string& key = kAdminKey) {
    Headers h = {{"content-type", "application/json"}};
    if (!key.empty()) h.push_back({"x-api-key", key});
    auto r = HttpCall(server_.target(), "POST", path, h, body);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : HttpResponse{};
  }

  json::object PostJson(const std::string& path, const std::string& body, int want_status = 200) {
    HttpResponse r = Post(path, body);
    EXPECT_EQ(r.status, want_status) << path << ": " << r.body;
    auto v = json::parse(r.body);
    return v.as_object();
  }

  std::string dir_;
  ServerProcess server_;
};

// The request body from Akto's API reference, verbatim.
constexpr char kReferenceSampleRequest[] =
    R"({"urls":["/portal/redlion"],"types":["Rule-Based"],"limit":50,"skip":0,)"
    R"("sort":{"detectedAt":-1},"endTimestamp":1757442599,"startTimestamp":1752172200})";

TEST_F(ServeTest, IngestedSqlInjectionComesBackAsEvent) {
  auto ingest = PostJson(
      "/api/ingestData",
      Batch(
          {Record("/portal/redlion?id=1%27%20UNION%20SELECT%20username%2Cpassword%20FROM%20users--",
                  "20.65.193.78", 1753648085),
           Record("/portal/redlion?id=42", "20.65.193.79", 1753648090)}));
  EXPECT_EQ(ingest.at("accepted").as_int64(), 2);
  EXPECT_TRUE(ingest.at("rejected").as_array().empty());

  auto page = PostJson("/api/fetchSuspectSampleData", kReferenceSampleRequest);
  ASSERT_EQ(page.at("total").as_int64(), 1) << json::serialize(page);
  const auto& ev = page.at("maliciousEvents").as_array().at(0).as_object();
  EXPECT_EQ(ev.at("filterId").as_string(), "SQLInjection");
  EXPECT_EQ(ev.at("url").as_string(), "/portal/redlion");
  EXPECT_EQ(ev.at("method").as_string(), "GET");
  EXPECT_EQ(ev.at("ip").as_string(), "20.65.193.78");
  EXPECT_EQ(ev.at("actor").as_string(), "20.65.193.78");
  EXPECT_EQ(ev.at("type").as_string(), "Rule-Based");
  EXPECT_EQ(ev.at("eventType").as_string(), "SINGLE");
  EXPECT_EQ(ev.at("timestamp").as_int64(), 1753648085);
  EXPECT_FALSE(ev.at("id").as_string().empty());
  EXPECT_FALSE(ev.at("refId").as_string().empty());
  for (const char* field : {"category", "subCategory", "severity", "country", "payload"}) {
    EXPECT_TRUE(ev.at(field).is_string()) << field;
  }
  // The sample is the stored request in Akto's record format.
  auto sample = json::parse(ev.at("payload").as_string()).as_object();
  EXPECT_NE(std::string(sample.at("path").as_string()).find("UNION"), std::string::npos);

  // Outside the time range: nothing.
  auto none = PostJson("/api/fetchSuspectSampleData",
                       R"({"urls":["/portal/redlion"],"startTimestamp":1,"endTimestamp":1000})");
  EXPECT_EQ(none.at("total").as_int64(), 0);

  auto actors = PostJson("/api/fetchThreatActors",
                         R"({"endTs":1788978599,"skip":0,"startTs":0,"sort":{"discoveredAt":-1}})");
  ASSERT_EQ(actors.at("total").as_int64(), 1) << json::serialize(actors);
  const auto& actor = actors.at("actors").as_array().at(0).as_object();
  EXPECT_EQ(actor.at("id").as_string(), "20.65.193.78");
  EXPECT_EQ(actor.at("latestAttack").as_string(), "SQLInjection");
  EXPECT_EQ(actor.at("latestApiEndpoint").as_string(), "/portal/redlion");
  EXPECT_EQ(actor.at("discoveredAt").as_int64(), 1753648085);
  ASSERT_EQ(actor.at("activity").as_array().size(), 1u);
  EXPECT_EQ(actor.at("activity").as_array()[0].at("url").as_string(), "/portal/redlion");

  auto apis = PostJson("/api/fetchThreatApis", R"({"skip":0,"sort":{"discoveredAt":-1}})");
  ASSERT_EQ(apis.at("total").as_int64(), 1) << json::serialize(apis);
  const auto& api = apis.at("apis").as_array().at(0).as_object();
  EXPECT_EQ(api.at("api").as_string(), "/portal/redlion");
  EXPECT_EQ(api.at("method").as_string(), "GET");
  EXPECT_EQ(api.at("requestsCount").as_int64(), 1);
  EXPECT_EQ(api.at("actorsCount").as_int64(), 1);
  EXPECT_EQ(api.at("totalRequests").as_int64(), 2);  // the benign request counts as traffic
}

TEST_F(ServeTest, KeysAreRequiredAndChecked) {
  EXPECT_EQ(Post("/api/fetchSuspectSampleData", kReferenceSampleRequest, "").status, 401);
  auto wrong = Post("/api/fetchSuspectSampleData", kReferenceSampleRequest, "wdn_wrong");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("\"field\":\"x-api-key\""), std::string::npos) << wrong.body;
  EXPECT_EQ(Post("/api/ingestData", Batch({}), "").status, 401);
  // Health needs no key.
  auto health = HttpCall(server_.target(), "GET", "/healthz", {}, "");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
}

TEST_F(ServeTest, MalformedEntriesAreNamedAndTheRestIsKept) {
  json::object bad = Record("/x", "1.2.3.4", 1753648085);
  bad["time"] = "yesterday";
  auto partial = PostJson(
      "/api/ingestData",
      Batch({Record("/portal/redlion?q=%3Cscript%3Ealert(1)%3C/script%3E", "9.9.9.9", 1753648085),
             bad}));
  EXPECT_EQ(partial.at("accepted").as_int64(), 1);
  const auto& rejected = partial.at("rejected").as_array();
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].at("index").as_int64(), 1);
  EXPECT_EQ(rejected[0].at("field").as_string(), "time");

  // Nothing valid: 400 naming entry and field.
  auto all_bad = Post("/api/ingestData", Batch({bad}));
  EXPECT_EQ(all_bad.status, 400);
  auto err = json::parse(all_bad.body).as_object();
  EXPECT_EQ(err.at("error").at("field").as_string(), "batchData[0].time") << all_bad.body;

  EXPECT_EQ(Post("/api/ingestData", "{not json").status, 400);
  EXPECT_EQ(Post("/api/ingestData", R"({"batch":[]})").status, 400);
  auto bad_limit = Post("/api/fetchSuspectSampleData", R"({"limit":"many"})");
  EXPECT_EQ(bad_limit.status, 400);
  EXPECT_NE(bad_limit.body.find("\"field\":\"limit\""), std::string::npos);

  // Still serving, and the valid record was stored.
  auto page = PostJson("/api/fetchSuspectSampleData", R"({"ips":["9.9.9.9"]})");
  EXPECT_EQ(page.at("total").as_int64(), 1);
}

TEST_F(ServeTest, RolesLimitWhatKeysMayDo) {
  // A second server process on the same data dir cannot share SQLite's writer comfortably,
  // so create the key through the CLI against the stopped server's directory.
  EXPECT_EQ(server_.Stop(), 0);
  auto created = RunWarden({"keys", "create", "--role", "viewer", "--data-dir", dir_});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::string viewer = created.out.substr(0, created.out.find('\n'));
  ASSERT_EQ(viewer.rfind("wdn_", 0), 0u) << created.out;
  std::string error;
  ASSERT_TRUE(server_.Start(
      {"serve", "--data-dir", dir_, "--listen", "127.0.0.1:0", "--geoip", "", "--geoip6", ""}, {},
      &error))
      << error;
  EXPECT_EQ(Post("/api/fetchThreatActors", "{}", viewer).status, 200);
  EXPECT_EQ(Post("/api/ingestData", Batch({}), viewer).status, 403);
  EXPECT_EQ(Post("/api/fetchThreatActors", "{}", kAdminKey).status, 200);  // persisted
}

constexpr char kSqli[] = "?id=1%27%20UNION%20SELECT%20username%2Cpassword%20FROM%20users--";

TEST_F(ServeTest, ActorsCarryScoreThreatLevelStatusAndActivity) {
  // Recent traffic, so that the scores have barely decayed.
  std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  auto ingest = PostJson("/api/ingestData",
                         Batch({Record(std::string("/shop/a") + kSqli, "20.65.193.80", now - 30),
                                Record(std::string("/shop/b") + kSqli, "20.65.193.80", now - 20),
                                Record(std::string("/shop/c") + kSqli, "20.65.193.80", now - 10),
                                Record(std::string("/shop/a") + kSqli, "20.65.193.81", now - 5),
                                Record("/shop/a?id=7", "20.65.193.82", now - 5)}));
  EXPECT_EQ(ingest.at("accepted").as_int64(), 5);

  auto actors = PostJson("/api/fetchThreatActors", R"({"actorId":["20.65.193.80"]})");
  ASSERT_EQ(actors.at("total").as_int64(), 1) << json::serialize(actors);
  const auto& a = actors.at("actors").as_array().at(0).as_object();
  // Three CRITICAL events of 40 points each, decayed by seconds: CRITICAL (>= 80).
  EXPECT_GT(a.at("score").as_double(), 119.0);
  EXPECT_LE(a.at("score").as_double(), 120.0);
  EXPECT_EQ(a.at("threatLevel").as_string(), "CRITICAL");
  EXPECT_EQ(a.at("status").as_string(), "ACTIVE");
  EXPECT_EQ(a.at("eventCount").as_int64(), 3);
  EXPECT_EQ(a.at("ipCount").as_int64(), 1);
  ASSERT_EQ(a.at("activity").as_array().size(), 3u);
  EXPECT_EQ(a.at("activity").as_array()[0].at("url").as_string(), "/shop/c");

  auto single = PostJson("/api/fetchThreatActors", R"({"actorId":["20.65.193.81"]})");
  const auto& b = single.at("actors").as_array().at(0).as_object();
  EXPECT_EQ(b.at("threatLevel").as_string(), "MEDIUM");  // 40 points
  EXPECT_EQ(b.at("activity").as_array().size(), 1u);

  auto apis = PostJson("/api/fetchThreatApis", R"({"sort":{"requestsCount":-1}})");
  ASSERT_EQ(apis.at("total").as_int64(), 3) << json::serialize(apis);
  const auto& top = apis.at("apis").as_array().at(0).as_object();
  EXPECT_EQ(top.at("endpoint").as_string(), "/shop/a");
  EXPECT_EQ(top.at("requestsCount").as_int64(), 2);
  EXPECT_EQ(top.at("actorsCount").as_int64(), 2);
  EXPECT_EQ(top.at("totalRequests").as_int64(), 3);  // the benign request counts as traffic
  ASSERT_EQ(top.at("rules").as_array().size(), 1u);
  EXPECT_EQ(top.at("rules").as_array()[0].at("filterId").as_string(), "SQLInjection");

  auto events = PostJson("/api/fetchSuspectSampleData", R"({"ips":["20.65.193.80"]})");
  ASSERT_EQ(events.at("total").as_int64(), 3);
  const auto& ev = events.at("maliciousEvents").as_array().at(0).as_object();
  EXPECT_EQ(ev.at("status").as_string(), "ACTIVE");
  EXPECT_EQ(ev.at("count").as_int64(), 1);
  EXPECT_FALSE(ev.at("cwe").as_array().empty());
}

// A configuration file: user actors from a header, a long burst interval.
TEST(ServeConfigEndToEnd, ConfigFileSetsActorIdentityAndBurstFolding) {
  std::string dir = MakeTempDir();
  std::string config = dir + "/warden.yaml";
  std::ofstream(config) << "actor_identity:\n"
                           "  - hosts: [\"shop.example\"]\n"
                           "    source: header\n"
                           "    name: x-user\n"
                           "burst:\n"
                           "  interval: 10m\n";
  ServerProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"serve", "--data-dir", dir + "/data", "--listen", "127.0.0.1:0",
                            "--geoip", "", "--geoip6", "", "--config", config},
                           {std::string("WARDEN_ADMIN_KEY=") + kAdminKey}, &error))
      << error;
  auto post = [&](const std::string& path, const std::string& body) {
    Headers h = {{"content-type", "application/json"}, {"x-api-key", kAdminKey}};
    auto r = HttpCall(server.target(), "POST", path, h, body);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r.ok() ? r->status : 0, 200) << (r.ok() ? r->body : "");
    return r.ok() ? json::parse(r->body).as_object() : json::object{};
  };
  std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  json::object alice;
  alice["x-user"] = "alice";
  std::string path = std::string("/shop/a") + kSqli;
  post("/api/ingestData", Batch({Record(path, "198.51.100.1", now - 30, "", alice),
                                 Record(path, "198.51.100.2", now - 20, "", alice),
                                 Record(path, "198.51.100.3", now - 10, "", alice)}));

  auto events = post("/api/fetchSuspectSampleData", R"({"actors":["alice"]})");
  ASSERT_EQ(events.at("total").as_int64(), 1) << json::serialize(events);
  const auto& ev = events.at("maliciousEvents").as_array().at(0).as_object();
  EXPECT_EQ(ev.at("count").as_int64(), 3);
  EXPECT_EQ(ev.at("lastDetectedAt").as_int64(), now - 10);

  auto actors = post("/api/fetchThreatActors", R"({"actorId":["alice"]})");
  ASSERT_EQ(actors.at("total").as_int64(), 1) << json::serialize(actors);
  const auto& a = actors.at("actors").as_array().at(0).as_object();
  EXPECT_EQ(a.at("actorType").as_string(), "user");
  EXPECT_EQ(a.at("ipCount").as_int64(), 3);
  EXPECT_EQ(a.at("eventCount").as_int64(), 1);
  EXPECT_EQ(server.Stop(), 0) << server.output();

  // A configuration error stops the server before it starts, naming file and key.
  std::ofstream(config) << "burst:\n  intervall: 5s\n";
  auto bad = RunWarden(
      {"serve", "--data-dir", dir + "/data", "--listen", "127.0.0.1:0", "--config", config});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("burst.intervall"), std::string::npos) << bad.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace warden::testing
