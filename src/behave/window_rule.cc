#include "behave/window_rule.h"

#include "common/strings.h"

namespace warden {

namespace {

constexpr int kMaxWindowMinutes = 7 * 24 * 60;

bool KnownFilter(std::string_view name) {
  return name.empty() || name == "success_filter" || name == "failure_filter";
}

}  // namespace

Status ValidateWindowRule(const WindowRule& rule, const std::string& field) {
  if (rule.distinct) {
    if (rule.distinct->count < 1) {
      return Status::InvalidArgument(field + ".distinctIdentifier.count: must be >= 1",
                                     field + ".distinctIdentifier.count");
    }
    const std::string& src = rule.distinct->source;
    if (src != "request_payload" && src != "response_payload" && src != "request_headers" &&
        src != "query_param") {
      return Status::InvalidArgument(
          field + ".distinctIdentifier.source: '" + src +
              "' (use request_payload, response_payload, request_headers or query_param)",
          field + ".distinctIdentifier.source");
    }
    if (rule.distinct->key.empty()) {
      return Status::InvalidArgument(field + ".distinctIdentifier.key: empty",
                                     field + ".distinctIdentifier.key");
    }
  } else if (rule.match_count < 1) {
    return Status::InvalidArgument(field + ".matchCount: must be >= 1", field + ".matchCount");
  }
  if (rule.window_minutes < 1 || rule.window_minutes > kMaxWindowMinutes) {
    return Status::InvalidArgument(field + ".windowThreshold: 1 to 10080 minutes",
                                   field + ".windowThreshold");
  }
  if (rule.cooldown_minutes < 0 || rule.cooldown_minutes > kMaxWindowMinutes) {
    return Status::InvalidArgument(field + ".cooldown: 0 to 10080 minutes", field + ".cooldown");
  }
  if (!KnownFilter(rule.increment_filter)) {
    return Status::InvalidArgument(field + ".incrementFilter: '" + rule.increment_filter +
                                       "' (use success_filter or failure_filter)",
                                   field + ".incrementFilter");
  }
  if (!KnownFilter(rule.threshold_breach_filter)) {
    return Status::InvalidArgument(field + ".thresholdBreachFilter: '" +
                                       rule.threshold_breach_filter +
                                       "' (use success_filter or failure_filter)",
                                   field + ".thresholdBreachFilter");
  }
  return Status::Ok();
}

std::vector<WindowRule> WindowRulesFor(const Policy& policy, const AggregationConfig& config) {
  auto it = config.policy_rules.find(policy.id);
  if (it != config.policy_rules.end()) {
    std::vector<WindowRule> rules = it->second;
    for (WindowRule& r : rules) {
      if (r.cooldown_minutes == 0) r.cooldown_minutes = config.default_cooldown_minutes;
    }
    return rules;
  }
  std::vector<WindowRule> rules;
  for (std::size_t i = 0; i < policy.aggregation_rules.size(); ++i) {
    const AggregationRule& a = policy.aggregation_rules[i];
    WindowRule r;
    r.name = a.name.empty() ? "#" + std::to_string(i) : a.name;
    r.match_count = a.match_count;
    r.window_minutes = a.window_minutes;
    r.cooldown_minutes = config.default_cooldown_minutes;
    r.increment_filter = a.increment_filter;
    r.threshold_breach_filter = a.threshold_breach_filter;
    if (a.distinct)
      r.distinct = DistinctIdentifier{a.distinct->count, a.distinct->source, a.distinct->key};
    if (!ValidateWindowRule(r, "").ok()) continue;  // the loader rejects these
    rules.push_back(std::move(r));
  }
  return rules;
}

std::optional<std::string> DistinctValue(const View& view, const DistinctIdentifier& distinct) {
  if (distinct.source == "request_headers") {
    std::string name = AsciiLowered(distinct.key);
    std::string_view v = view.RequestHeader(name);
    if (v.empty()) return std::nullopt;
    return std::string(v);
  }
  const std::vector<Param>* params = &view.params;
  ParamLocation want = ParamLocation::kJson;
  bool any_body_location = true;
  if (distinct.source == "response_payload") {
    params = &view.response_params;
  } else if (distinct.source == "query_param") {
    want = ParamLocation::kQuery;
    any_body_location = false;
  }
  for (const Param& p : *params) {
    if (p.key != distinct.key) continue;
    if (any_body_location) {
      // Request payload keys: JSON, form, multipart or XML bodies alike.
      if (p.location == ParamLocation::kQuery || p.location == ParamLocation::kCookie ||
          p.location == ParamLocation::kPath) {
        if (params == &view.params) continue;
      }
    } else if (p.location != want) {
      continue;
    }
    return p.value;
  }
  return std::nullopt;
}

}  // namespace warden
