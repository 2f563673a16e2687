#include "behave/window_rule.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "behave/event_builder.h"

namespace warden {
namespace {

TEST(WindowRuleTest, RulesComeFromThePolicyOrTheConfiguration) {
  Policy p;
  p.id = "Login";
  p.aggregation_rules = {AggregationRule{.name = "", .match_count = 10, .window_minutes = 5},
                         AggregationRule{.name = "slow", .match_count = 50, .window_minutes = 60}};
  AggregationConfig config;
  config.default_cooldown_minutes = 15;
  std::vector<WindowRule> rules = WindowRulesFor(p, config);
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].name, "#0");
  EXPECT_EQ(rules[0].match_count, 10);
  EXPECT_EQ(rules[0].window_minutes, 5);
  EXPECT_EQ(rules[0].EffectiveCooldownMinutes(), 15);
  EXPECT_EQ(rules[1].name, "slow");

  config.default_cooldown_minutes = 0;
  EXPECT_EQ(WindowRulesFor(p, config)[1].EffectiveCooldownMinutes(), 60);  // = the window

  WindowRule distinct;
  distinct.name = "users";
  distinct.window_minutes = 5;
  distinct.distinct = DistinctIdentifier{.count = 20, .source = "request_payload", .key = "user"};
  config.policy_rules["Login"] = {distinct};
  rules = WindowRulesFor(p, config);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].Threshold(), 20);

  Policy plain;
  plain.id = "XSS";
  EXPECT_TRUE(WindowRulesFor(plain, config).empty());
}

TEST(WindowRuleTest, PolicyRulesCarryAktoCountingOptions) {
  Policy p;
  p.id = "Stuffing";
  AggregationRule fail{.name = "f", .match_count = 20, .window_minutes = 10};
  fail.increment_filter = "failure_filter";
  fail.threshold_breach_filter = "success_filter";
  AggregationRule users{.name = "u", .match_count = 0, .window_minutes = 5};
  users.distinct = AggregationDistinct{.count = 30, .source = "request_payload", .key = "user"};
  AggregationRule broken{.name = "b", .match_count = 0, .window_minutes = 5};  // no threshold
  p.aggregation_rules = {fail, users, broken};
  std::vector<WindowRule> rules = WindowRulesFor(p, AggregationConfig{});
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].increment_filter, "failure_filter");
  EXPECT_EQ(rules[0].threshold_breach_filter, "success_filter");
  EXPECT_EQ(rules[0].Threshold(), 20);
  ASSERT_TRUE(rules[1].distinct.has_value());
  EXPECT_EQ(rules[1].distinct->key, "user");
  EXPECT_EQ(rules[1].Threshold(), 30);
}

TEST(WindowRuleTest, ValidationNamesTheField) {
  struct Case {
    const char* name;
    WindowRule rule;
    const char* field;  // "" = valid
  };
  WindowRule base;
  base.match_count = 5;
  base.window_minutes = 5;
  auto with = [&](auto fn) {
    WindowRule r = base;
    fn(r);
    return r;
  };
  const Case cases[] = {
      {"ok", base, ""},
      {"zero_count", with([](WindowRule& r) { r.match_count = 0; }), "r.matchCount"},
      {"zero_window", with([](WindowRule& r) { r.window_minutes = 0; }), "r.windowThreshold"},
      {"long_window", with([](WindowRule& r) { r.window_minutes = 10081; }), "r.windowThreshold"},
      {"bad_filter", with([](WindowRule& r) { r.increment_filter = "sometimes"; }),
       "r.incrementFilter"},
      {"bad_breach", with([](WindowRule& r) { r.threshold_breach_filter = "x"; }),
       "r.thresholdBreachFilter"},
      {"bad_source", with([](WindowRule& r) {
         r.distinct = DistinctIdentifier{1, "cookies", "k"};
       }),
       "r.distinctIdentifier.source"},
      {"ok_success_filter", with([](WindowRule& r) { r.increment_filter = "failure_filter"; }), ""},
  };
  for (const Case& c : cases) {
    Status st = ValidateWindowRule(c.rule, "r");
    EXPECT_EQ(st.field(), c.field) << c.name << ": " << st.ToString();
  }
}

TEST(WindowRuleTest, DistinctValuesFromEverySource) {
  Exchange ex;
  View v;
  v.exchange = &ex;
  v.request_headers = {{"x-device", "d-1"}};
  v.params = {Param{ParamLocation::kJson, "user", "alice"},
              Param{ParamLocation::kQuery, "page", "3"}};
  v.response_params = {Param{ParamLocation::kJson, "account.id", "77"}};
  EXPECT_EQ(DistinctValue(v, {1, "request_payload", "user"}), "alice");
  EXPECT_EQ(DistinctValue(v, {1, "request_payload", "page"}), std::nullopt);  // query, not body
  EXPECT_EQ(DistinctValue(v, {1, "query_param", "page"}), "3");
  EXPECT_EQ(DistinctValue(v, {1, "request_headers", "X-Device"}), "d-1");
  EXPECT_EQ(DistinctValue(v, {1, "response_payload", "account.id"}), "77");
  EXPECT_EQ(DistinctValue(v, {1, "response_payload", "missing"}), std::nullopt);
}

TEST(EventBuilderTest, AggregatedEventCarriesSamplesAndTheRule) {
  Exchange ex;
  ex.time_s = 1'700'000'000;
  View v;
  v.exchange = &ex;
  v.actor_id = "1.2.3.4";
  v.client_ip = "1.2.3.4";
  v.method = "POST";
  v.host = "api.example";
  v.raw_path = "/login";
  v.endpoint_template = "/login";
  Finding f;
  f.policy_id = "Login";
  f.severity = Severity::kMedium;
  f.category.name = "BruteForce";
  f.category.cwe = {"CWE-307"};
  WindowRule rule;
  rule.name = "fast";
  rule.match_count = 10;
  rule.window_minutes = 5;
  Event e = AggregatedEvent(v, f, EventContext{.ref_id = "ignored"}, rule, 10, {"s3", "s2"});
  EXPECT_EQ(e.event_type, EventType::kAggregated);
  EXPECT_EQ(e.ref_id, "s3");
  EXPECT_EQ(e.sample_refs, (std::vector<std::string>{"s3", "s2"}));
  EXPECT_EQ(e.count, 10);
  EXPECT_EQ(e.cwe, (std::vector<std::string>{"CWE-307"}));
  EXPECT_TRUE(e.payload.empty());
  auto meta = boost::json::parse(e.metadata).as_object();
  EXPECT_EQ(meta.at("aggregation").at("rule").as_string(), "fast");
  EXPECT_EQ(meta.at("aggregation").at("threshold").as_int64(), 10);
  EXPECT_EQ(meta.at("aggregation").at("cooldownMinutes").as_int64(), 5);

  Event s = SingleEvent(v, f, EventContext{.sample_json = "{}", .ref_id = "r1"});
  EXPECT_EQ(s.event_type, EventType::kSingle);
  EXPECT_EQ(s.ref_id, "r1");
  EXPECT_EQ(s.payload, "{}");
  EXPECT_EQ(s.detected_at, 1'700'000'000);
}

}  // namespace
}  // namespace warden
