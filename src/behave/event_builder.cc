#include "behave/event_builder.h"

#include <boost/json.hpp>

#include "common/ids.h"
#include "common/strings.h"

namespace warden {

namespace {

std::string Metadata(const Finding& f, const EventContext& ctx) {
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
  return boost::json::serialize(o);
}

}  // namespace

std::vector<Event> EventsFromFindings(const View& view, const std::vector<Finding>& findings,
                                      const EventContext& context) {
  std::vector<Event> events;
  if (findings.empty()) return events;
  // All events of one exchange share one stored sample.
  std::string ref_id = NewUuid();
  std::int64_t ts =
      view.exchange != nullptr && view.exchange->time_s > 0 ? view.exchange->time_s : context.now_s;
  for (const auto& f : findings) {
    Event e;
    e.id = NewUuid();
    e.ref_id = ref_id;
    e.actor = view.actor_id;
    e.filter_id = f.policy_id;
    e.url = view.raw_path;
    e.endpoint_template = view.endpoint_template;
    e.method = view.method;
    e.host = view.host;
    e.ip = view.client_ip;
    e.country = context.country;
    e.api_collection_id = view.collection_id;
    e.type = DetectionType::kRuleBased;
    e.event_type = EventType::kSingle;
    e.category = f.category.name;
    e.sub_category = f.category.sub_category.empty() ? f.category.name : f.category.sub_category;
    e.severity = f.severity;
    e.location = f.location;
    e.matched = f.matched;
    e.payload = context.sample_json;
    e.metadata = Metadata(f, context);
    e.detected_at = ts;
    e.successful_exploit = f.successful_exploit;
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace warden
