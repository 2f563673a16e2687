#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "detect/policy/policy.h"
#include "model/finding.h"
#include "model/view.h"

namespace warden {

class CompiledPolicySet;

// Per-thread scratch space for scanning (match buffers; Hyperscan scratch in later versions).
// Owned by one worker thread; not thread-safe. Reusable across scans and across policy sets.
class ScanScratch {
 public:
  ScanScratch();
  ~ScanScratch();
  ScanScratch(const ScanScratch&) = delete;
  ScanScratch& operator=(const ScanScratch&) = delete;

  struct Impl;
  Impl* impl() { return impl_.get(); }

 private:
  std::unique_ptr<Impl> impl_;
};

// A CompiledPolicySet is an immutable set of policies ready to scan.
// Build it with CompilePolicies; share it as std::shared_ptr<const CompiledPolicySet>.
// Scan() never throws and is safe to call from many threads at once, each with its own
// ScanScratch.
class CompiledPolicySet {
 public:
  ~CompiledPolicySet();

  // Appends one Finding per policy that matches `view` (filter matched and ignore did not).
  // Policies in monitor mode produce findings with monitor_only set.
  void Scan(const View& view, ScanScratch& scratch, std::vector<Finding>* out) const;

  const std::vector<Policy>& policies() const { return policies_; }
  // The policy with this id, or nullptr.
  const Policy* Find(const std::string& id) const;

 private:
  friend Result<std::shared_ptr<const CompiledPolicySet>> CompilePolicies(std::vector<Policy>);
  explicit CompiledPolicySet(std::vector<Policy> policies);

  std::vector<Policy> policies_;
};

// Validates and compiles policies (regexes, operators). Fails with an error naming the policy
// id and source file when any policy is invalid, or when two policies share an id.
Result<std::shared_ptr<const CompiledPolicySet>> CompilePolicies(std::vector<Policy> policies);

}  // namespace warden
