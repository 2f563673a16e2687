#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/view.h"

namespace warden {

// Where a user actor's id comes from.
enum class ActorSource {
  kIp,        // no user identity: the client IP is the actor
  kJwtClaim,  // a claim of the JWT in `token_header` (Bearer) or `token_cookie`
  kHeader,    // the value of a request header
  kCookie,    // the value of a cookie
  kApiKey,    // an API key header; the actor id is "key:" + 16 hex digits of its SHA-256
};
std::string_view ActorSourceName(
    ActorSource s);  // "ip", "jwt_claim", "header", "cookie", "api_key"
std::optional<ActorSource> ParseActorSource(std::string_view s);

// One rule: for requests to `hosts`, take the actor from `source`.
struct ActorIdentityRule {
  // Exact host names, "*.suffix" (any subdomain of suffix) or "*"; empty = every host.
  // Compared with the View's host (lower-cased, without port).
  std::vector<std::string> hosts;
  ActorSource source = ActorSource::kIp;
  // kJwtClaim: the claim ("sub"; a dotted path reads nested objects: "user.id").
  // kHeader / kApiKey: the header name (kApiKey default "x-api-key"). kCookie: the cookie name.
  std::string name;
  std::string token_header = "authorization";  // kJwtClaim: header holding the token
  std::string token_cookie;                    // kJwtClaim: or a cookie holding it
};

// The actor identity configuration: the first rule whose hosts match decides; no match, or no
// value found where the rule looks, leaves the IP actor. Plain configuration.
struct ActorIdentityConfig {
  std::vector<ActorIdentityRule> rules;
};

// InvalidArgument naming `actor_identity[i].field` for a rule that cannot work (a user source
// without a name where one is needed, an empty host pattern, "*" inside a pattern elsewhere than
// as a leading "*.").
Status ValidateActorIdentity(const ActorIdentityConfig& config);

// Sets view->actor_id and view->actor_kind from the configuration. Call after the View's host,
// headers, params and client_ip are set. Never fails: an absent or malformed identity (a token
// that is not a JWT, a missing claim) falls back to the IP actor. User ids are cut to 200 bytes
// and made valid UTF-8. JWT signatures are NOT verified: use a claim only when a gateway in front
// verified the token, or an attacker can act in another user's name.
void ApplyActorIdentity(const ActorIdentityConfig& config, View* view);

// The claim at `path` of the JWT `token` (header.payload.signature, base64url), as text
// (numbers in decimal); nullopt when the token or the claim is not usable.
std::optional<std::string> JwtClaim(std::string_view token, std::string_view path);

// True when `host` matches `pattern` ("api.example.com", "*.example.com", "*").
bool HostMatches(std::string_view pattern, std::string_view host);

}  // namespace warden
