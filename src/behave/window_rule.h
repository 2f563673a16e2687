#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "detect/policy/policy.h"
#include "model/view.h"

namespace warden {

// Count distinct values of one key instead of matching requests (Akto `distinctIdentifier`).
struct DistinctIdentifier {
  int count = 0;       // distinct values that breach the window
  std::string source;  // "request_payload", "response_payload", "request_headers", "query_param"
  std::string key;     // JSON key path (payloads), header name or query parameter
};

// One aggregation rule as behave/ runs it: `match_count` matches of one policy by one actor
// within `window_minutes` one-minute bins (the current bin included) fire one AGGREGATED event;
// then `cooldown_minutes` (0 = the window) stop the same rule firing again for that actor.
// `increment_filter` ("success_filter" / "failure_filter"): only requests that also match that
// named sub-filter of the policy are counted. `threshold_breach_filter`: the rule fires only on a
// request that matches that sub-filter (N failures, then the first success). Plain value type.
struct WindowRule {
  std::string name;  // from the policy; "#<index>" when the policy gave none
  int match_count = 0;
  int window_minutes = 0;
  int cooldown_minutes = 0;
  std::optional<DistinctIdentifier> distinct;
  std::string increment_filter;
  std::string threshold_breach_filter;

  int EffectiveCooldownMinutes() const {
    return cooldown_minutes > 0 ? cooldown_minutes : window_minutes;
  }
  // What must be reached: `distinct->count` or `match_count`.
  int Threshold() const { return distinct ? distinct->count : match_count; }
};

// Defaults for aggregation rules and the rules Warden adds on top of the policies' own.
struct AggregationConfig {
  int default_cooldown_minutes = 0;  // 0 = each rule's window
  int max_samples = 10;              // newest matches an AGGREGATED event carries
  // Rules by policy id, replacing the policy's own `aggregation_rules` (to tune a built-in
  // policy's counting without editing it).
  std::map<std::string, std::vector<WindowRule>> policy_rules;
};

// InvalidArgument naming `field` when the rule cannot run (counts < 1, window outside
// 1 minute..1 week, an unknown filter name or distinct source).
Status ValidateWindowRule(const WindowRule& rule, const std::string& field);

// The rules that apply to `policy`: AggregationConfig::policy_rules[policy.id] when present, else
// the policy's `aggregation_rules` (names defaulted to "#<index>"); a rule without its own
// cool-down gets the configured default (which, when 0, means the rule's window).
// Empty: the policy makes SINGLE events.
std::vector<WindowRule> WindowRulesFor(const Policy& policy, const AggregationConfig& config);

// The value of `distinct.key` in `view` per `distinct.source`, or nullopt when absent.
std::optional<std::string> DistinctValue(const View& view, const DistinctIdentifier& distinct);

}  // namespace warden
