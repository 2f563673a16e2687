#include "normalize/actor_identity.h"

#include <gtest/gtest.h>

#include "common/ids.h"
#include "common/strings.h"
#include "normalize/normalize.h"

namespace warden {
namespace {

// A JWT with `payload` (signature not checked, so any text will do).
std::string Jwt(const std::string& payload) {
  auto url = [](std::string b64) {
    for (char& c : b64) {
      if (c == '+') c = '-';
      if (c == '/') c = '_';
    }
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    return b64;
  };
  return url(Base64Encode(R"({"alg":"HS256","typ":"JWT"})")) + "." + url(Base64Encode(payload)) +
         ".c2lnbmF0dXJl";
}

Exchange Ex(const std::string& host, Headers headers) {
  Exchange e;
  e.method = "GET";
  e.host = host;
  e.target = "/orders/7";
  e.peer_ip = "203.0.113.5";
  e.request_headers = std::move(headers);
  return e;
}

TEST(ActorIdentityTest, RulesPerHostPattern) {
  NormalizeOptions options;
  options.actor_identity.rules = {
      ActorIdentityRule{
          .hosts = {"api.example.com"}, .source = ActorSource::kJwtClaim, .name = "sub"},
      ActorIdentityRule{.hosts = {"*.partners.example"}, .source = ActorSource::kApiKey},
      ActorIdentityRule{.hosts = {"shop.example"}, .source = ActorSource::kCookie, .name = "uid"},
      ActorIdentityRule{.hosts = {"*"}, .source = ActorSource::kHeader, .name = "X-User-Id"},
  };
  ASSERT_TRUE(ValidateActorIdentity(options.actor_identity).ok());
  const std::string key_id = "key:" + Sha256Hex("k-123").substr(0, 16);
  struct Case {
    const char* name;
    Exchange ex;
    ActorKind kind;
    std::string actor;
  };
  const Case cases[] = {
      {"jwt_sub", Ex("api.example.com", {{"Authorization", "Bearer " + Jwt(R"({"sub":"alice"})")}}),
       ActorKind::kUser, "alice"},
      {"jwt_numeric_sub",
       Ex("api.example.com:8443", {{"authorization", "bearer " + Jwt(R"({"sub":12345})")}}),
       ActorKind::kUser, "12345"},
      {"jwt_missing_claim",
       Ex("api.example.com", {{"Authorization", "Bearer " + Jwt(R"({"name":"x"})")}}),
       ActorKind::kIp, "203.0.113.5"},
      {"not_a_jwt", Ex("api.example.com", {{"Authorization", "Bearer opaque-token"}}),
       ActorKind::kIp, "203.0.113.5"},
      // The first matching rule decides: no fall-through to the header rule.
      {"jwt_host_without_token", Ex("api.example.com", {{"X-User-Id", "mallory"}}), ActorKind::kIp,
       "203.0.113.5"},
      {"api_key_is_hashed", Ex("b2b.partners.example", {{"X-Api-Key", "k-123"}}), ActorKind::kUser,
       key_id},
      {"cookie", Ex("shop.example", {{"Cookie", "theme=dark; uid=u-77"}}), ActorKind::kUser,
       "u-77"},
      {"header_anywhere", Ex("other.example", {{"x-user-id", " carol "}}), ActorKind::kUser,
       "carol"},
      {"no_identity_falls_back_to_ip", Ex("other.example", {}), ActorKind::kIp, "203.0.113.5"},
  };
  for (const Case& c : cases) {
    View v = BuildView(c.ex, options);
    EXPECT_EQ(v.actor_kind, c.kind) << c.name;
    EXPECT_EQ(v.actor_id, c.actor) << c.name;
  }
}

TEST(ActorIdentityTest, NestedClaimsAndCookieTokens) {
  EXPECT_EQ(JwtClaim(Jwt(R"({"user":{"id":"u1"}})"), "user.id"), "u1");
  EXPECT_EQ(JwtClaim(Jwt(R"({"user":{"id":"u1"}})"), "user.name"), std::nullopt);
  EXPECT_EQ(JwtClaim("a.b", "sub"), std::nullopt);
  EXPECT_EQ(JwtClaim("a.!!!.c", "sub"), std::nullopt);
  EXPECT_EQ(JwtClaim(Jwt("[1,2]"), "sub"), std::nullopt);

  NormalizeOptions options;
  options.actor_identity.rules = {ActorIdentityRule{.source = ActorSource::kJwtClaim,
                                                    .name = "sub",
                                                    .token_header = "",
                                                    .token_cookie = "session"}};
  View v = BuildView(Ex("x", {{"Cookie", "session=" + Jwt(R"({"sub":"dave"})")}}), options);
  EXPECT_EQ(v.actor_id, "dave");
}

TEST(ActorIdentityTest, LongOrInvalidIdsAreCutAndCleaned) {
  NormalizeOptions options;
  options.actor_identity.rules = {
      ActorIdentityRule{.source = ActorSource::kHeader, .name = "x-user"}};
  View v = BuildView(Ex("x", {{"x-user", std::string(500, 'a') + "\xff"}}), options);
  EXPECT_EQ(v.actor_kind, ActorKind::kUser);
  EXPECT_LE(v.actor_id.size(), 200u);
  EXPECT_TRUE(IsValidUtf8(v.actor_id));
}

TEST(ActorIdentityTest, ValidationNamesTheRule) {
  struct Case {
    const char* name;
    ActorIdentityRule rule;
    const char* field;
  };
  const Case cases[] = {
      {"header_without_name", {.source = ActorSource::kHeader}, "actor_identity[0].name"},
      {"jwt_without_claim", {.source = ActorSource::kJwtClaim}, "actor_identity[0].name"},
      {"jwt_without_token_place",
       {.source = ActorSource::kJwtClaim, .name = "sub", .token_header = ""},
       "actor_identity[0].token_header"},
      {"bad_pattern", {.hosts = {"api.*.com"}}, "actor_identity[0].hosts"},
      {"empty_pattern", {.hosts = {""}}, "actor_identity[0].hosts"},
      {"api_key_default_header", {.source = ActorSource::kApiKey}, ""},
      {"ip", {.hosts = {"*.example.com", "*"}, .source = ActorSource::kIp}, ""},
  };
  for (const Case& c : cases) {
    Status st = ValidateActorIdentity(ActorIdentityConfig{{c.rule}});
    EXPECT_EQ(st.field(), c.field) << c.name << ": " << st.ToString();
  }
  EXPECT_TRUE(HostMatches("*.example.com", "API.example.com"));
  EXPECT_FALSE(HostMatches("*.example.com", "example.com"));
  EXPECT_FALSE(HostMatches("*.example.com", "badexample.com"));
  EXPECT_EQ(ParseActorSource("JWT_CLAIM"), ActorSource::kJwtClaim);
  EXPECT_EQ(ParseActorSource("password"), std::nullopt);
}

}  // namespace
}  // namespace warden
