#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "detect/policy/policy.h"
#include "model/finding.h"
#include "model/view.h"

namespace warden {

class CompiledPolicySet;

// Finding::matched holds at most this many bytes of the matched fragment (cut at a UTF-8
// boundary).
inline constexpr std::size_t kMaxMatchedBytes = 256;

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

  // Appends one Finding per policy that matches `view` (filter matched and ignore did not), in
  // policy order. The finding names the location and fragment of the leaf that decided the
  // match ("query:q", "header:user-agent", "json:user.name", "url", "body", ...); both are empty
  // when only negative conditions matched. Policies in monitor mode produce findings with
  // monitor_only set. `scratch` is reset first; `view` and its Exchange must outlive the call.
  void Scan(const View& view, ScanScratch& scratch, std::vector<Finding>* out) const;

  const std::vector<Policy>& policies() const { return policies_; }
  // The policy with this id, or nullptr.
  const Policy* Find(const std::string& id) const;

 private:
  friend Result<std::shared_ptr<const CompiledPolicySet>> CompilePolicies(std::vector<Policy>);
  explicit CompiledPolicySet(std::vector<Policy> policies);

  std::vector<Policy> policies_;
  std::unordered_map<std::string, std::size_t> index_;  // id -> position in policies_
};

// Validates and compiles policies (regexes, operators). Fails with an error naming the policy
// id and source file when any policy is invalid, or when two policies share an id. Policies from
// the loader arrive bound; policies built in code are bound here.
//
// The Hyperscan prefilter will live behind this function: it walks each bound filter, asks every
// operator that a match requires for Operator::Prefilter() patterns, puts them into one
// database per Selector::field_class(), and keeps per policy the pattern ids of which one must
// hit. Scan() then runs the databases over the candidates once and evaluates only policies whose
// requirement hit (plus those it could not analyse) with the same Evaluator used today.
Result<std::shared_ptr<const CompiledPolicySet>> CompilePolicies(std::vector<Policy> policies);

}  // namespace warden
