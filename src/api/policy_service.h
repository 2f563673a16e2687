#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "detect/policy/policy.h"
#include "model/exchange.h"
#include "model/finding.h"

namespace warden {

// One policy as the API shows it.
struct PolicyRecord {
  Policy policy;
  std::string yaml;    // the document it was loaded from
  bool enabled = true;
  bool builtin = false;  // from the built-in library (not a user file or override)
  std::string source;    // "builtin:sql_injection.yaml", "user:SQLInjection.yaml", a path
};

// PolicyService manages the running policy set for the API: listing, creating and replacing
// user policies, enabling and disabling, reloading, and trying policies on a request. Changes
// take effect at once (the compiled set is swapped atomically) and are kept across restarts.
// Implemented in app; thread-safe.
class PolicyService {
 public:
  virtual ~PolicyService() = default;

  virtual std::vector<PolicyRecord> List() = 0;
  // NotFound for an unknown id.
  virtual Result<PolicyRecord> Get(const std::string& id) = 0;
  // Creates (when `id` is empty) or replaces policy `id` from one YAML document. Errors:
  // InvalidArgument whose message starts "<name>:<line>:" for YAML/validation errors;
  // AlreadyExists when creating an id that exists; InvalidArgument (field "id") when the YAML's
  // id differs from `id`.
  virtual Result<PolicyRecord> Put(const std::string& id, const std::string& yaml,
                                   const std::string& by) = 0;
  // Deletes a user policy (a built-in one: FailedPrecondition — disable it instead).
  virtual Status Delete(const std::string& id, const std::string& by) = 0;
  virtual Status SetEnabled(const std::string& id, bool enabled, const std::string& by) = 0;
  // Reloads everything from its sources; returns the number of active policies.
  virtual Result<std::size_t> Reload() = 0;
  // Scans `exchange` with the policy in `yaml` (when given), else policy `id` (when given), else
  // every enabled policy. Returns the findings.
  virtual Result<std::vector<Finding>> Test(const std::string& yaml, const std::string& id,
                                            const Exchange& exchange) = 0;
};

}  // namespace warden
