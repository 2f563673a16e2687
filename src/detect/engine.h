#pragma once

#include <cstddef>
#include <cstdint>
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
class Prefilter;

// Finding::matched holds at most this many bytes of the matched fragment (cut at a UTF-8
// boundary); Finding::exploit_evidence likewise.
inline constexpr std::size_t kMaxMatchedBytes = 256;

// Per-thread scratch space for scanning: candidate lists, transformed texts, the Hyperscan
// scratch (cloned from the set's prototype when the scratch first meets a set) and the
// prefilter's buffers. Owned by one worker thread; not thread-safe. Reusable across scans and
// across policy sets (a scratch adapts itself after a set swap).
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

// What the prefilter knows about one policy, for `warden policy lint`.
struct PrefilterInfo {
  // No prefilter requirement could be derived (no positive literal or usable regex that every
  // match needs): the policy is evaluated on every scan.
  bool always = false;
  // Patterns of the requirement: the policy is evaluated only when one of them hits.
  std::vector<std::string> patterns;
  // Regexes the prefilter uses approximately: through the literal atoms every match contains
  // (RE2's FilteredRE2); RE2 confirms them.
  std::vector<std::string> approximate;
  // Patterns the prefilter cannot use at all (a regex without a literal atom of at least three
  // characters, e.g. `^[0-9]+$`; an empty literal); the leaves holding them constrain nothing.
  std::vector<std::string> unusable;
  // When `always`: what keeps the policy open, outermost first, as "file:line: why" (a
  // detector, a negation, a regex without a long enough atom, a selector of the request's
  // context), at most kMaxOpenReasons of them; `more_open` counts the rest.
  static constexpr std::size_t kMaxOpenReasons = 8;
  std::vector<std::string> open_because;
  std::size_t more_open = 0;
};

// Size of a set's prefilter.
struct PrefilterStats {
  std::size_t databases = 0;  // Hyperscan databases: 0 (nothing to scan for) or 1
  std::size_t chains = 0;     // transform chains whose texts are scanned (the empty one counts)
  std::size_t slots = 0;      // (chain, literal or atom) pairs scanned for
  std::size_t nodes = 0;      // requirement formula nodes (gates)
};

// A CompiledPolicySet is an immutable set of policies ready to scan.
// Build it with CompilePolicies; share it as std::shared_ptr<const CompiledPolicySet>.
// Scan() never throws and is safe to call from many threads at once, each with its own
// ScanScratch.
//
// Scanning runs in two steps. The prefilter scans every text a policy could look at, per field
// class and transform chain, with one Hyperscan database holding every literal and regex atom
// that some match requires, and yields the candidate policies (those whose requirement holds,
// plus those without one) and the condition nodes that cannot match. Only candidates are
// evaluated (RE2, numbers, CIDRs, detectors), skipping those nodes. ScanWithoutPrefilter()
// evaluates every policy and every node; both give the same findings (compile/prefilter.h).
class CompiledPolicySet {
 public:
  ~CompiledPolicySet();

  // Appends one Finding per policy that matches `view` (filter matched and ignore did not), in
  // policy order. The finding names the location and fragment of the leaf that decided the
  // match ("query:q", "header:user-agent", "json:user.name", "url", "body", ...); both are empty
  // when only negative conditions matched. A detector leaf adds its reason to the location
  // ("query:q (sqli: ...)"). When the policy has `success` and it matches, the finding is a
  // successful exploit with its evidence. Policies in monitor mode produce findings with
  // monitor_only set. `scratch` is reset first; `view` and its Exchange must outlive the call.
  void Scan(const View& view, ScanScratch& scratch, std::vector<Finding>* out) const;

  // The reference path: like Scan() but evaluates every policy, skipping the prefilter.
  void ScanWithoutPrefilter(const View& view, ScanScratch& scratch,
                            std::vector<Finding>* out) const;

  // The two halves of Scan(), for profiling (`warden policy lint`). Candidates() resets
  // `scratch`, runs the prefilter and replaces `*out` with the positions of the policies Scan()
  // would evaluate. Evaluate() then evaluates policy `index` on the same view and scratch (no
  // reset) and returns whether it produced `*finding`.
  void Candidates(const View& view, ScanScratch& scratch, std::vector<std::size_t>* out) const;
  bool Evaluate(std::size_t index, const View& view, ScanScratch& scratch,
                Finding* finding) const;

  const std::vector<Policy>& policies() const { return policies_; }
  // The policy with this id, or nullptr.
  const Policy* Find(const std::string& id) const;
  // Prefilter facts of policy `index` (same order as policies()).
  const PrefilterInfo& prefilter_info(std::size_t index) const;
  // Size of the prefilter, for lint and tests.
  PrefilterStats prefilter_stats() const;

 private:
  friend Result<std::shared_ptr<const CompiledPolicySet>> CompilePolicies(std::vector<Policy>);
  CompiledPolicySet(std::vector<Policy> policies, std::unique_ptr<Prefilter> prefilter);

  void Prepare(ScanScratch::Impl* s) const;

  std::vector<Policy> policies_;
  std::unordered_map<std::string, std::size_t> index_;  // id -> position in policies_
  std::unique_ptr<Prefilter> prefilter_;
  std::uint64_t id_;  // unique per set in this process: scratches notice a swap
  std::size_t memo_slots_ = 0;  // Condition::memo_slot numbers given out
};

// Validates and compiles policies: binds them (regexes, operators, transforms), checks that ids
// are unique, and builds the prefilter. Fails with an error naming the policy id and source
// file when any policy is invalid, or when two policies share an id. Policies from the loader
// arrive bound; policies built in code are bound here. A pattern Hyperscan cannot compile never
// fails the set: its policy loses that prefilter requirement (see PrefilterInfo).
Result<std::shared_ptr<const CompiledPolicySet>> CompilePolicies(std::vector<Policy> policies);

}  // namespace warden
