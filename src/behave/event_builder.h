#pragma once

#include <string>
#include <vector>

#include "model/event.h"
#include "model/finding.h"
#include "model/view.h"

namespace warden {

// What the event builder needs besides the view and its findings.
struct EventContext {
  std::string country;      // of the client IP, or ""
  std::string sample_json;  // the exchange as stored sample (normalize::SampleJson)
  std::int64_t now_s = 0;   // used when the exchange carries no timestamp
};

// Turns the findings of one exchange into SINGLE events, one per matching policy (Akto: one
// event per filter). Findings of monitor-mode policies still become events so operators can see
// what the policy would do. Pure function; thread-safe.
std::vector<Event> EventsFromFindings(const View& view, const std::vector<Finding>& findings,
                                      const EventContext& context);

}  // namespace warden
