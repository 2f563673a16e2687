#include "behave/event_builder.h"

#include <boost/json.hpp>

#include "common/ids.h"
#include "common/strings.h"

namespace warden {

namespace {

boost::json::object MetadataObject(const Finding& f, const EventContext& ctx) {
  boost::json::object o;
  o["countryCode"] = ctx.country;
  o["location"] = SanitizeUtf8(f.location);
  o["matched"] = SanitizeUtf8(f.matched);
  o["policyName"] = SanitizeUtf8(f.policy_name);
  if (f.monitor_only) o["mode"] = "monitor";
  if (f.successful_exploit) o["exploitEvidence"] = SanitizeUtf8(f.exploit_evidence);
  if (!f.category.owasp_api_2023.empty()) {
    o["owaspApi2023"] = boost::json::value_from(f.category.owasp_api_2023);
  }
  if (!f.category.owasp_2021.empty()) {
    o["owasp2021"] = boost::json::value_from(f.category.owasp_2021);
  }
  if (!f.category.cwe.empty()) o["cwe"] = boost::json::value_from(f.category.cwe);
  return o;
}

std::vector<std::string> Sanitized(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  out.reserve(in.size());
  for (const auto& s : in) out.push_back(SanitizeUtf8(s));
  return out;
}

Event BaseEvent(const View& view, const Finding& f, const EventContext& ctx) {
  std::int64_t ts =
      view.exchange != nullptr && view.exchange->time_s > 0 ? view.exchange->time_s : ctx.now_s;
  Event e;
  e.id = NewUuid();
  e.ref_id = ctx.ref_id;
  e.actor = view.actor_id;
  e.filter_id = f.policy_id;
  e.url = view.raw_path;
  e.endpoint_template = view.endpoint_template;
  e.method = view.method;
  e.host = view.host;
  e.ip = view.client_ip;
  e.country = ctx.country;
  e.api_collection_id = view.collection_id;
  e.type = DetectionType::kRuleBased;
  e.category = f.category.name;
  e.sub_category = f.category.sub_category.empty() ? f.category.name : f.category.sub_category;
  e.severity = f.severity;
  e.location = f.location;
  e.matched = f.matched;
  e.detected_at = ts;
  e.last_detected_at = ts;
  e.successful_exploit = f.successful_exploit;
  e.owasp_api_2023 = Sanitized(f.category.owasp_api_2023);
  e.owasp_2021 = Sanitized(f.category.owasp_2021);
  e.cwe = Sanitized(f.category.cwe);
  return e;
}

}  // namespace

Event SingleEvent(const View& view, const Finding& finding, const EventContext& context) {
  Event e = BaseEvent(view, finding, context);
  e.event_type = EventType::kSingle;
  e.payload = context.sample_json;
  e.metadata = boost::json::serialize(MetadataObject(finding, context));
  return e;
}

Event AggregatedEvent(const View& view, const Finding& finding, const EventContext& context,
                      const WindowRule& rule, std::int64_t observed,
                      std::vector<std::string> sample_refs) {
  Event e = BaseEvent(view, finding, context);
  e.event_type = EventType::kAggregated;
  if (!sample_refs.empty()) e.ref_id = sample_refs.front();
  e.sample_refs = std::move(sample_refs);
  e.count = observed > 0 ? observed : 1;
  boost::json::object o = MetadataObject(finding, context);
  boost::json::object agg;
  agg["rule"] = SanitizeUtf8(rule.name);
  agg["windowMinutes"] = rule.window_minutes;
  agg["cooldownMinutes"] = rule.EffectiveCooldownMinutes();
  agg["threshold"] = rule.Threshold();
  agg["observed"] = observed;
  if (rule.distinct) {
    agg["distinctSource"] = rule.distinct->source;
    agg["distinctKey"] = SanitizeUtf8(rule.distinct->key);
  }
  if (!rule.increment_filter.empty()) agg["incrementFilter"] = rule.increment_filter;
  if (!rule.threshold_breach_filter.empty()) {
    agg["thresholdBreachFilter"] = rule.threshold_breach_filter;
  }
  o["aggregation"] = std::move(agg);
  e.metadata = boost::json::serialize(o);
  return e;
}

std::vector<Event> EventsFromFindings(const View& view, const std::vector<Finding>& findings,
                                      const EventContext& context) {
  std::vector<Event> events;
  if (findings.empty()) return events;
  // All events of one exchange share one stored sample.
  EventContext ctx = context;
  if (ctx.ref_id.empty()) ctx.ref_id = NewUuid();
  for (const auto& f : findings) events.push_back(SingleEvent(view, f, ctx));
  return events;
}

}  // namespace warden
