#include "normalize/actor_identity.h"

#include <boost/json.hpp>

#include "common/ids.h"
#include "common/strings.h"

namespace warden {

namespace {

constexpr std::size_t kMaxActorIdBytes = 200;

struct SourceName {
  ActorSource source;
  std::string_view name;
};
constexpr SourceName kSources[] = {
    {ActorSource::kIp, "ip"},          {ActorSource::kJwtClaim, "jwt_claim"},
    {ActorSource::kHeader, "header"},  {ActorSource::kCookie, "cookie"},
    {ActorSource::kApiKey, "api_key"},
};

std::string Clean(std::string_view v) {
  return SanitizeUtf8(TruncateUtf8(TrimSpace(v), kMaxActorIdBytes));
}

std::string_view CookieValue(const View& view, std::string_view name) {
  for (const Param& p : view.params) {
    if (p.location == ParamLocation::kCookie && p.key == name) return p.value;
  }
  return {};
}

std::optional<std::string> FromRule(const ActorIdentityRule& rule, const View& view) {
  switch (rule.source) {
    case ActorSource::kIp:
      return std::nullopt;
    case ActorSource::kHeader: {
      std::string_view v = view.RequestHeader(AsciiLowered(rule.name));
      if (TrimSpace(v).empty()) return std::nullopt;
      return Clean(v);
    }
    case ActorSource::kCookie: {
      std::string_view v = CookieValue(view, rule.name);
      if (TrimSpace(v).empty()) return std::nullopt;
      return Clean(v);
    }
    case ActorSource::kApiKey: {
      std::string header = rule.name.empty() ? "x-api-key" : AsciiLowered(rule.name);
      std::string_view v = TrimSpace(view.RequestHeader(header));
      if (StartsWithIgnoreCase(v, "bearer ")) v = TrimSpace(v.substr(7));
      if (v.empty()) return std::nullopt;
      // Keys are secrets: only a digest becomes the (displayed, stored) actor id.
      return "key:" + Sha256Hex(v).substr(0, 16);
    }
    case ActorSource::kJwtClaim: {
      std::string_view token;
      if (!rule.token_header.empty()) {
        token = TrimSpace(view.RequestHeader(AsciiLowered(rule.token_header)));
        if (StartsWithIgnoreCase(token, "bearer ")) token = TrimSpace(token.substr(7));
      }
      if (token.empty() && !rule.token_cookie.empty()) {
        token = TrimSpace(CookieValue(view, rule.token_cookie));
      }
      if (token.empty()) return std::nullopt;
      auto claim = JwtClaim(token, rule.name);
      if (!claim || TrimSpace(*claim).empty()) return std::nullopt;
      return Clean(*claim);
    }
  }
  return std::nullopt;
}

bool RuleApplies(const ActorIdentityRule& rule, std::string_view host) {
  if (rule.hosts.empty()) return true;
  for (const auto& p : rule.hosts) {
    if (HostMatches(p, host)) return true;
  }
  return false;
}

}  // namespace

std::string_view ActorSourceName(ActorSource s) {
  for (const auto& n : kSources) {
    if (n.source == s) return n.name;
  }
  return "ip";
}

std::optional<ActorSource> ParseActorSource(std::string_view s) {
  for (const auto& n : kSources) {
    if (EqualsIgnoreCase(s, n.name)) return n.source;
  }
  if (EqualsIgnoreCase(s, "jwt")) return ActorSource::kJwtClaim;
  return std::nullopt;
}

bool HostMatches(std::string_view pattern, std::string_view host) {
  if (pattern == "*") return true;
  if (pattern.size() > 2 && pattern.substr(0, 2) == "*.") {
    std::string_view suffix = pattern.substr(1);  // ".example.com"
    return host.size() > suffix.size() &&
           EqualsIgnoreCase(host.substr(host.size() - suffix.size()), suffix);
  }
  return EqualsIgnoreCase(pattern, host);
}

Status ValidateActorIdentity(const ActorIdentityConfig& config) {
  for (std::size_t i = 0; i < config.rules.size(); ++i) {
    const ActorIdentityRule& r = config.rules[i];
    std::string field = "actor_identity[" + std::to_string(i) + "]";
    for (const auto& h : r.hosts) {
      std::string_view rest = h;
      if (rest.size() > 2 && rest.substr(0, 2) == "*.") rest.remove_prefix(2);
      if (h.empty() || (h != "*" && rest.find('*') != std::string_view::npos)) {
        return Status::InvalidArgument(
            field + ".hosts: '" + h + "' (use a host, \"*.suffix\" or \"*\")", field + ".hosts");
      }
    }
    bool needs_name = r.source == ActorSource::kJwtClaim || r.source == ActorSource::kHeader ||
                      r.source == ActorSource::kCookie;
    if (needs_name && TrimSpace(r.name).empty()) {
      return Status::InvalidArgument(field + ".name: " + std::string(ActorSourceName(r.source)) +
                                         " needs a name (claim, header or cookie)",
                                     field + ".name");
    }
    if (r.source == ActorSource::kJwtClaim && r.token_header.empty() && r.token_cookie.empty()) {
      return Status::InvalidArgument(field + ": jwt_claim needs token_header or token_cookie",
                                     field + ".token_header");
    }
  }
  return Status::Ok();
}

std::optional<std::string> JwtClaim(std::string_view token, std::string_view path) {
  std::vector<std::string_view> parts = Split(token, '.');
  if (parts.size() != 3 || parts[1].empty() || path.empty()) return std::nullopt;
  std::optional<std::string> payload = Base64Decode(parts[1]);
  if (!payload) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(*payload, ec);
  if (ec) return std::nullopt;
  const boost::json::value* cur = &doc;
  for (std::string_view step : Split(path, '.')) {
    if (!cur->is_object()) return std::nullopt;
    const boost::json::object& o = cur->get_object();
    auto it = o.find(step);
    if (it == o.end()) return std::nullopt;
    cur = &it->value();
  }
  switch (cur->kind()) {
    case boost::json::kind::string:
      return std::string(cur->get_string());
    case boost::json::kind::int64:
      return std::to_string(cur->get_int64());
    case boost::json::kind::uint64:
      return std::to_string(cur->get_uint64());
    default:
      return std::nullopt;
  }
}

void ApplyActorIdentity(const ActorIdentityConfig& config, View* view) {
  view->actor_kind = ActorKind::kIp;
  view->actor_id = view->client_ip.empty() ? "unknown" : view->client_ip;
  for (const ActorIdentityRule& rule : config.rules) {
    if (!RuleApplies(rule, view->host)) continue;
    std::optional<std::string> id = FromRule(rule, *view);
    if (id && !id->empty()) {
      view->actor_kind = ActorKind::kUser;
      view->actor_id = std::move(*id);
    }
    return;  // the first matching rule decides, found or not
  }
}

}  // namespace warden
