#pragma once

#include <cstdint>
#include <span>
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
  const Operator* op = nullptr;  // the operator of the deciding leaf
  // The candidate it matched (set when found): an element of a list of the scan's scratch, valid
  // until the scratch is reset.
  const Candidate* candidate = nullptr;
  // The fragment the operator matched. While a condition is evaluated it is the whole key or
  // value the leaf matched; Matches() narrows it to the fragment for the deciding leaf only.
  std::string_view matched;
};

// Evaluates bound condition trees against one View, straightforwardly (every leaf that a
// combinator needs is evaluated). This is the reference semantics: a prefilter may skip
// policies, and a differential test holds it to this evaluator.
// Not thread-safe: it uses the caller's scratch, which must have been Reset() for `view`.
//
// With `gates` (the prefilter's verdicts for this view, indexed by Condition::prefilter_gate,
// computed on demand through Prefilter::GateOpen), a node whose gate is closed is false without
// being evaluated; the prefilter guarantees it could not match, so the result is the same, only
// cheaper.
class Evaluator {
 public:
  Evaluator(const View& view, ScanScratch::Impl* scratch,
            std::span<const std::uint8_t> gates = {})
      : view_(view), scratch_(scratch), gates_(gates) {}

  // True when the term-level `condition` matches. On true, fills `*witness` when not null.
  // Unbound nodes never match.
  bool Matches(const Condition& condition, Witness* witness);

 private:
  // Which parts of a candidate data operators test: `key:` and `value:` narrow the default
  // "any part".
  enum class Scope { kAny, kKey, kValue };

  bool EvalTerm(const Condition& c, Witness* w, int depth);
  bool EvalData(const Condition& c, std::span<const Candidate> candidates, Scope scope,
                Witness* w, int depth);
  bool EvalAll(const std::vector<Condition>& children, std::span<const Candidate> candidates,
               Scope scope, Witness* w, int depth);
  bool EvalOperator(const Condition& c, std::span<const Candidate> candidates, Scope scope,
                    Witness* w);
  // EvalData() of a child node.
  bool EvalChild(const Condition& c, std::span<const Candidate> candidates, Scope scope,
                 Witness* w, int depth);

  bool Closed(const Condition& c) const;
  // Not evaluated: nested too deeply, or closed by the prefilter (every Eval*() checks first).
  bool Skipped(const Condition& c, int depth) const;
  // Whether the candidates' entries (Candidate::key_entry, value_entry) are this scan's.
  bool EntriesKnown(std::span<const Candidate> candidates) const;
  // For an OR with memo slots (an OR of positive operators; `slot` for keys, `slot + 1` for
  // values): the candidates with a key or value not remembered as matching none of the
  // operators it applies there, in order (the candidates themselves when that is all of them).
  // Empty: the OR is known to be false.
  std::span<const Candidate> Unanswered(std::int32_t slot, std::span<const Candidate> candidates);
  // Remembers, of every key and value that has an id, that the OR of `slot` misses it.
  void RememberMiss(std::int32_t slot, std::span<const Candidate> candidates);
  // Calls fn(index, part, text, id) for every key (but positional ones: part 0) and value
  // (part 1) of `candidates`: `id` is the text's id in the scratch's VerdictCache, or -1.
  template <typename Fn>
  void ForEachPart(std::span<const Candidate> candidates, Fn&& fn);

  const View& view_;
  ScanScratch::Impl* scratch_;
  std::span<const std::uint8_t> gates_;
};

}  // namespace warden
