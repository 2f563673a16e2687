// Akto's threat API contract: one test per endpoint posts the request example of Akto's API
// reference verbatim (read endpoints) or the body Akto's dashboard sends (write endpoints), and
// checks the answer's field names, types and values against the seeded data set
// (api_fixture.cc). A last test adds fields Akto clients send that Warden does not know.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "api/api_fixture.h"

namespace warden {
namespace {

namespace json = boost::json;

std::int64_t Int(const json::object& o, const char* key) {
  EXPECT_TRUE(o.contains(key)) << key;
  return o.contains(key) ? o.at(key).to_number<std::int64_t>() : -1;
}

std::string Text(const json::object& o, const char* key) {
  EXPECT_TRUE(o.contains(key) && o.at(key).is_string()) << key << " in " << json::serialize(o);
  return o.contains(key) && o.at(key).is_string() ? std::string(o.at(key).as_string()) : "";
}

const json::array& Array(const json::object& o, const char* key) {
  static const json::array kEmpty;
  EXPECT_TRUE(o.contains(key) && o.at(key).is_array()) << key << " in " << json::serialize(o);
  return o.contains(key) && o.at(key).is_array() ? o.at(key).as_array() : kEmpty;
}

std::set<std::string> TextSet(const json::array& a) {
  std::set<std::string> out;
  for (const auto& v : a) out.insert(std::string(v.as_string()));
  return out;
}

// Every field has the JSON kind Akto's answer has.
void ExpectKinds(const json::object& o, const std::map<std::string, json::kind>& want) {
  for (const auto& [key, kind] : want) {
    ASSERT_TRUE(o.contains(key)) << key << " missing from " << json::serialize(o);
    json::kind got = o.at(key).kind();
    if (kind == json::kind::int64) {
      EXPECT_TRUE(got == json::kind::int64 || got == json::kind::uint64) << key;
    } else {
      EXPECT_EQ(got, kind) << key << " in " << json::serialize(o);
    }
  }
}

class AktoContractTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    Seed();
  }

  // Posts `body` as a viewer (readers) and expects 200 with a JSON object.
  json::object Read(const std::string& route, const std::string& body) {
    ApiReply r = Post(route, body, Role::kViewer);
    EXPECT_EQ(r.status, 200) << route << ": " << r.body;
    return r.json.is_object() ? r.json.as_object() : json::object();
  }
};

TEST_F(AktoContractTest, FetchSuspectSampleData) {
  json::object o = Read("/api/fetchSuspectSampleData", R"({
  "urls": [
    "/portal/redlion"
  ],
  "types": [
    "Rule-Based"
  ],
  "limit": 50,
  "skip": 0,
  "sort": {
    "detectedAt": -1
  },
  "endTimestamp": 1757442599,
  "startTimestamp": 1752172200
})");
  EXPECT_EQ(Int(o, "total"), 2);
  EXPECT_EQ(Int(o, "limit"), 50);
  EXPECT_EQ(Int(o, "skip"), 0);
  EXPECT_EQ(Int(o, "startTimestamp"), 1752172200);
  EXPECT_EQ(Int(o, "endTimestamp"), 1757442599);
  EXPECT_EQ(json::serialize(o.at("sort")), R"({"detectedAt":-1})");
  EXPECT_EQ(TextSet(Array(o, "urls")), std::set<std::string>{"/portal/redlion"});
  const json::array& events = Array(o, "maliciousEvents");
  ASSERT_EQ(events.size(), 2u);
  const json::object& e = events[0].as_object();
  ExpectKinds(e, {{"id", json::kind::string},
                  {"refId", json::kind::string},
                  {"actor", json::kind::string},
                  {"filterId", json::kind::string},
                  {"url", json::kind::string},
                  {"method", json::kind::string},
                  {"apiCollectionId", json::kind::int64},
                  {"ip", json::kind::string},
                  {"country", json::kind::string},
                  {"type", json::kind::string},
                  {"eventType", json::kind::string},
                  {"category", json::kind::string},
                  {"subCategory", json::kind::string},
                  {"payload", json::kind::string},
                  {"metadata", json::kind::string},
                  {"timestamp", json::kind::int64},
                  {"status", json::kind::string},
                  {"successfulExploit", json::kind::bool_},
                  {"severity", json::kind::string},
                  {"host", json::kind::string},
                  {"jiraTicketUrl", json::kind::string}});
  EXPECT_EQ(Text(e, "id"), seed::kOsEvent);  // newest first
  EXPECT_EQ(Text(e, "actor"), seed::kOsActor);
  EXPECT_EQ(Text(e, "ip"), seed::kOsActor);
  EXPECT_EQ(Text(e, "filterId"), "OSCommandInjection");
  EXPECT_EQ(Text(e, "country"), "US");
  EXPECT_EQ(Text(e, "type"), "Rule-Based");
  EXPECT_EQ(Text(e, "eventType"), "SINGLE");
  EXPECT_EQ(Text(e, "severity"), "CRITICAL");
  EXPECT_EQ(Text(e, "status"), "ACTIVE");
  EXPECT_TRUE(e.at("successfulExploit").as_bool());
  EXPECT_EQ(Int(e, "timestamp"), kNow - 2 * kHour);
  // The payload is the stored sample, itself JSON text.
  json::value sample = json::parse(Text(e, "payload"));
  EXPECT_EQ(sample.as_object().at("path").as_string(), "/portal/redlion?q=x");
  EXPECT_EQ(Text(events[1].as_object(), "id"), seed::kOsEventOld);
}

TEST_F(AktoContractTest, FetchThreatActors) {
  json::object o = Read("/api/fetchThreatActors", R"({
  "endTs": 1788978599,
  "skip": 0,
  "startTs": 0,
  "sort": {
    "discoveredAt": -1
  }
})");
  EXPECT_EQ(Int(o, "total"), 3);
  EXPECT_EQ(Int(o, "endTs"), 1788978599);
  EXPECT_EQ(Int(o, "startTs"), 0);
  EXPECT_EQ(json::serialize(o.at("sort")), R"({"discoveredAt":-1})");
  const json::array& actors = Array(o, "actors");
  ASSERT_EQ(actors.size(), 3u);
  std::vector<std::string> order;
  for (const auto& a : actors) order.push_back(Text(a.as_object(), "id"));
  // discoveredAt (first seen), newest first.
  EXPECT_EQ(order, (std::vector<std::string>{seed::kLfiActor, seed::kUserActor, seed::kOsActor}));
  const json::object& os = actors[2].as_object();
  ExpectKinds(os, {{"id", json::kind::string},
                   {"latestAttack", json::kind::string},
                   {"country", json::kind::string},
                   {"activity", json::kind::array},
                   {"latestApiEndpoint", json::kind::string},
                   {"latestApiIp", json::kind::string},
                   {"latestApiMethod", json::kind::string},
                   {"discoveredAt", json::kind::int64}});
  EXPECT_EQ(Text(os, "latestAttack"), "OSCommandInjection");
  EXPECT_EQ(Text(os, "latestApiEndpoint"), "/portal/redlion");
  EXPECT_EQ(Text(os, "latestApiIp"), seed::kOsActor);
  EXPECT_EQ(Text(os, "latestApiMethod"), "GET");
  EXPECT_EQ(Text(os, "country"), "US");
  EXPECT_EQ(Int(os, "discoveredAt"), kNow - 2 * kDay);
  const json::array& activity = Array(os, "activity");
  ASSERT_EQ(activity.size(), 2u);
  const json::object& act = activity[0].as_object();
  ExpectKinds(act, {{"severity", json::kind::string},
                    {"subCategory", json::kind::string},
                    {"method", json::kind::string},
                    {"detectedAt", json::kind::int64},
                    {"url", json::kind::string}});
  EXPECT_EQ(Int(act, "detectedAt"), kNow - 2 * kHour);
  EXPECT_EQ(Text(act, "severity"), "CRITICAL");
  EXPECT_EQ(Text(act, "url"), "/portal/redlion");
}

TEST_F(AktoContractTest, FetchFiltersThreatTable) {
  json::object o = Read("/api/fetchFiltersThreatTable", "{}");
  EXPECT_EQ(TextSet(Array(o, "ips")),
            (std::set<std::string>{seed::kLfiActor, seed::kOsActor, seed::kUserIp}));
  EXPECT_EQ(
      TextSet(Array(o, "urls")),
      (std::set<std::string>{"/admin/config.php", "/portal/redlion", "/users/42", "/orders/7"}));
  // Akto's `subCategory` filter holds policy ids.
  EXPECT_EQ(
      TextSet(Array(o, "subCategory")),
      (std::set<std::string>{"LocalFileInclusionLFIRFI", "OSCommandInjection", "SQLInjection"}));
}

TEST_F(AktoContractTest, GetThreatActivityTimeline) {
  json::object o = Read("/api/getThreatActivityTimeline", R"({
  "endTs": 1757442599,
  "startTs": 1756837800
})");
  const json::array& days = Array(o, "threatActivityTimeline");
  ASSERT_EQ(days.size(), 2u) << json::serialize(o);
  std::int64_t today = kNow / kDay * kDay;
  EXPECT_EQ(Int(days[0].as_object(), "ts"), today - 2 * kDay);
  EXPECT_EQ(Int(days[1].as_object(), "ts"), today);
  std::map<std::string, std::int64_t> counts;
  for (const auto& s : Array(days[1].as_object(), "subCategoryWiseData")) {
    counts[Text(s.as_object(), "subCategory")] = Int(s.as_object(), "activityCount");
  }
  EXPECT_EQ(counts,
            (std::map<std::string, std::int64_t>{
                {"LocalFileInclusionLFIRFI", 1}, {"OSCommandInjection", 1}, {"SQLInjection", 2}}));
}

TEST_F(AktoContractTest, FetchAggregateMaliciousRequests) {
  json::object o = Read("/api/fetchAggregateMaliciousRequests", R"({
  "actor": "51.159.103.236",
  "filterId": "LocalFileInclusionLFIRFI",
  "refId": "b302ed4c-a376-4cfe-9bcf-e566577afcf1",
  "eventType": "SINGLE"
})");
  EXPECT_EQ(Text(o, "actor"), seed::kLfiActor);
  EXPECT_EQ(Text(o, "filterId"), "LocalFileInclusionLFIRFI");
  EXPECT_EQ(Text(o, "refId"), seed::kLfiRef);
  EXPECT_EQ(Text(o, "eventType"), "SINGLE");
  const json::array& samples = Array(o, "maliciousPayloadsResponses");
  ASSERT_EQ(samples.size(), 1u);
  const json::object& s = samples[0].as_object();
  ExpectKinds(
      s,
      {{"metadata", json::kind::string}, {"orig", json::kind::string}, {"ts", json::kind::int64}});
  EXPECT_EQ(Int(s, "ts"), kNow - kHour);
  json::value orig = json::parse(Text(s, "orig"));
  EXPECT_EQ(orig.as_object().at("path").as_string(), "/admin/config.php?q=x");
  EXPECT_EQ(orig.as_object().at("ip").as_string(), seed::kLfiActor);
}

TEST_F(AktoContractTest, FetchCountBySeverity) {
  json::object o = Read("/api/fetchCountBySeverity", R"({
  "endTs": 1757442599,
  "startTs": 1752172200
})");
  std::vector<std::pair<std::string, std::int64_t>> got;
  for (const auto& c : Array(o, "categoryCounts")) {
    const json::object& x = c.as_object();
    ExpectKinds(x, {{"subCategory", json::kind::string},
                    {"count", json::kind::int64},
                    {"category", json::kind::string}});
    EXPECT_EQ(Text(x, "category"), "");
    got.emplace_back(Text(x, "subCategory"), Int(x, "count"));
  }
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::int64_t>>{
                     {"CRITICAL", 1}, {"HIGH", 2}, {"MEDIUM", 2}}));
}

TEST_F(AktoContractTest, FetchRemediationInfo) {
  json::object o = Read("/api/fetchRemediationInfo", R"({
  "testId": "LocalFileInclusionLFIRFI"
})");
  EXPECT_NE(Text(o, "remediation").find("Never build file paths from user input."),
            std::string::npos);
  ApiReply unknown = Post("/api/fetchRemediationInfo", R"({"testId":"Nope"})", Role::kViewer);
  EXPECT_EQ(unknown.status, 404);
}

TEST_F(AktoContractTest, FetchThreatApis) {
  json::object o = Read("/api/fetchThreatApis", R"({
  "skip": 0,
  "sort": {
    "discoveredAt": -1
  }
})");
  EXPECT_EQ(Int(o, "total"), 4);
  EXPECT_EQ(Int(o, "skip"), 0);
  EXPECT_EQ(json::serialize(o.at("sort")), R"({"discoveredAt":-1})");
  const json::array& apis = Array(o, "apis");
  ASSERT_EQ(apis.size(), 4u);
  std::vector<std::string> order;
  for (const auto& a : apis) order.push_back(Text(a.as_object(), "api"));
  EXPECT_EQ(order, (std::vector<std::string>{"/users/{int}", "/admin/config.php", "/orders/{int}",
                                             "/portal/redlion"}));
  const json::object& redlion = apis[3].as_object();
  ExpectKinds(redlion, {{"method", json::kind::string},
                        {"requestsCount", json::kind::int64},
                        {"actorsCount", json::kind::int64},
                        {"api", json::kind::string},
                        {"discoveredAt", json::kind::int64}});
  EXPECT_EQ(Text(redlion, "method"), "GET");
  EXPECT_EQ(Int(redlion, "requestsCount"), 2);
  EXPECT_EQ(Int(redlion, "actorsCount"), 1);
  EXPECT_EQ(Int(redlion, "discoveredAt"), kNow - 2 * kDay);
}

TEST_F(AktoContractTest, FetchThreatCategoryCount) {
  json::object o = Read("/api/fetchThreatCategoryCount", R"({
  "endTs": 1757442599,
  "startTs": 1752172200
})");
  std::map<std::pair<std::string, std::string>, std::int64_t> got;
  std::int64_t previous = INT64_MAX;
  for (const auto& c : Array(o, "categoryCounts")) {
    const json::object& x = c.as_object();
    got[{Text(x, "category"), Text(x, "subCategory")}] = Int(x, "count");
    EXPECT_LE(Int(x, "count"), previous) << "most first";
    previous = Int(x, "count");
  }
  EXPECT_EQ(got, (std::map<std::pair<std::string, std::string>, std::int64_t>{
                     {{"CMDi", "OSCommandInjection"}, 2},
                     {{"LFI_RFI", "LocalFileInclusionLFIRFI"}, 1},
                     {{"SQLi", "SQLInjection"}, 2}}));
}

TEST_F(AktoContractTest, FetchFilterYamlTemplate) {
  json::object o = Read("/api/fetchFilterYamlTemplate", "{}");
  const json::array& templates = Array(o, "templates");
  ASSERT_EQ(templates.size(), 3u);
  const json::object* lfi = nullptr;
  for (const auto& t : templates) {
    ExpectKinds(t.as_object(), {{"createdAt", json::kind::int64},
                                {"author", json::kind::string},
                                {"id", json::kind::string},
                                {"content", json::kind::string},
                                {"info", json::kind::object},
                                {"updatedAt", json::kind::int64}});
    if (Text(t.as_object(), "id") == "LocalFileInclusionLFIRFI") lfi = &t.as_object();
  }
  ASSERT_NE(lfi, nullptr);
  EXPECT_NE(Text(*lfi, "content").find("id: LocalFileInclusionLFIRFI"), std::string::npos);
  const json::object& info = lfi->at("info").as_object();
  EXPECT_EQ(Text(info, "severity"), "HIGH");
  EXPECT_EQ(Text(info, "name"), "LocalFileInclusionLFIRFI probe");
  EXPECT_EQ(Text(info, "subCategory"), "LocalFileInclusionLFIRFI");
  EXPECT_EQ(Text(info.at("category").as_object(), "name"), "LFI_RFI");
  EXPECT_EQ(Text(info.at("category").as_object(), "displayName"), "LFI_RFI");
}

TEST_F(AktoContractTest, FetchFiltersForThreatActors) {
  json::object o = Read("/api/fetchFiltersForThreatActors", "{}");
  EXPECT_EQ(TextSet(Array(o, "country")), (std::set<std::string>{"DE", "FR", "US"}));
  EXPECT_EQ(
      TextSet(Array(o, "latestAttack")),
      (std::set<std::string>{"LocalFileInclusionLFIRFI", "OSCommandInjection", "SQLInjection"}));
  EXPECT_EQ(TextSet(Array(o, "actorId")),
            (std::set<std::string>{seed::kLfiActor, seed::kOsActor, seed::kUserActor}));
}

TEST_F(AktoContractTest, GetDailyThreatActorsCount) {
  json::object o = Read("/api/getDailyThreatActorsCount", R"({
  "endTs": 1757442599,
  "startTs": 1756837800
})");
  std::int64_t today = kNow / kDay * kDay;
  std::map<std::int64_t, std::int64_t> per_day;
  for (const auto& d : Array(o, "actorsCounts")) {
    ExpectKinds(d.as_object(), {{"ts", json::kind::int64},
                                {"totalActors", json::kind::int64},
                                {"criticalActors", json::kind::int64}});
    per_day[Int(d.as_object(), "ts")] = Int(d.as_object(), "totalActors");
  }
  EXPECT_EQ(per_day, (std::map<std::int64_t, std::int64_t>{{today - 2 * kDay, 1}, {today, 3}}));
  EXPECT_EQ(Int(o, "totalAnalysed"), 5);
  EXPECT_EQ(Int(o, "totalAttacks"), 1);
  EXPECT_EQ(Int(o, "totalActive"), 4);
  EXPECT_EQ(Int(o, "totalUnderReview"), 1);
  EXPECT_EQ(Int(o, "totalIgnored"), 0);
}

TEST_F(AktoContractTest, GetActorsCountPerCounty) {
  json::object o = Read("/api/getActorsCountPerCounty", R"({
  "endTs": 1757442599,
  "startTs": 1756837800
})");
  std::map<std::string, std::int64_t> got;
  for (const auto& c : Array(o, "countries")) {
    got[Text(c.as_object(), "code")] = Int(c.as_object(), "count");
  }
  EXPECT_EQ(got, (std::map<std::string, std::int64_t>{{"DE", 1}, {"FR", 1}, {"US", 1}}));
}

TEST_F(AktoContractTest, UpdateMaliciousEventStatus) {
  ApiReply one =
      Post("/api/updateMaliciousEventStatus",
           std::string(R"({"eventId":")") + seed::kLfiEvent + R"(","status":"UNDER_REVIEW"})",
           Role::kAnalyst);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_TRUE(one.obj().at("success").as_bool());
  EXPECT_EQ(Int(one.obj(), "updatedCount"), 1);
  EXPECT_TRUE(one.obj().at("message").is_string());
  EXPECT_EQ(suppressions_changed_, 1);  // detection reloads its ignore rules

  ApiReply many =
      Post("/api/updateMaliciousEventStatus",
           std::string(R"({"eventIds":[")") + seed::kOsEvent + R"(",")" + seed::kOsEventOld +
               R"("],"jiraTicketUrl":"https://acme.atlassian.net/browse/SEC-1"})",
           Role::kAnalyst);
  ASSERT_EQ(many.status, 200) << many.body;
  EXPECT_EQ(Int(many.obj(), "updatedCount"), 2);
  EXPECT_EQ(suppressions_changed_, 1);  // a ticket link changes no rule

  json::object list = Read("/api/fetchSuspectSampleData", R"({"statusFilter":"UNDER_REVIEW"})");
  std::set<std::string> under_review;
  for (const auto& e : Array(list, "maliciousEvents"))
    under_review.insert(Text(e.as_object(), "id"));
  EXPECT_EQ(under_review, (std::set<std::string>{seed::kLfiEvent, seed::kSqliEvent2}));
  json::object linked = Read("/api/fetchSuspectSampleData", R"({"urls":["/portal/redlion"]})");
  for (const auto& e : Array(linked, "maliciousEvents")) {
    EXPECT_EQ(Text(e.as_object(), "jiraTicketUrl"), "https://acme.atlassian.net/browse/SEC-1");
  }
  ApiReply bad = Post("/api/updateMaliciousEventStatus",
                      std::string(R"({"eventId":")") + seed::kLfiEvent + R"(","status":"GONE"})",
                      Role::kAnalyst);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(
      Post("/api/updateMaliciousEventStatus", R"({"status":"IGNORED"})", Role::kAnalyst).status,
      400);
}

TEST_F(AktoContractTest, ModifyThreatActorStatus) {
  ApiReply r = Post("/api/modifyThreatActorStatus",
                    std::string(R"({"actorIp":")") + seed::kOsActor + R"(","status":"BLOCKED"})",
                    Role::kAnalyst);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.obj().at("success").as_bool());
  EXPECT_EQ(Int(r.obj(), "updatedCount"), 1);
  json::object actors =
      Read("/api/fetchThreatActors", std::string(R"({"actorId":[")") + seed::kOsActor + "\"]}");
  ASSERT_EQ(Array(actors, "actors").size(), 1u);
  EXPECT_EQ(Text(Array(actors, "actors")[0].as_object(), "status"), "DENY");

  ApiReply bulk = Post("/api/bulkModifyThreatActorStatusCloudflare",
                       std::string(R"({"actorIps":[")") + seed::kOsActor + R"(",")" +
                           seed::kLfiActor + R"("],"status":"UNBLOCKED"})",
                       Role::kAnalyst);
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(Int(bulk.obj(), "updatedCount"), 2);
  EXPECT_EQ(Post("/api/modifyThreatActorStatus", R"({"actorIp":"10.9.9.9","status":"BLOCKED"})",
                 Role::kAnalyst)
                .status,
            404);
  EXPECT_EQ(Post("/api/modifyThreatActorStatus",
                 std::string(R"({"actorIp":")") + seed::kOsActor + R"(","status":"MAYBE"})",
                 Role::kAnalyst)
                .status,
            400);
}

TEST_F(AktoContractTest, SaveAndDeleteFilterYamlTemplate) {
  std::string yaml =
      "id: High4XXAlertFilter\nfilter:\n  response_code:\n    gte: 400\n    lt: 500\n\ninfo:\n"
      "  name: \"High4XXAlertFilter\"\n  description: \"Many 4XX answers\"\n  category:\n"
      "    name: \"RL\"\n    displayName: \"RL\"\n  subCategory: \"RL\"\n  severity: MEDIUM\n";
  json::object body{{"content", yaml}};
  ApiReply saved = Post("/api/saveFilterYamlTemplate", json::serialize(body));
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_TRUE(saved.obj().at("success").as_bool());
  const json::object& t = saved.obj().at("template").as_object();
  EXPECT_EQ(Text(t, "id"), "High4XXAlertFilter");
  EXPECT_EQ(Text(t, "author"), "admin");
  EXPECT_EQ(Int(t, "createdAt"), kNow);
  EXPECT_EQ(Array(Read("/api/fetchFilterYamlTemplate", "{}"), "templates").size(), 4u);

  ApiReply broken = Post("/api/saveFilterYamlTemplate", R"({"content":"id: x\nfilter: [\n"})");
  EXPECT_EQ(broken.status, 400) << broken.body;
  EXPECT_EQ(broken.obj().at("error").as_object().at("field").as_string(), "content");

  ApiReply deleted =
      Post("/api/deleteFilterYamlTemplate", R"({"templateId":"High4XXAlertFilter"})");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_TRUE(deleted.obj().at("success").as_bool());
  EXPECT_EQ(Array(Read("/api/fetchFilterYamlTemplate", "{}"), "templates").size(), 3u);
  EXPECT_EQ(Post("/api/deleteFilterYamlTemplate", R"({"templateId":"High4XXAlertFilter"})").status,
            404);

  ApiReply audit = Get("/api/v1/audit?action=policy.update,policy.delete", Role::kAdmin);
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.obj().at("total").to_number<int>(), 2) << audit.body;
}

TEST_F(AktoContractTest, IngestData) {
  ApiReply r = Post("/api/ingestData", R"({"batchData": [{
  "path": "/api/v1/orders?id=7", "method": "GET", "type": "HTTP/1.1",
  "requestHeaders": "{\"host\":\"shop.example\",\"x-forwarded-for\":\"198.51.100.7\"}",
  "requestPayload": "", "responseHeaders": "{\"content-type\":\"application/json\"}",
  "responsePayload": "{\"id\":7}", "ip": "10.0.0.5", "destIp": "10.0.1.2",
  "time": "1753648085", "statusCode": "200", "status": "200 OK", "akto_vxlan_id": "0",
  "akto_account_id": "1000000", "is_pending": "false", "source": "MIRRORING"
}]})",
                    Role::kSensor);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.obj().at("success").as_bool());
  EXPECT_EQ(Int(r.obj(), "accepted"), 1);
  ASSERT_EQ(sink_.received.size(), 1u);
  EXPECT_EQ(sink_.received[0].method, "GET");

  sink_.full = true;
  ApiReply busy = Post("/api/ingestData",
                       R"({"batchData":[{"path":"/x","method":"GET","time":"1"}]})", Role::kSensor);
  EXPECT_EQ(busy.status, 429) << busy.body;
  EXPECT_FALSE(busy.Header("retry-after").empty());
}

// Akto's clients send fields Warden does not read (and "null" for unset ones): same answers.
TEST_F(AktoContractTest, UnknownFieldsAreTolerated) {
  const char* extra = R"("splunkUrl":"null","splunkToken":"null","actorsCountPerCounty":"SUCCESS",)"
                      R"("label":"threat","nested":{"a":[1,2]},"latestApiOrigRegex":"null",)";
  struct Case {
    const char* route;
    const char* body;  // without the leading '{'
  };
  const Case cases[] = {
      {"/api/fetchSuspectSampleData", R"("urls":["/portal/redlion"],"limit":50})"},
      {"/api/fetchThreatActors", R"("startTs":0,"endTs":1788978599})"},
      {"/api/fetchThreatApis", R"("skip":0})"},
      {"/api/fetchFiltersThreatTable", R"("x":1})"},
      {"/api/getThreatActivityTimeline", R"("startTs":1756837800,"endTs":1757442599})"},
      {"/api/fetchCountBySeverity", R"("startTs":1752172200,"endTs":1757442599})"},
      {"/api/fetchThreatCategoryCount", R"("startTs":1752172200,"endTs":1757442599})"},
      {"/api/getDailyThreatActorsCount", R"("startTs":1756837800,"endTs":1757442599})"},
      {"/api/getActorsCountPerCounty", R"("startTs":1756837800,"endTs":1757442599})"},
      {"/api/fetchFiltersForThreatActors", R"("x":1})"},
      {"/api/fetchFilterYamlTemplate", R"("x":1})"},
      {"/api/fetchRemediationInfo", R"("testId":"SQLInjection"})"},
      {"/api/fetchAggregateMaliciousRequests",
       R"("refId":"b302ed4c-a376-4cfe-9bcf-e566577afcf1"})"},
  };
  for (const Case& c : cases) {
    ApiReply plain = Post(c.route, std::string("{") + c.body, Role::kViewer);
    ApiReply noisy = Post(c.route, std::string("{") + extra + c.body, Role::kViewer);
    EXPECT_EQ(plain.status, 200) << c.route << ": " << plain.body;
    EXPECT_EQ(noisy.status, 200) << c.route << ": " << noisy.body;
    EXPECT_EQ(noisy.body, plain.body) << c.route;
  }
}

}  // namespace
}  // namespace warden
