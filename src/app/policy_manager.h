#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "api/policy_service.h"
#include "app/policy_sources.h"
#include "detect/engine.h"

namespace warden {

struct PolicyManagerOptions {
  bool builtin = true;
  // Where policies created through the API are written (one <id>.yaml each) and the
  // enabled/disabled state is kept (policy-state.json). Empty: API changes are refused.
  std::string user_dir;
  std::vector<std::string> extra_dirs;  // read-only directories (`--policies`)
};

// PolicyManager owns the policy sources of a running server — the built-in library, the
// writable user directory and read-only directories — and the enabled/disabled state. Every
// change recompiles the whole set and hands it to `apply` (the pipeline's atomic swap); a change
// that does not compile is rolled back and nothing is applied. Thread-safe: `mu_` serializes
// loads and changes.
class PolicyManager final : public PolicyService {
 public:
  using ApplyFn = std::function<void(std::shared_ptr<const CompiledPolicySet>)>;

  PolicyManager(PolicyManagerOptions options, ApplyFn apply);

  // Loads every source and applies the compiled set. Errors name file, line and policy id.
  Result<std::size_t> Reload() override;

  std::vector<PolicyRecord> List() override;
  Result<PolicyRecord> Get(const std::string& id) override;
  Result<PolicyRecord> Put(const std::string& id, const std::string& yaml,
                           const std::string& by) override;
  Status Delete(const std::string& id, const std::string& by) override;
  Status SetEnabled(const std::string& id, bool enabled, const std::string& by) override;
  Result<std::vector<Finding>> Test(const std::string& yaml, const std::string& id,
                                    const Exchange& exchange) override;

  std::shared_ptr<const CompiledPolicySet> current() const;

 private:
  // Loads sources into `records`; requires mu_.
  Result<std::vector<PolicyRecord>> LoadLocked();
  // Compiles the enabled records and applies them; requires mu_.
  Status ApplyLocked(const std::vector<PolicyRecord>& records);
  Status SaveStateLocked() const;
  std::string UserFile(const std::string& id) const;

  PolicyManagerOptions options_;
  ApplyFn apply_;
  mutable std::mutex mu_;
  std::vector<PolicyRecord> records_;  // guarded by mu_
  std::set<std::string> disabled_;     // guarded by mu_
  std::shared_ptr<const CompiledPolicySet> current_;  // guarded by mu_
};

}  // namespace warden
