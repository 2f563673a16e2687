#include "app/config.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "common/strings.h"

namespace warden {

namespace {

// Walks one YAML document, turning every problem into a Status naming file:line and key path.
class ConfigParser {
 public:
  explicit ConfigParser(std::string_view name) : name_(name) {}

  Status Err(const YAML::Node& n, const std::string& path, std::string_view what) const {
    std::string where = name_;
    if (n.IsDefined() && n.Mark().line >= 0) where += ":" + std::to_string(n.Mark().line + 1);
    return Status::InvalidArgument(where + ": " + path + ": " + std::string(what), path);
  }

  // `st` (which names its own field) at the line of `n`.
  Status Wrap(const YAML::Node& n, const Status& st) const {
    std::string where = name_;
    if (n.IsDefined() && n.Mark().line >= 0) where += ":" + std::to_string(n.Mark().line + 1);
    return Status::InvalidArgument(where + ": " + st.message(), st.field());
  }

  using KeyFn = std::function<Status(const std::string& key, const YAML::Node& value,
                                     const std::string& path)>;

  // Calls fn for every key of a map; `allowed` lists the keys, anything else is an error.
  Status Map(const YAML::Node& n, const std::string& path,
             std::initializer_list<std::string_view> allowed, const KeyFn& fn) const {
    if (n.IsNull()) return Status::Ok();
    if (!n.IsMap()) return Err(n, path, "expected a map");
    for (auto it = n.begin(); it != n.end(); ++it) {
      std::string key = it->first.Scalar();
      std::string child = path.empty() ? key : path + "." + key;
      bool known = false;
      std::string list;
      for (std::string_view a : allowed) {
        known = known || a == key;
        if (!list.empty()) list += ", ";
        list += a;
      }
      if (!known) return Err(it->first, child, "unknown key (known: " + list + ")");
      WARDEN_RETURN_IF_ERROR(fn(key, it->second, child));
    }
    return Status::Ok();
  }

  Status Text(const YAML::Node& n, const std::string& path, std::string* out) const {
    if (!n.IsScalar()) return Err(n, path, "expected a string");
    *out = n.Scalar();
    return Status::Ok();
  }

  Status TextList(const YAML::Node& n, const std::string& path,
                  std::vector<std::string>* out) const {
    out->clear();
    if (n.IsScalar()) {
      out->push_back(n.Scalar());
      return Status::Ok();
    }
    if (!n.IsSequence()) return Err(n, path, "expected a string or a list of strings");
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (!n[i].IsScalar()) return Err(n[i], path, "expected a string");
      out->push_back(n[i].Scalar());
    }
    return Status::Ok();
  }

  Status Number(const YAML::Node& n, const std::string& path, double min, double* out) const {
    std::optional<double> v = n.IsScalar() ? ParseDouble(n.Scalar()) : std::nullopt;
    if (!v || *v < min) return Err(n, path, "expected a number >= " + FormatNumber(min));
    *out = *v;
    return Status::Ok();
  }

  Status Int(const YAML::Node& n, const std::string& path, std::int64_t min, std::int64_t max,
             std::int64_t* out) const {
    std::optional<std::int64_t> v = n.IsScalar() ? ParseInt64(n.Scalar()) : std::nullopt;
    if (!v || *v < min || *v > max) {
      return Err(n, path,
                 "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
    }
    *out = *v;
    return Status::Ok();
  }

  Status Duration(const YAML::Node& n, const std::string& path, std::int64_t* out) const {
    std::optional<std::int64_t> v = n.IsScalar() ? ParseDuration(n.Scalar()) : std::nullopt;
    if (!v) return Err(n, path, "expected a duration like 90s, 15m, 24h, 7d");
    *out = *v;
    return Status::Ok();
  }

  Status Parse(const YAML::Node& root, ServeConfig* c) const {
    return Map(root, "",
               {"actor_identity", "scoring", "aggregation", "burst", "enrichment", "retention",
                "maintenance_interval"},
               [&](const std::string& key, const YAML::Node& v, const std::string& path) {
                 if (key == "actor_identity") return ActorIdentity(v, path, &c->actor_identity);
                 if (key == "scoring") return Scoring(v, path, &c->scoring);
                 if (key == "aggregation") return Aggregation(v, path, &c->aggregation);
                 if (key == "burst") {
                   return Map(v, path, {"interval"},
                              [&](const std::string&, const YAML::Node& x, const std::string& p) {
                                return Duration(x, p, &c->burst_interval_seconds);
                              });
                 }
                 if (key == "enrichment") return Enrichment(v, path, &c->enrichment);
                 if (key == "retention") return Retention(v, path, c);
                 std::int64_t secs = 0;
                 WARDEN_RETURN_IF_ERROR(Duration(v, path, &secs));
                 if (secs < 1) return Err(v, path, "must be at least 1s");
                 c->maintenance_interval_seconds = secs;
                 return Status::Ok();
               });
  }

 private:
  static std::string FormatNumber(double v) {
    std::ostringstream ss;
    ss << v;
    return ss.str();
  }

  Status ActorIdentity(const YAML::Node& n, const std::string& path,
                       ActorIdentityConfig* out) const {
    if (!n.IsSequence()) return Err(n, path, "expected a list of rules");
    out->rules.clear();
    for (std::size_t i = 0; i < n.size(); ++i) {
      std::string item = path + "[" + std::to_string(i) + "]";
      ActorIdentityRule rule;
      WARDEN_RETURN_IF_ERROR(
          Map(n[i], item, {"hosts", "source", "name", "token_header", "token_cookie"},
              [&](const std::string& key, const YAML::Node& v, const std::string& p) -> Status {
                if (key == "hosts") return TextList(v, p, &rule.hosts);
                if (key == "source") {
                  std::string s;
                  WARDEN_RETURN_IF_ERROR(Text(v, p, &s));
                  std::optional<ActorSource> src = ParseActorSource(s);
                  if (!src) return Err(v, p, "use ip, jwt_claim, header, cookie or api_key");
                  rule.source = *src;
                  return Status::Ok();
                }
                if (key == "name") return Text(v, p, &rule.name);
                if (key == "token_header") return Text(v, p, &rule.token_header);
                return Text(v, p, &rule.token_cookie);
              }));
      out->rules.push_back(std::move(rule));
    }
    Status st = ValidateActorIdentity(*out);
    if (!st.ok()) return Wrap(n, st);
    return Status::Ok();
  }

  Status Scoring(const YAML::Node& n, const std::string& path, ScoringConfig* s) const {
    WARDEN_RETURN_IF_ERROR(
        Map(n, path, {"points", "exploit_multiplier", "half_life", "thresholds"},
            [&](const std::string& key, const YAML::Node& v, const std::string& p) -> Status {
              if (key == "points") {
                return Map(v, p, {"low", "medium", "high", "critical"},
                           [&](const std::string& k, const YAML::Node& x, const std::string& q) {
                             double* f = k == "low"      ? &s->low_points
                                         : k == "medium" ? &s->medium_points
                                         : k == "high"   ? &s->high_points
                                                         : &s->critical_points;
                             return Number(x, q, 0, f);
                           });
              }
              if (key == "exploit_multiplier") return Number(v, p, 1, &s->exploit_multiplier);
              if (key == "half_life") return Duration(v, p, &s->half_life_seconds);
              return Map(v, p, {"medium", "high", "critical"},
                         [&](const std::string& k, const YAML::Node& x, const std::string& q) {
                           double* f = k == "medium" ? &s->medium_threshold
                                       : k == "high" ? &s->high_threshold
                                                     : &s->critical_threshold;
                           return Number(x, q, 0, f);
                         });
            }));
    Status st = s->Validate();
    if (!st.ok()) return Wrap(n, st);
    return Status::Ok();
  }

  Status Rule(const YAML::Node& n, const std::string& path, WindowRule* r) const {
    // Both Warden's flat form and Akto's `rule: {name, condition: {...}}` are accepted.
    const std::initializer_list<std::string_view> kKeys = {"rule",
                                                           "name",
                                                           "condition",
                                                           "matchCount",
                                                           "windowThreshold",
                                                           "cooldown",
                                                           "distinctIdentifier",
                                                           "incrementFilter",
                                                           "thresholdBreachFilter"};
    std::function<Status(const YAML::Node&, const std::string&)> walk =
        [&](const YAML::Node& node, const std::string& p) -> Status {
      return Map(node, p, kKeys,
                 [&](const std::string& key, const YAML::Node& v, const std::string& q) -> Status {
                   if (key == "rule" || key == "condition") return walk(v, q);
                   if (key == "name") return Text(v, q, &r->name);
                   std::int64_t x = 0;
                   if (key == "matchCount") {
                     WARDEN_RETURN_IF_ERROR(Int(v, q, 1, 1 << 30, &x));
                     r->match_count = static_cast<int>(x);
                     return Status::Ok();
                   }
                   if (key == "windowThreshold") {
                     WARDEN_RETURN_IF_ERROR(Int(v, q, 1, 7 * 24 * 60, &x));
                     r->window_minutes = static_cast<int>(x);
                     return Status::Ok();
                   }
                   if (key == "cooldown") {
                     WARDEN_RETURN_IF_ERROR(Duration(v, q, &x));
                     r->cooldown_minutes = static_cast<int>((x + 59) / 60);
                     return Status::Ok();
                   }
                   if (key == "incrementFilter") return Text(v, q, &r->increment_filter);
                   if (key == "thresholdBreachFilter") {
                     return Text(v, q, &r->threshold_breach_filter);
                   }
                   DistinctIdentifier d;
                   WARDEN_RETURN_IF_ERROR(
                       Map(v, q, {"count", "source", "key"},
                           [&](const std::string& k, const YAML::Node& y, const std::string& z) {
                             if (k == "count") {
                               std::int64_t c = 0;
                               WARDEN_RETURN_IF_ERROR(Int(y, z, 1, 1 << 20, &c));
                               d.count = static_cast<int>(c);
                               return Status::Ok();
                             }
                             return Text(y, z, k == "source" ? &d.source : &d.key);
                           }));
                   r->distinct = std::move(d);
                   return Status::Ok();
                 });
    };
    WARDEN_RETURN_IF_ERROR(walk(n, path));
    Status st = ValidateWindowRule(*r, path);
    if (!st.ok()) return Wrap(n, st);
    return Status::Ok();
  }

  Status Aggregation(const YAML::Node& n, const std::string& path, AggregationConfig* a) const {
    return Map(n, path, {"cooldown", "max_samples", "policies"},
               [&](const std::string& key, const YAML::Node& v, const std::string& p) -> Status {
                 std::int64_t x = 0;
                 if (key == "cooldown") {
                   WARDEN_RETURN_IF_ERROR(Duration(v, p, &x));
                   a->default_cooldown_minutes = static_cast<int>((x + 59) / 60);
                   return Status::Ok();
                 }
                 if (key == "max_samples") {
                   WARDEN_RETURN_IF_ERROR(Int(v, p, 0, 100, &x));
                   a->max_samples = static_cast<int>(x);
                   return Status::Ok();
                 }
                 if (!v.IsMap()) return Err(v, p, "expected a map of policy id to rules");
                 for (auto it = v.begin(); it != v.end(); ++it) {
                   std::string id = it->first.Scalar();
                   std::string q = p + "." + id;
                   const YAML::Node list = it->second;  // a copy: the iterator yields temporaries
                   if (!list.IsSequence()) return Err(list, q, "expected a list of rules");
                   std::vector<WindowRule> rules;
                   for (std::size_t i = 0; i < list.size(); ++i) {
                     WindowRule r;
                     WARDEN_RETURN_IF_ERROR(Rule(list[i], q + "[" + std::to_string(i) + "]", &r));
                     if (r.name.empty()) r.name = "#" + std::to_string(i);
                     rules.push_back(std::move(r));
                   }
                   a->policy_rules[id] = std::move(rules);
                 }
                 return Status::Ok();
               });
  }

  Status Lists(const YAML::Node& n, const std::string& path, std::vector<IpListConfig>* out) const {
    if (!n.IsSequence()) return Err(n, path, "expected a list of {path, type, reputation}");
    out->clear();
    for (std::size_t i = 0; i < n.size(); ++i) {
      IpListConfig list;
      std::string item = path + "[" + std::to_string(i) + "]";
      WARDEN_RETURN_IF_ERROR(
          Map(n[i], item, {"path", "type", "reputation"},
              [&](const std::string& key, const YAML::Node& v, const std::string& p) -> Status {
                if (key == "path") return Text(v, p, &list.path);
                if (key == "type") {
                  WARDEN_RETURN_IF_ERROR(Text(v, p, &list.ip_type));
                  if (!ValidIpType(list.ip_type)) {
                    return Err(v, p, "use datacenter, vpn, tor or proxy");
                  }
                  return Status::Ok();
                }
                WARDEN_RETURN_IF_ERROR(Text(v, p, &list.reputation));
                if (!ValidReputation(list.reputation)) {
                  return Err(v, p, "use low, medium, high or critical");
                }
                return Status::Ok();
              }));
      if (list.path.empty()) return Err(n[i], item + ".path", "required");
      out->push_back(std::move(list));
    }
    return Status::Ok();
  }

  Status Enrichment(const YAML::Node& n, const std::string& path, EnrichmentConfig* e) const {
    return Map(
        n, path,
        {"geoip", "geoip6", "mmdb", "tor_exit_list", "tor_reputation", "ip_lists", "asn_lists"},
        [&](const std::string& key, const YAML::Node& v, const std::string& p) -> Status {
          if (key == "geoip") return Text(v, p, &e->geoip);
          if (key == "geoip6") return Text(v, p, &e->geoip6);
          if (key == "mmdb") return TextList(v, p, &e->mmdb);
          if (key == "tor_exit_list") return Text(v, p, &e->tor_exit_list);
          if (key == "tor_reputation") {
            WARDEN_RETURN_IF_ERROR(Text(v, p, &e->tor_reputation));
            if (!ValidReputation(e->tor_reputation)) {
              return Err(v, p, "use low, medium, high or critical");
            }
            return Status::Ok();
          }
          if (key == "ip_lists") return Lists(v, p, &e->ip_lists);
          return Lists(v, p, &e->asn_lists);
        });
  }

  Status Retention(const YAML::Node& n, const std::string& path, ServeConfig* c) const {
    RetentionPolicy& r = c->retention;
    return Map(n, path,
               {"events", "rollups", "orphan_samples", "windows", "status_log",
                "expired_suppressions", "interval"},
               [&](const std::string& key, const YAML::Node& v, const std::string& p) {
                 std::int64_t* f = key == "events"                 ? &r.events_seconds
                                   : key == "rollups"              ? &r.rollups_seconds
                                   : key == "orphan_samples"       ? &r.orphan_samples_seconds
                                   : key == "windows"              ? &r.windows_seconds
                                   : key == "status_log"           ? &r.status_log_seconds
                                   : key == "expired_suppressions" ? &r.expired_suppressions_seconds
                                                                   : &c->retention_interval_seconds;
                 return Duration(v, p, f);
               });
  }

  std::string name_;
};

}  // namespace

std::optional<std::int64_t> ParseDuration(std::string_view text) {
  text = TrimSpace(text);
  if (text.empty()) return std::nullopt;
  std::int64_t unit = 1;
  switch (AsciiLower(static_cast<unsigned char>(text.back()))) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    case 'w':
      unit = 7 * 86400;
      break;
    default:
      unit = 0;
  }
  if (unit != 0) text.remove_suffix(1);
  if (unit == 0) unit = 1;
  std::optional<std::int64_t> n = ParseInt64(text);
  if (!n || *n < 0 || *n > (std::int64_t{1} << 40)) return std::nullopt;
  return *n * unit;
}

Result<ServeConfig> ParseServeConfig(std::string_view yaml, std::string_view name,
                                     ServeConfig defaults) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    std::string where(name);
    if (e.mark.line >= 0) where += ":" + std::to_string(e.mark.line + 1);
    return Status::InvalidArgument(where + ": " + e.msg);
  }
  ServeConfig config = std::move(defaults);
  if (!root.IsDefined() || root.IsNull()) return config;
  ConfigParser parser(name);
  try {
    WARDEN_RETURN_IF_ERROR(parser.Parse(root, &config));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(std::string(name) + ": " + e.msg);
  }
  return config;
}

Result<ServeConfig> LoadServeConfig(const std::string& path, ServeConfig defaults) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open config file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ParseServeConfig(ss.str(), path, std::move(defaults));
}

}  // namespace warden
