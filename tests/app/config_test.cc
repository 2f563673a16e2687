#include "app/config.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

constexpr char kFull[] = R"(
actor_identity:
  - hosts: ["api.example.com", "*.api.example.com"]
    source: jwt_claim
    name: sub
  - hosts: "*"
    source: api_key
    name: x-partner-key
scoring:
  points: {low: 1, medium: 2, high: 4, critical: 8}
  exploit_multiplier: 3
  half_life: 12h
  thresholds: {medium: 10, high: 20, critical: 30}
aggregation:
  cooldown: 15m
  max_samples: 5
  policies:
    LoginBruteForce:
      - name: failures-then-success
        matchCount: 10
        windowThreshold: 5
        incrementFilter: failure_filter
        thresholdBreachFilter: success_filter
      - rule:
          name: many-users
          condition:
            windowThreshold: 10
            distinctIdentifier: {count: 20, source: request_payload, key: username}
burst:
  interval: 2m
enrichment:
  geoip: ""
  mmdb: [/data/GeoLite2-City.mmdb, /data/GeoLite2-ASN.mmdb]
  tor_exit_list: /data/tor-exits.txt
  ip_lists:
    - {path: /data/dc.txt, type: datacenter, reputation: low}
  asn_lists:
    - {path: /data/vpn-asns.txt, type: vpn}
retention:
  events: 30d
  rollups: 1w
  status_log: 90d
  interval: 30m
maintenance_interval: 10s
)";

TEST(ServeConfigTest, ParsesEverySection) {
  auto c = ParseServeConfig(kFull, "warden.yaml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->actor_identity.rules.size(), 2u);
  EXPECT_EQ(c->actor_identity.rules[0].source, ActorSource::kJwtClaim);
  EXPECT_EQ(c->actor_identity.rules[0].hosts.size(), 2u);
  EXPECT_EQ(c->actor_identity.rules[1].hosts, std::vector<std::string>{"*"});
  EXPECT_EQ(c->scoring.critical_points, 8);
  EXPECT_EQ(c->scoring.exploit_multiplier, 3);
  EXPECT_EQ(c->scoring.half_life_seconds, 12 * 3600);
  EXPECT_EQ(c->scoring.critical_threshold, 30);
  EXPECT_EQ(c->aggregation.default_cooldown_minutes, 15);
  EXPECT_EQ(c->aggregation.max_samples, 5);
  const auto& rules = c->aggregation.policy_rules.at("LoginBruteForce");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].increment_filter, "failure_filter");
  EXPECT_EQ(rules[0].threshold_breach_filter, "success_filter");
  ASSERT_TRUE(rules[1].distinct.has_value());
  EXPECT_EQ(rules[1].name, "many-users");
  EXPECT_EQ(rules[1].distinct->key, "username");
  EXPECT_EQ(c->burst_interval_seconds, 120);
  EXPECT_EQ(c->enrichment.geoip, "");
  EXPECT_EQ(c->enrichment.geoip6, "/usr/share/tor/geoip6");  // default kept
  EXPECT_EQ(c->enrichment.mmdb.size(), 2u);
  EXPECT_EQ(c->enrichment.ip_lists[0].ip_type, "datacenter");
  EXPECT_EQ(c->enrichment.asn_lists[0].reputation, "");
  EXPECT_EQ(c->retention.events_seconds, 30 * 86400);
  EXPECT_EQ(c->retention.rollups_seconds, 7 * 86400);
  EXPECT_EQ(c->retention.status_log_seconds, 90 * 86400);
  EXPECT_EQ(c->retention_interval_seconds, 1800);
  EXPECT_EQ(c->maintenance_interval_seconds, 10);
}

TEST(ServeConfigTest, EmptyFileKeepsDefaults) {
  auto c = ParseServeConfig("", "empty.yaml");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->burst_interval_seconds, 60);
  EXPECT_EQ(c->scoring.half_life_seconds, 86400);
}

TEST(ServeConfigTest, ErrorsNameFileLineAndKey) {
  struct Case {
    const char* name;
    const char* yaml;
    const char* want;  // substring of the message
  };
  const Case cases[] = {
      {"unknown_section", "scorring: {}\n", "c.yaml:1: scorring: unknown key"},
      {"unknown_key", "burst:\n  intervall: 5s\n", "c.yaml:2: burst.intervall: unknown key"},
      {"bad_duration", "scoring:\n  half_life: soon\n", "c.yaml:2: scoring.half_life"},
      {"bad_thresholds", "scoring:\n  thresholds: {medium: 90}\n", "scoring.thresholds"},
      {"bad_source", "actor_identity:\n  - source: dna\n", "actor_identity[0].source"},
      {"missing_name", "actor_identity:\n  - source: header\n", "actor_identity[0].name"},
      {"bad_rule",
       "aggregation:\n  policies:\n    X:\n      - {matchCount: 0, windowThreshold: 5}\n",
       "aggregation.policies.X[0].matchCount"},
      {"bad_filter",
       "aggregation:\n  policies:\n    X:\n      - {matchCount: 3, windowThreshold: 5, "
       "incrementFilter: maybe}\n",
       "incrementFilter"},
      {"bad_list_type", "enrichment:\n  ip_lists:\n    - {path: a, type: castle}\n",
       "enrichment.ip_lists[0].type"},
      {"not_yaml", "a: [1,\n", "c.yaml"},
  };
  for (const Case& c : cases) {
    auto r = ParseServeConfig(c.yaml, "c.yaml");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(r.status().message().find(c.want), std::string::npos)
        << c.name << ": " << r.status().message();
  }
  EXPECT_EQ(LoadServeConfig("/nonexistent/warden.yaml").status().code(), StatusCode::kIoError);
}

TEST(ServeConfigTest, Durations) {
  EXPECT_EQ(ParseDuration("90"), 90);
  EXPECT_EQ(ParseDuration("90s"), 90);
  EXPECT_EQ(ParseDuration("15m"), 900);
  EXPECT_EQ(ParseDuration("24h"), 86400);
  EXPECT_EQ(ParseDuration("7d"), 7 * 86400);
  EXPECT_EQ(ParseDuration("1w"), 7 * 86400);
  EXPECT_EQ(ParseDuration("0"), 0);
  EXPECT_EQ(ParseDuration("-5m"), std::nullopt);
  EXPECT_EQ(ParseDuration("m"), std::nullopt);
  EXPECT_EQ(ParseDuration("5y"), std::nullopt);
}

}  // namespace
}  // namespace warden
