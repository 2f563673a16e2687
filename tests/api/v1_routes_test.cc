// /api/v1 events, ignore rules, actors, endpoints and statistics against the seeded data set
// (api_fixture.cc): values, filters, paging, CSV exports, status changes and their audit entries.
#include <gtest/gtest.h>

#include <set>

#include "api/api_fixture.h"

namespace warden {
namespace {

namespace json = boost::json;

std::vector<std::string> Field(const json::array& items, const char* key) {
  std::vector<std::string> out;
  for (const auto& v : items) out.push_back(std::string(v.as_object().at(key).as_string()));
  return out;
}

const json::array& Items(const ApiReply& r) { return r.obj().at("items").as_array(); }

std::int64_t Int(const json::object& o, const char* key) {
  return o.at(key).to_number<std::int64_t>();
}

// CSV rows without the header (CRLF lines).
std::vector<std::string> CsvRows(const std::string& body) {
  std::vector<std::string> rows;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find("\r\n", start);
    if (end == std::string::npos) end = body.size();
    rows.push_back(body.substr(start, end - start));
    start = end + 2;
  }
  if (!rows.empty()) rows.erase(rows.begin());
  return rows;
}

class V1RoutesTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    Seed();
  }

  // The audit entries with `action`, newest first.
  json::array Audit(const std::string& action) {
    ApiReply r = Get("/api/v1/audit?action=" + action, Role::kAdmin);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json.is_object() ? Items(r) : json::array();
  }
};

TEST_F(V1RoutesTest, EventListFiltersSortsAndPages) {
  ApiReply all = Get("/api/v1/events");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(Int(all.obj(), "total"), 5);
  EXPECT_EQ(Field(Items(all), "id"),
            (std::vector<std::string>{seed::kSqliEvent, seed::kLfiEvent, seed::kOsEvent,
                                      seed::kSqliEvent2, seed::kOsEventOld}));
  EXPECT_TRUE(all.obj().at("nextCursor").is_null());
  const json::object& first = Items(all)[0].as_object();
  EXPECT_EQ(first.at("policyName").as_string(), "SQLInjection probe");
  EXPECT_EQ(first.at("severity").as_string(), "MEDIUM");
  EXPECT_EQ(first.at("url").as_string(), "/users/42");
  EXPECT_EQ(first.at("endpoint").as_string(), "/users/{int}");

  struct Case {
    const char* query;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"severity=CRITICAL", {seed::kOsEvent}},
      {"severity=high,critical", {seed::kLfiEvent, seed::kOsEvent, seed::kOsEventOld}},
      {"status=UNDER_REVIEW", {seed::kSqliEvent2}},
      {"actor=alice", {seed::kSqliEvent, seed::kSqliEvent2}},
      {"url=/users/{int}", {seed::kSqliEvent}},
      {"url=/portal/redlion&from=1757300000", {seed::kOsEvent}},
      {"successfulExploit=true", {seed::kOsEvent}},
      {"policy=LocalFileInclusionLFIRFI", {seed::kLfiEvent}},
      {"host=api.example&sort=detectedAt", {seed::kSqliEvent2, seed::kSqliEvent}},
      {"sort=-severity&severity=CRITICAL,MEDIUM",
       {seed::kOsEvent, seed::kSqliEvent, seed::kSqliEvent2}},
      {"q=shop.example", {seed::kLfiEvent}},
  };
  for (const Case& c : cases) {
    ApiReply r = Get(std::string("/api/v1/events?") + c.query);
    ASSERT_EQ(r.status, 200) << c.query << ": " << r.body;
    EXPECT_EQ(Field(Items(r), "id"), c.want) << c.query;
    EXPECT_EQ(Int(r.obj(), "total"), static_cast<std::int64_t>(c.want.size())) << c.query;
  }

  // Cursor paging walks every event once.
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    ApiReply r = Get("/api/v1/events?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    for (const auto& id : Field(Items(r), "id")) seen.push_back(id);
    if (r.obj().at("nextCursor").is_null()) break;
    cursor = std::string(r.obj().at("nextCursor").as_string());
  }
  EXPECT_EQ(seen, Field(Items(all), "id"));

  ApiReply bad = Get("/api/v1/events?severity=SEVERE");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.obj().at("error").as_object().at("field").as_string(), "severity");
  EXPECT_EQ(Get("/api/v1/events?limit=0").status, 400);
  EXPECT_EQ(Get("/api/v1/events?limit=501").status, 400);
}

TEST_F(V1RoutesTest, EventDetailRenderingsAndTimeline) {
  ApiReply r = Get(std::string("/api/v1/events/") + seed::kLfiEvent);
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object& o = r.obj();
  EXPECT_EQ(o.at("actor").as_string(), seed::kLfiActor);
  EXPECT_EQ(o.at("sample").as_object().at("method").as_string(), "GET");
  EXPECT_EQ(o.at("policy").as_object().at("remediation").as_string(),
            "Never build file paths from user input.");
  EXPECT_EQ(Get("/api/v1/events/nope").status, 404);

  ApiReply curl = Get(std::string("/api/v1/events/") + seed::kLfiEvent + "/curl");
  ASSERT_EQ(curl.status, 200);
  EXPECT_NE(curl.body.find("curl"), std::string::npos);
  EXPECT_NE(curl.body.find("https://shop.example/admin/config.php?q=x"), std::string::npos)
      << curl.body;
  ApiReply raw = Get(std::string("/api/v1/events/") + seed::kLfiEvent + "/raw");
  ASSERT_EQ(raw.status, 200);
  EXPECT_TRUE(raw.body.starts_with("GET /admin/config.php?q=x HTTP/1.1\r\nHost: shop.example\r\n"))
      << raw.body;

  ApiReply tl = Get(std::string("/api/v1/events/") + seed::kOsEvent +
                    "/timeline?from=" + std::to_string(kNow - 3 * kDay));
  ASSERT_EQ(tl.status, 200) << tl.body;
  std::int64_t total = 0;
  for (const auto& item : Items(tl)) total += Int(item.as_object(), "count");
  EXPECT_EQ(total, 2);  // both of the actor's OSCommandInjection events
}

TEST_F(V1RoutesTest, EventStatusChangesAreAudited) {
  ApiReply patched = Call("PATCH", std::string("/api/v1/events/") + seed::kLfiEvent, Role::kAnalyst,
                          R"({"status":"UNDER_REVIEW","comment":"looking"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.obj().at("status").as_string(), "UNDER_REVIEW");
  ApiReply bad = Call("PATCH", std::string("/api/v1/events/") + seed::kLfiEvent, Role::kAnalyst,
                      R"({"status":"DONE"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.obj().at("error").as_object().at("field").as_string(), "status");
  ApiReply link = Call("PATCH", std::string("/api/v1/events/") + seed::kLfiEvent, Role::kAnalyst,
                       R"j({"jiraTicketUrl":"javascript:alert(1)"})j");
  EXPECT_EQ(link.status, 400);

  ApiReply bulk = Post("/api/v1/events/status",
                       R"({"filter":{"actor":"alice"},"status":"IGNORED"})", Role::kAnalyst);
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(Int(bulk.obj(), "updated"), 2);
  EXPECT_EQ(Int(Get("/api/v1/events?status=IGNORED").obj(), "total"), 2);
  ApiReply bad_filter =
      Post("/api/v1/events/status", R"({"filter":{"colour":"red"},"status":"IGNORED"})");
  EXPECT_EQ(bad_filter.status, 400);
  EXPECT_EQ(bad_filter.obj().at("error").as_object().at("field").as_string(), "filter.colour");

  json::array one = Audit("event.update");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].as_object().at("by").as_string(), "analyst");
  EXPECT_EQ(one[0].as_object().at("target").as_string(), seed::kLfiEvent);
  EXPECT_EQ(one[0].as_object().at("detail").as_object().at("status").as_string(), "UNDER_REVIEW");
  EXPECT_EQ(Audit("events.status").size(), 1u);
}

TEST_F(V1RoutesTest, IgnoringAnEventMakesARuleThatCanBeRemoved) {
  ApiReply made = Post(std::string("/api/v1/events/") + seed::kOsEvent + "/ignore",
                       R"({"scope":"actor","expiresIn":3600,"reason":"pen test"})", Role::kAnalyst);
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(suppressions_changed_, 1);
  std::string id(made.obj().at("id").as_string());
  EXPECT_EQ(made.obj().at("actor").as_string(), seed::kOsActor);
  EXPECT_EQ(Int(made.obj(), "expiresAt"), kNow + 3600);
  EXPECT_EQ(Get(std::string("/api/v1/events/") + seed::kOsEvent).obj().at("status").as_string(),
            "IGNORED");

  ApiReply created =
      Post("/api/v1/ignore-rules",
           R"({"policyId":"SQLInjection","endpoint":"/users/{int}","reason":"x"})", Role::kAnalyst);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Post("/api/v1/ignore-rules", R"({"endpoint":"/x"})", Role::kAnalyst).status, 400);
  EXPECT_EQ(Post("/api/v1/ignore-rules", R"({"policyId":"a","endpoint":"/x","expiresAt":5})",
                 Role::kAnalyst)
                .status,
            400);
  ApiReply list = Get("/api/v1/ignore-rules");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Int(list.obj(), "total"), 2);

  EXPECT_EQ(Call("DELETE", "/api/v1/ignore-rules/" + id, Role::kAnalyst).status, 200);
  EXPECT_EQ(Call("DELETE", "/api/v1/ignore-rules/" + id, Role::kAnalyst).status, 404);
  EXPECT_EQ(Int(Get("/api/v1/ignore-rules").obj(), "total"), 1);
  EXPECT_EQ(suppressions_changed_, 3);
  EXPECT_EQ(Audit("event.ignore").size(), 1u);
  EXPECT_EQ(Audit("ignore_rule.create").size(), 1u);
  EXPECT_EQ(Audit("ignore_rule.delete").size(), 1u);
}

TEST_F(V1RoutesTest, EventsCsvHasARowLimitAndDefusesFormulas) {
  ApiReply csv = Get("/api/v1/events/export.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(csv.content_type.starts_with("text/csv")) << csv.content_type;
  EXPECT_TRUE(csv.body.starts_with("id,detectedAt,severity,")) << csv.body;
  EXPECT_EQ(CsvRows(csv.body).size(), 5u);
  EXPECT_NE(csv.Header("content-disposition").find("warden-events.csv"), std::string::npos);
  EXPECT_EQ(CsvRows(Get("/api/v1/events/export.csv?limit=2").body).size(), 2u);
  EXPECT_EQ(CsvRows(Get("/api/v1/events/export.csv?severity=CRITICAL").body).size(), 1u);
  EXPECT_EQ(Get("/api/v1/events/export.csv?limit=100001").status, 400);

  // An attacker-chosen actor id that a spreadsheet would run as a formula.
  WriteBatch b;
  Event e;
  e.id = "e-formula";
  e.ref_id = "r-formula";
  e.actor = "=HYPERLINK(\"http://evil\")";
  e.filter_id = "SQLInjection";
  e.url = "/x";
  e.endpoint_template = "/x";
  e.method = "GET";
  e.host = "h";
  e.detected_at = kNow;
  b.events.push_back(e);
  ASSERT_TRUE(store_->Write(b).ok());
  ApiReply f = Get("/api/v1/events/export.csv?policy=SQLInjection&sort=-detectedAt&limit=1");
  EXPECT_NE(f.body.find("\"'=HYPERLINK(\"\"http://evil\"\")\""), std::string::npos) << f.body;
}

TEST_F(V1RoutesTest, ActorsListDetailAndEvidence) {
  ApiReply all = Get("/api/v1/actors");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(Int(all.obj(), "total"), 3);
  EXPECT_EQ(Field(Items(all), "id"),
            (std::vector<std::string>{seed::kUserActor, seed::kLfiActor, seed::kOsActor}));
  EXPECT_EQ(Field(Get("/api/v1/actors?sort=-score").obj().at("items").as_array(), "id").front(),
            seed::kOsActor);
  EXPECT_EQ(Field(Get("/api/v1/actors?country=FR").obj().at("items").as_array(), "id"),
            std::vector<std::string>{seed::kLfiActor});
  EXPECT_EQ(Get("/api/v1/actors?sort=name").status, 400);

  ApiReply d = Get(std::string("/api/v1/actors/") + seed::kUserActor);
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_EQ(d.obj().at("kind").as_string(), "user");
  EXPECT_FALSE(d.obj().at("insight").as_string().empty());
  EXPECT_TRUE(d.obj().at("distributions").is_object());
  EXPECT_EQ(Get("/api/v1/actors/nobody").status, 404);

  ApiReply ips = Get(std::string("/api/v1/actors/") + seed::kUserActor + "/ips");
  ASSERT_EQ(ips.status, 200) << ips.body;
  EXPECT_EQ(ips.body.find(seed::kUserIp) != std::string::npos, true) << ips.body;

  ApiReply ev = Get(std::string("/api/v1/actors/") + seed::kOsActor +
                    "/events?from=" + std::to_string(kNow - 3 * kDay));
  ASSERT_EQ(ev.status, 200) << ev.body;
  EXPECT_EQ(Items(ev).size(), 2u);
  EXPECT_TRUE(Items(ev)[0].as_object().contains("scoreContribution"));

  ApiReply ledger = Get(std::string("/api/v1/actors/") + seed::kOsActor + "/ledger");
  ASSERT_EQ(ledger.status, 200) << ledger.body;
  EXPECT_EQ(Items(ledger).size(), 2u);

  ApiReply csv = Get("/api/v1/actors/export.csv?limit=2");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(CsvRows(csv.body).size(), 2u);
  EXPECT_TRUE(csv.body.starts_with("id,kind,status,")) << csv.body;
}

TEST_F(V1RoutesTest, ActorStatusChangesAreValidatedLoggedAndAudited) {
  std::string path = std::string("/api/v1/actors/") + seed::kOsActor + "/status";
  ApiReply too_short = Post(path, R"({"status":"SNOOZE","duration":60})", Role::kAnalyst);
  EXPECT_EQ(too_short.status, 400) << too_short.body;
  EXPECT_EQ(too_short.obj().at("error").as_object().at("field").as_string(), "duration");
  ApiReply snoozed = Post(path, R"({"status":"SNOOZE","duration":7200,"comment":"known scanner"})",
                          Role::kAnalyst);
  ASSERT_EQ(snoozed.status, 200) << snoozed.body;
  EXPECT_EQ(snoozed.obj().at("status").as_string(), "SNOOZE");
  EXPECT_EQ(Int(snoozed.obj(), "statusExpiresAt"), kNow + 7200);
  EXPECT_EQ(Post("/api/v1/actors/nobody/status", R"({"status":"DENY"})", Role::kAnalyst).status,
            404);

  ApiReply log = Get(std::string("/api/v1/actors/") + seed::kOsActor + "/status-log");
  ASSERT_EQ(log.status, 200) << log.body;
  ASSERT_FALSE(Items(log).empty());
  const json::object& row = Items(log)[0].as_object();
  EXPECT_EQ(row.at("to").as_string(), "SNOOZE");
  EXPECT_EQ(row.at("by").as_string(), "analyst");
  EXPECT_EQ(row.at("comment").as_string(), "known scanner");

  ApiReply bulk = Post("/api/v1/actors/status",
                       std::string(R"({"ids":[")") + seed::kLfiActor + R"(",")" + seed::kUserActor +
                           R"("],"status":"DENY"})",
                       Role::kAnalyst);
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(Int(bulk.obj(), "updated"), 2);
  EXPECT_EQ(Int(Get("/api/v1/actors?status=DENY").obj(), "total"), 2);
  EXPECT_EQ(Audit("actor.status").size(), 1u);
  EXPECT_EQ(Audit("actors.status").size(), 1u);
}

TEST_F(V1RoutesTest, EndpointsUnderThreatAndTheirTraffic) {
  ApiReply threats = Get("/api/v1/endpoints/threats");
  ASSERT_EQ(threats.status, 200) << threats.body;
  EXPECT_EQ(Int(threats.obj(), "total"), 4);
  const json::object& top = Items(threats)[0].as_object();
  EXPECT_EQ(top.at("endpoint").as_string(), "/portal/redlion");
  EXPECT_EQ(Int(top, "threatRequests"), 2);
  EXPECT_EQ(Int(top, "actorsCount"), 1);
  EXPECT_EQ(Int(top, "totalRequests"), 100);
  ApiReply by_country = Get("/api/v1/endpoints/threats?country=DE");
  EXPECT_EQ(Int(by_country.obj(), "total"), 2) << by_country.body;
  ApiReply q = Get("/api/v1/endpoints/threats?q=ADMIN");
  EXPECT_EQ(Field(Items(q), "endpoint"), std::vector<std::string>{"/admin/config.php"});

  ApiReply inventory = Get("/api/v1/endpoints");
  ASSERT_EQ(inventory.status, 200) << inventory.body;
  EXPECT_EQ(Int(inventory.obj(), "total"), 4);

  std::string id(top.at("id").as_string());
  ApiReply one = Get("/api/v1/endpoints/" + id);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.obj().at("recentEvents").as_array().size(), 2u);
  ApiReply calls = Get("/api/v1/endpoints/" + id + "/calls?interval=1h");
  ASSERT_EQ(calls.status, 200) << calls.body;
  std::int64_t requests = 0;
  std::int64_t errors = 0;
  for (const auto& item : Items(calls)) {
    requests += Int(item.as_object(), "count");
    errors += Int(item.as_object(), "errors");
  }
  EXPECT_EQ(requests, 100);
  EXPECT_EQ(errors, 5);
  EXPECT_EQ(Get("/api/v1/endpoints/" + id + "/calls?interval=2h").status, 400);
  ApiReply callers = Get("/api/v1/endpoints/" + id + "/callers?interval=7d");
  ASSERT_EQ(callers.status, 200) << callers.body;
  ASSERT_FALSE(callers.obj().at("topCallers").as_array().empty());
  EXPECT_EQ(callers.obj().at("topCallers").as_array()[0].as_object().at("actor").as_string(),
            seed::kOsActor);
  EXPECT_EQ(Get("/api/v1/endpoints/not-an-id").status, 400);

  ApiReply csv = Get("/api/v1/endpoints/threats/export.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(CsvRows(csv.body).size(), 4u);
}

TEST_F(V1RoutesTest, StatisticsCountTheSeededEvents) {
  std::string range = "?from=" + std::to_string(kNow - 3 * kDay) + "&to=" + std::to_string(kNow);
  ApiReply s = Get("/api/v1/stats/summary" + range);
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_EQ(Int(s.obj(), "events"), 5);
  EXPECT_EQ(Int(s.obj(), "actors"), 3);
  EXPECT_EQ(Int(s.obj(), "apisUnderThreat"), 4);
  EXPECT_EQ(Int(s.obj(), "successfulExploits"), 1);
  std::map<std::string, std::int64_t> sev;
  for (const auto& v : s.obj().at("bySeverity").as_array()) {
    sev[std::string(v.as_object().at("severity").as_string())] = Int(v.as_object(), "count");
  }
  EXPECT_EQ(sev,
            (std::map<std::string, std::int64_t>{{"CRITICAL", 1}, {"HIGH", 2}, {"MEDIUM", 2}}));

  // The default range is the last 24 hours: the two-day-old event drops out.
  EXPECT_EQ(Int(Get("/api/v1/stats/summary").obj(), "events"), 4);

  ApiReply countries = Get("/api/v1/stats/countries" + range);
  ASSERT_EQ(countries.status, 200) << countries.body;
  EXPECT_EQ(Items(countries).size(), 3u);
  ApiReply rules = Get("/api/v1/stats/top-rules" + range);
  ASSERT_EQ(rules.status, 200) << rules.body;
  EXPECT_EQ(Field(Items(rules), "policyId").size(), 3u);
  ApiReply types = Get("/api/v1/stats/threat-types" + range + "&scheme=cwe");
  ASSERT_EQ(types.status, 200) << types.body;
  EXPECT_EQ(Get("/api/v1/stats/threat-types?scheme=stride").status, 400);
  for (const char* path :
       {"/api/v1/stats/timeline", "/api/v1/stats/top-apis", "/api/v1/stats/actors"}) {
    ApiReply r = Get(path + range);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
  }
  ApiReply actors = Get("/api/v1/stats/actors" + range);
  EXPECT_EQ(actors.obj().at("byThreatLevel").as_array().size(), 4u);
}

}  // namespace
}  // namespace warden
