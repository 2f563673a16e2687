#include "behave/suppression.h"

#include <gtest/gtest.h>

#include "behave/exploit.h"

namespace warden {
namespace {

TEST(SuppressionSetTest, MatchesPolicyTemplateHostActorAndExpiry) {
  SuppressionSet set({
      Suppression{.id = "any", .filter_id = "sqli", .endpoint_template = "/users/{int}"},
      Suppression{
          .id = "host", .filter_id = "xss", .endpoint_template = "/search", .host = "a.example"},
      Suppression{.id = "actor",
                  .filter_id = "xss",
                  .endpoint_template = "/comments",
                  .actor = "1.1.1.1",
                  .expires_at = 2000},
  });
  struct Case {
    const char* name;
    const char* filter;
    const char* host;
    const char* tpl;
    const char* actor;
    std::int64_t now;
    const char* want;  // rule id or ""
  };
  const Case cases[] = {
      {"any_actor_any_host", "sqli", "x", "/users/{int}", "9.9.9.9", 1, "any"},
      {"other_template", "sqli", "x", "/orders", "9.9.9.9", 1, ""},
      {"other_policy", "xss", "x", "/users/{int}", "9.9.9.9", 1, ""},
      {"host_narrowed_match", "xss", "a.example", "/search", "9.9.9.9", 1, "host"},
      {"host_narrowed_other_host", "xss", "b.example", "/search", "9.9.9.9", 1, ""},
      {"actor_narrowed_match", "xss", "x", "/comments", "1.1.1.1", 1999, "actor"},
      {"actor_narrowed_other_actor", "xss", "x", "/comments", "2.2.2.2", 1999, ""},
      {"expired", "xss", "x", "/comments", "1.1.1.1", 2000, ""},
  };
  for (const Case& c : cases) {
    const Suppression* s = set.Match(c.filter, c.host, c.tpl, c.actor, c.now);
    EXPECT_EQ(s == nullptr ? std::string() : s->id, c.want) << c.name;
  }
  EXPECT_EQ(SuppressionSet().Match("sqli", "x", "/users/{int}", "a", 1), nullptr);
}

Finding F(std::string id, std::string category, bool exploit = false) {
  Finding f;
  f.policy_id = std::move(id);
  f.category.name = std::move(category);
  f.successful_exploit = exploit;
  if (exploit) f.exploit_evidence = "response_body: root:x:0:0";
  return f;
}

TEST(ExploitFlaggerTest, SuccessfulExploitPoliciesFlagTheOtherFindings) {
  std::vector<Finding> findings = {F("sqli", "Injection"), F("LeakedRows", "SuccessfulExploit"),
                                   F("lfi", "LFI", true)};
  EXPECT_EQ(ApplyExploitFlaggers(&findings), 1u);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_TRUE(findings[0].successful_exploit);
  EXPECT_EQ(findings[0].exploit_evidence, "SuccessfulExploit policy LeakedRows");
  // A policy's own success verdict and evidence stay.
  EXPECT_EQ(findings[1].exploit_evidence, "response_body: root:x:0:0");

  std::vector<Finding> none = {F("sqli", "Injection")};
  EXPECT_EQ(ApplyExploitFlaggers(&none), 0u);
  EXPECT_FALSE(none[0].successful_exploit);
  std::vector<Finding> only = {F("LeakedRows", "successfulexploit")};
  EXPECT_EQ(ApplyExploitFlaggers(&only), 1u);
  EXPECT_TRUE(only.empty());
}

}  // namespace
}  // namespace warden
