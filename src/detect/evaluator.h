#pragma once

#include <string_view>

#include "detect/policy/policy.h"
#include "detect/scratch.h"
#include "model/view.h"

namespace warden {

// Why a condition matched: the candidate and fragment of the leaf that decided it. Views point
// into the View or the scratch; valid until the scratch is reset.
struct Witness {
  bool found = false;  // false: no positive leaf decided (e.g. only negations matched)
  const Selector* selector = nullptr;
  Candidate candidate;
  std::string_view matched;
};

// Evaluates bound condition trees against one View, straightforwardly (every leaf that a
// combinator needs is evaluated). This is the reference semantics: a prefilter may skip
// policies, and a differential test holds it to this evaluator.
// Not thread-safe: it uses the caller's scratch, which must have been Reset() for `view`.
class Evaluator {
 public:
  Evaluator(const View& view, ScanScratch::Impl* scratch) : view_(view), scratch_(scratch) {}

  // True when the term-level `condition` matches. On true, fills `*witness` when not null.
  // Unbound nodes never match.
  bool Matches(const Condition& condition, Witness* witness);

 private:
  bool EvalTerm(const Condition& c, Witness* w, int depth);
  bool EvalData(const Condition& c, const std::vector<Candidate>& candidates, Witness* w,
                int depth);

  const View& view_;
  ScanScratch::Impl* scratch_;
};

}  // namespace warden
