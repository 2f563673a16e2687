#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "behave/window_rule.h"
#include "model/event.h"
#include "model/finding.h"
#include "model/view.h"

namespace warden {

// What the event builder needs besides the view and its findings.
struct EventContext {
  std::string country;      // of the client IP, or ""
  std::string sample_json;  // the exchange as stored sample (normalize::SampleJson)
  std::string ref_id;       // id of that sample; "" = EventsFromFindings makes one
  std::int64_t now_s = 0;   // used when the exchange carries no timestamp
};

// The SINGLE event of one finding. Its payload is the sample (stored under ref_id).
Event SingleEvent(const View& view, const Finding& finding, const EventContext& context);

// The AGGREGATED event of a window breach, from the finding that breached it. It carries the
// window's recent samples (`sample_refs`, newest first; ref_id is the newest), and no payload:
// the samples are written on their own. Metadata names the rule, its threshold, window and
// cool-down, and what was observed.
Event AggregatedEvent(const View& view, const Finding& finding, const EventContext& context,
                      const WindowRule& rule, std::int64_t observed,
                      std::vector<std::string> sample_refs);

// Turns the findings of one exchange into SINGLE events, one per matching policy (Akto: one
// event per filter). Findings of monitor-mode policies still become events so operators can see
// what the policy would do. Pure function; thread-safe.
std::vector<Event> EventsFromFindings(const View& view, const std::vector<Finding>& findings,
                                      const EventContext& context);

}  // namespace warden
