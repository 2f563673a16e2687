#include "api/api_fixture.h"

#include "api/akto_routes.h"
#include "api/v1_routes.h"
#include "common/strings.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {

namespace json = boost::json;

Status FakeIngestSink::Submit(std::vector<Exchange> exchanges, std::function<void(Status)> done) {
  if (full) return Status::ResourceExhausted("queue full");
  for (auto& e : exchanges) received.push_back(std::move(e));
  done(Status::Ok());
  return Status::Ok();
}

const json::object& ApiReply::obj() const {
  static const json::object kEmpty;
  if (!json.is_object()) {
    ADD_FAILURE() << "not a JSON object (status " << status << "): " << body;
    return kEmpty;
  }
  return json.as_object();
}

std::string_view ApiReply::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return {};
}

namespace {

std::string PolicyYaml(const std::string& id, const std::string& needle,
                       const std::string& category, const std::string& severity,
                       const std::string& remediation) {
  return "id: " + id + "\ninfo:\n  name: " + id + " probe\n  description: Finds " + needle +
         "\n  remediation: " + remediation + "\n  category:\n    name: " + category +
         "\n    displayName: " + category + "\n  subCategory: " + id + "\n  severity: " + severity +
         "\n  cwe: [CWE-22]\n  owasp_api_2023: [API8:2023]\nfilter:\n  query_param:\n" +
         "    contains_either: [\"" + needle + "\"]\n";
}

std::string Sample(const std::string& method, const std::string& path, const std::string& host,
                   const std::string& ip, int status, std::int64_t at) {
  json::object o;
  o["method"] = method;
  o["path"] = path;
  o["type"] = "HTTP/1.1";
  o["requestHeaders"] = json::serialize(json::object{{"host", host}, {"accept", "*/*"}});
  o["requestHeaderList"] =
      json::array{json::array{"Host", json::string(host)}, json::array{"Accept", "*/*"}};
  o["requestPayload"] = "";
  o["responseHeaders"] = R"({"content-type":"text/html"})";
  o["responsePayload"] = "<html></html>";
  o["ip"] = ip;
  o["time"] = std::to_string(at);
  o["statusCode"] = std::to_string(status);
  o["status"] = std::to_string(status) + " OK";
  return json::serialize(o);
}

Event MakeEvent(const std::string& id, const std::string& actor, const std::string& ip,
                const std::string& filter, const std::string& url, const std::string& tpl,
                const std::string& method, const std::string& host, std::int64_t at) {
  Event e;
  e.id = id;
  e.ref_id = "ref-" + id;
  e.actor = actor;
  e.ip = ip;
  e.filter_id = filter;
  e.url = url;
  e.endpoint_template = tpl;
  e.method = method;
  e.host = host;
  e.detected_at = at;
  e.last_detected_at = at;
  e.sub_category = filter;
  e.location = "query_param.q";
  e.matched = "../../etc/passwd";
  e.metadata = "{}";
  e.payload = Sample(method, url + "?q=x", host, ip, 200, at);
  return e;
}

ActorTouch Touch(const Event& e, ActorKind kind) {
  ActorTouch t;
  t.actor = e.actor;
  t.kind = kind;
  t.ip = e.ip;
  t.country = e.country;
  t.seen_at = e.detected_at;
  t.endpoint = e.url;
  t.method = e.method;
  t.host = e.host;
  t.filter_id = e.filter_id;
  t.sub_category = e.sub_category;
  t.severity = e.severity;
  t.events = 1;
  t.enforced = true;
  t.ip_info.country = e.country;
  return t;
}

}  // namespace

void ApiFixture::SetUp() {
  dir_ = std::filesystem::temp_directory_path() /
         ("warden-api-" +
          std::string(::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name()) +
          "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  SqliteOptions o;
  o.path = (dir_ / "w.db").string();
  o.clock = &clock_;
  auto opened = OpenSqliteStore(o);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store_ = std::move(opened).value();
  ASSERT_TRUE(store_->Migrate().ok());

  keys_ = std::make_unique<KeyRing>(store_.get(), &clock_);
  auto admin = keys_->EnsureAdminKey("");
  ASSERT_TRUE(admin.ok() && admin->has_value());
  secrets_[Role::kAdmin] = (*admin)->secret;
  key_ids_[Role::kAdmin] = (*admin)->key.id;
  for (Role r : {Role::kViewer, Role::kAnalyst, Role::kSensor}) {
    auto k = keys_->Create(std::string(RoleName(r)), r);
    ASSERT_TRUE(k.ok()) << k.status().ToString();
    secrets_[r] = k->secret;
    key_ids_[r] = k->key.id;
  }

  PolicyManagerOptions pm;
  pm.builtin = false;
  pm.user_dir = (dir_ / "policies").string();
  policies_ = std::make_unique<PolicyManager>(pm, [](std::shared_ptr<const CompiledPolicySet>) {});
  ASSERT_TRUE(policies_->Reload().ok());
  struct P {
    const char* id;
    const char* needle;
    const char* category;
    const char* severity;
    const char* remediation;
  };
  for (const P& p : {P{"LocalFileInclusionLFIRFI", "../", "LFI_RFI", "HIGH",
                       "Never build file paths from user input."},
                     P{"OSCommandInjection", "$(", "CMDi", "CRITICAL", "Do not call a shell."},
                     P{"SQLInjection", "' or", "SQLi", "MEDIUM", "Use bound parameters."}}) {
    auto put = policies_->Put("", PolicyYaml(p.id, p.needle, p.category, p.severity, p.remediation),
                              "fixture");
    ASSERT_TRUE(put.ok()) << p.id << ": " << put.status().ToString();
  }

  router_ = std::make_unique<Router>(keys_.get());
  AktoRoutesDeps akto;
  akto.store = store_.get();
  akto.sink = &sink_;
  akto.policies = policies_.get();
  akto.clock = &clock_;
  akto.ingest_options.source = "ingest-api";
  akto.suppressions_changed = [this] { ++suppressions_changed_; };
  AddAktoRoutes(router_.get(), akto);
  V1Deps v1;
  v1.store = store_.get();
  v1.policies = policies_.get();
  v1.keys = keys_.get();
  v1.clock = &clock_;
  v1.version = "test";
  v1.suppressions_changed = [this] { ++suppressions_changed_; };
  AddV1Routes(router_.get(), v1);
}

void ApiFixture::TearDown() {
  router_.reset();
  policies_.reset();
  keys_.reset();
  store_.reset();
  std::filesystem::remove_all(dir_);
}

ApiReply ApiFixture::Call(const std::string& method, const std::string& target,
                          std::optional<Role> role, const std::string& body) {
  HttpRequest req;
  req.method = method;
  req.target = target;
  auto q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) req.query = target.substr(q + 1);
  if (role) req.headers.push_back({"x-api-key", secrets_[*role]});
  if (!body.empty()) req.headers.push_back({"content-type", "application/json"});
  req.body = body;
  req.remote_addr = "127.0.0.1";
  ApiReply out;
  int calls = 0;
  router_->Dispatch(req, [&](HttpResponse r) {
    ++calls;
    out.streamed = static_cast<bool>(r.body_source);
    Status drained = r.DrainBody();
    EXPECT_TRUE(drained.ok()) << method << " " << target << ": " << drained.ToString();
    out.status = r.status;
    out.content_type = r.content_type;
    out.body = std::move(r.body);
    out.headers = std::move(r.headers);
  });
  EXPECT_EQ(calls, 1) << method << " " << target;
  if (out.content_type.starts_with("application/json")) {
    boost::system::error_code ec;
    out.json = json::parse(out.body, ec);
    if (ec) ADD_FAILURE() << method << " " << target << ": invalid JSON: " << out.body;
  }
  return out;
}

// The data set:
//   51.159.103.236 (FR): one LFI event (HIGH) on GET shop.example /admin/config.php, sample ref
//     kLfiRef, an hour ago;
//   20.65.193.78 (US): OSCommandInjection (CRITICAL, successful exploit) on GET 34.54.187.118
//     /portal/redlion two hours ago, and one more (HIGH) two days ago;
//   alice (user, DE, from 198.51.100.7): SQLInjection (MEDIUM) on POST api.example /users/{int}
//     ten minutes ago, and one UNDER_REVIEW on GET api.example /orders/{int} three hours ago.
// Rollups: 100 requests a minute ago on each of the four endpoints (5 of them 5xx), and the
// actors' calls.
void ApiFixture::Seed() {
  WriteBatch b;
  Event lfi =
      MakeEvent(seed::kLfiEvent, seed::kLfiActor, seed::kLfiActor, "LocalFileInclusionLFIRFI",
                "/admin/config.php", "/admin/config.php", "GET", "shop.example", kNow - kHour);
  lfi.ref_id = seed::kLfiRef;
  lfi.country = "FR";
  lfi.category = "LFI_RFI";
  lfi.severity = Severity::kHigh;
  lfi.cwe = {"CWE-22"};
  lfi.owasp_api_2023 = {"API8:2023"};

  Event os =
      MakeEvent(seed::kOsEvent, seed::kOsActor, seed::kOsActor, "OSCommandInjection",
                "/portal/redlion", "/portal/redlion", "GET", "34.54.187.118", kNow - 2 * kHour);
  os.country = "US";
  os.category = "CMDi";
  os.severity = Severity::kCritical;
  os.successful_exploit = true;
  Event os_old = os;
  os_old.id = seed::kOsEventOld;
  os_old.ref_id = std::string("ref-") + seed::kOsEventOld;
  os_old.detected_at = os_old.last_detected_at = kNow - 2 * kDay;
  os_old.severity = Severity::kHigh;
  os_old.successful_exploit = false;

  Event sqli = MakeEvent(seed::kSqliEvent, seed::kUserActor, seed::kUserIp, "SQLInjection",
                         "/users/42", "/users/{int}", "POST", "api.example", kNow - 600);
  sqli.country = "DE";
  sqli.category = "SQLi";
  sqli.severity = Severity::kMedium;
  Event sqli2 = MakeEvent(seed::kSqliEvent2, seed::kUserActor, seed::kUserIp, "SQLInjection",
                          "/orders/7", "/orders/{int}", "GET", "api.example", kNow - 3 * kHour);
  sqli2.country = "DE";
  sqli2.category = "SQLi";
  sqli2.severity = Severity::kMedium;
  sqli2.status = EventStatus::kUnderReview;

  for (const Event* e : {&os_old, &os, &sqli2, &lfi, &sqli}) {
    b.events.push_back(*e);
    b.actors.push_back(Touch(*e, e->actor == seed::kUserActor ? ActorKind::kUser : ActorKind::kIp));
    b.ledger.push_back(ScoreLedgerRow{.actor = e->actor,
                                      .event_id = e->id,
                                      .at = e->detected_at,
                                      .severity = e->severity,
                                      .points = e->severity == Severity::kCritical ? 20.0 : 5.0,
                                      .reason = "event"});
    EndpointKey key{.collection_id = 0,
                    .host = e->host,
                    .method = e->method,
                    .endpoint_template = e->endpoint_template};
    EndpointRollup r;
    r.endpoint = key;
    r.minute = (kNow - 60) / 60 * 60;
    r.requests = 100;
    r.status_2xx = 95;
    r.status_5xx = 5;
    if (e != &os_old) b.rollups.push_back(r);
    b.actor_calls.push_back(ActorCallRollup{
        .endpoint = key, .actor = e->actor, .minute = e->detected_at / 60 * 60, .requests = 3});
  }
  Status st = store_->Write(b);
  ASSERT_TRUE(st.ok()) << st.ToString();
}

}  // namespace warden
