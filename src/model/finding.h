#pragma once

#include <string>

#include "model/category.h"
#include "model/severity.h"

namespace warden {

// A Finding says one policy matched one exchange: which policy, where, on what fragment, and
// whether the response shows the exploit worked. Plain value type.
struct Finding {
  std::string policy_id;  // Akto `filterId`
  std::string policy_name;
  Severity severity = Severity::kHigh;
  Category category;
  std::string location;  // "query:q", "header:user-agent", "body", "url", "response_body"
  std::string matched;   // the matched fragment, capped in length
  bool successful_exploit = false;
  std::string exploit_evidence;  // what in the response proved success, capped
  bool monitor_only = false;     // policy in `mode: monitor`
};

}  // namespace warden
