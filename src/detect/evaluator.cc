#include "detect/evaluator.h"

#include <string>
#include <vector>

#include "detect/compile/prefilter.h"
#include "detect/operators/operator.h"
#include "detect/policy/bind.h"

namespace warden {

namespace {

// In a conjunction, prefer the witness that names content (a parameter, a header) over one that
// names context (method, status code).
void KeepBetter(const Witness& candidate, Witness* best) {
  if (!candidate.found) return;
  if (!best->found || (best->selector != nullptr && best->selector->context_only() &&
                       candidate.selector != nullptr && !candidate.selector->context_only())) {
    *best = candidate;
  }
}

}  // namespace

inline bool Evaluator::Closed(const Condition& c) const {
  if (c.prefilter_gate < 0 || static_cast<std::size_t>(c.prefilter_gate) >= gates_.size() ||
      scratch_->prefilter == nullptr) {
    return false;
  }
  return !scratch_->prefilter->GateOpen(c.prefilter_gate, *scratch_);
}

bool Evaluator::Matches(const Condition& condition, Witness* witness) {
  Witness w;
  bool ok = EvalTerm(condition, &w, 0);
  if (ok && witness != nullptr) {
    // The deciding leaf's operator finds its fragment in the part it matched.
    std::string_view fragment;
    if (w.found && w.op != nullptr && !w.op->negated() && w.op->Match(w.matched, &fragment)) {
      w.matched = fragment;
    }
    *witness = w;
  }
  return ok;
}

inline bool Evaluator::Skipped(const Condition& c, int depth) const {
  return depth > kMaxConditionDepth || Closed(c);
}

bool Evaluator::EvalTerm(const Condition& c, Witness* w, int depth) {
  if (Skipped(c, depth)) return false;
  switch (c.kind) {
    case Condition::Kind::kAnd: {
      Witness best;
      for (const auto& child : c.children) {
        Witness cw;
        if (!EvalTerm(child, &cw, depth + 1)) return false;
        KeepBetter(cw, &best);
      }
      *w = best;
      return !c.children.empty();
    }
    case Condition::Kind::kOr:
      for (const auto& child : c.children) {
        if (EvalTerm(child, w, depth + 1)) return true;
      }
      return false;
    case Condition::Kind::kNot: {
      if (c.children.size() != 1) return false;
      Witness ignored;
      return !EvalTerm(c.children[0], &ignored, depth + 1);
    }
    case Condition::Kind::kTerm: {
      if (c.selector == nullptr || c.children.empty()) return false;
      const std::vector<Candidate>& candidates = scratch_->CandidatesFor(c.selector, c.chain, view_);
      // Nothing to test: the verdict was worked out at compile time (no witness can name a
      // part). The reference path (no gates) walks the children instead.
      if (candidates.empty() && !gates_.empty()) {
        *w = Witness{};
        return c.empty_verdict;
      }
      Witness best;
      if (!EvalAll(c.children, candidates, Scope::kAny, &best, depth)) return false;
      if (best.found) best.selector = c.selector;
      *w = best;
      return true;
    }
    default:
      return false;  // data-level nodes only sit under a term; BindCondition rejects this shape
  }
}

inline bool Evaluator::EvalChild(const Condition& c, std::span<const Candidate> candidates,
                                 Scope scope, Witness* w, int depth) {
  // A leaf is evaluated here, without a frame of EvalData() (most children are leaves).
  if (c.kind != Condition::Kind::kOperator) return EvalData(c, candidates, scope, w, depth);
  return !Skipped(c, depth) && EvalOperator(c, candidates, scope, w);
}

bool Evaluator::EvalAll(const std::vector<Condition>& children,
                        std::span<const Candidate> candidates, Scope scope, Witness* w,
                        int depth) {
  Witness best;
  for (const auto& child : children) {
    Witness cw;
    if (!EvalChild(child, candidates, scope, &cw, depth + 1)) return false;
    KeepBetter(cw, &best);
  }
  *w = best;
  return !children.empty();
}

bool Evaluator::EntriesKnown(std::span<const Candidate> candidates) const {
  return !gates_.empty() && scratch_->text_gates_valid && !candidates.empty();
}

template <typename Fn>
void Evaluator::ForEachPart(std::span<const Candidate> candidates, Fn&& fn) {
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& cand = candidates[i];
    // Every key (but positional ones) and every value, with its text's id (-1: none).
    if (cand.test_key) fn(i, 0, cand.key, cand.key_text);
    fn(i, 1, cand.value, cand.value_text);
  }
}

std::span<const Candidate> Evaluator::Unanswered(std::int32_t slot,
                                                 std::span<const Candidate> candidates) {
  // An empty text always misses: slots go only to ORs that reject it.
  const VerdictCache& verdicts = scratch_->verdicts;
  std::vector<Candidate>* open = nullptr;
  std::size_t last = candidates.size();  // the candidate kept last
  ForEachPart(candidates, [&](std::size_t i, int part, std::string_view text, std::int32_t id) {
    if (text.empty() || (id >= 0 && verdicts.Find(slot + part, id) == 0) || last == i) return;
    if (open == nullptr) open = &scratch_->NewList();
    open->push_back(candidates[i]);
    last = i;
  });
  if (open == nullptr) return {};
  if (open->size() == candidates.size()) return candidates;
  return *open;
}

void Evaluator::RememberMiss(std::int32_t slot, std::span<const Candidate> candidates) {
  // Right for parts the OR did not test too: a key the OR tests in no way (under `value:`)
  // matches none of its key operators, for there are none.
  VerdictCache& verdicts = scratch_->verdicts;
  ForEachPart(candidates, [&](std::size_t, int part, std::string_view, std::int32_t id) {
    if (id >= 0) verdicts.Put(slot + part, id, false);
  });
}

bool Evaluator::EvalOperator(const Condition& c, std::span<const Candidate> candidates,
                             Scope scope, Witness* w) {
  if (c.op == nullptr) return false;
  // With the prefilter's results for this scan, the candidates' texts are its entries: a regex
  // leaf is gated first on all texts together, then text by text, and a costly operator's
  // verdict on a text it answered in an earlier scan is taken from scratch_->verdicts.
  const bool entries_known = EntriesKnown(candidates);
  const Prefilter* gate =
      entries_known && c.prefilter_regex >= 0 ? scratch_->prefilter : nullptr;
  const bool memo = entries_known && c.memo_slot >= 0;
  // A single candidate's texts are gated one by one below anyway.
  if (gate != nullptr && candidates.size() > 1 &&
      !gate->MayMatchAny(c.prefilter_regex, scratch_->GatesOf(candidates))) {
    return c.negated;
  }
  // Leaves are tested without their fragment: most hits do not end up deciding a finding, and
  // finding a regex match's extent costs RE2 a second, slower search. Matches() asks for the
  // fragment of the deciding leaf only.
  // Inlined: a call per text and leaf cost about 3 % of a scan.
  auto test = [&](const Candidate& cand, int part, std::string_view text)
                  __attribute__((always_inline)) {
    if (gate == nullptr && !memo) return c.op->Match(text, nullptr);
    const std::int32_t entry = part == 0 ? cand.key_entry : cand.value_entry;
    const std::int32_t id = !memo ? -1 : part == 0 ? cand.key_text : cand.value_text;
    const int known = id >= 0 ? scratch_->verdicts.Find(c.memo_slot, id) : -1;
    if (known >= 0) return known == 1;
    const bool hit = (gate == nullptr || gate->MayMatch(c.prefilter_regex, entry, *scratch_)) &&
                     c.op->Match(text, nullptr);
    if (id >= 0) scratch_->verdicts.Put(c.memo_slot, id, hit);
    return hit;
  };
  // "Any part": a key or a value of any candidate (within the scope). A negated operator holds
  // when no such part satisfies its positive form.
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& cand = candidates[i];
    std::string_view part;
    if (scope != Scope::kValue && cand.test_key && (scope == Scope::kKey || !cand.key.empty()) &&
        test(cand, 0, cand.key)) {
      part = cand.key;
    } else if (scope != Scope::kKey && test(cand, 1, cand.value)) {
      part = cand.value;
    } else {
      continue;
    }
    if (c.negated) return false;
    w->found = true;
    w->op = c.op.get();
    w->candidate = &cand;
    w->matched = part;  // the whole part for now: Matches() narrows it to the fragment
    return true;
  }
  return c.negated;
}

bool Evaluator::EvalData(const Condition& c, std::span<const Candidate> candidates, Scope scope,
                         Witness* w, int depth) {
  if (Skipped(c, depth)) return false;
  switch (c.kind) {
    case Condition::Kind::kAnd:
      return EvalAll(c.children, candidates, scope, w, depth);
    case Condition::Kind::kOr: {
      // An OR of positive operators answers each text alone, so candidates whose texts are
      // all remembered as matching none of its operators cannot change its verdict or its
      // witness (the first alternative that matches, on its first matching candidate): it is
      // evaluated on the others only (often none), and a miss is remembered for each text.
      std::span<const Candidate> open = candidates;
      const bool remember = c.memo_slot >= 0 && EntriesKnown(candidates);
      if (remember) {
        open = Unanswered(c.memo_slot, candidates);
        if (open.empty()) return false;
      }
      for (const auto& child : c.children) {
        if (EvalChild(child, open, scope, w, depth + 1)) return true;
      }
      if (remember) RememberMiss(c.memo_slot, open);
      return false;
    }
    case Condition::Kind::kNot: {
      if (c.children.size() != 1) return false;
      Witness ignored;
      return !EvalData(c.children[0], candidates, scope, &ignored, depth + 1);
    }
    case Condition::Kind::kOperator:
      return EvalOperator(c, candidates, scope, w);
    case Condition::Kind::kKey:
      return EvalAll(c.children, candidates, Scope::kKey, w, depth);
    case Condition::Kind::kValue:
      return EvalAll(c.children, candidates, Scope::kValue, w, depth);
    case Condition::Kind::kForOne: {
      // Some single candidate satisfies every child (its key and value tested together). A
      // candidate on which a remembered OR among the children is known to miss cannot: only
      // the others are tried, in order, so the witness is the same.
      std::span<const Candidate> open = candidates;
      if (EntriesKnown(candidates)) {
        for (const Condition& child : c.children) {
          if (child.kind != Condition::Kind::kOr || child.memo_slot < 0) continue;
          open = Unanswered(child.memo_slot, open);
          if (open.empty()) return false;
        }
      }
      for (std::size_t i = 0; i < open.size(); ++i) {
        if (EvalAll(c.children, open.subspan(i, 1), scope, w, depth)) return true;
      }
      return false;
    }
    case Condition::Kind::kForAll: {
      // Every candidate satisfies every child; a term without candidates does not.
      if (candidates.empty()) return false;
      Witness first;
      for (std::size_t i = 0; i < candidates.size(); ++i) {
        Witness cw;
        if (!EvalAll(c.children, candidates.subspan(i, 1), scope, &cw, depth)) return false;
        if (i == 0) first = cw;
      }
      *w = first;
      return true;
    }
    case Condition::Kind::kLength: {
      // The children compare the length in bytes of each value (of each key under `key:`).
      // The list is the scan's own (NewList()): GatesOf() keys lists by address.
      std::vector<Candidate>& lengths = scratch_->NewList();
      lengths.reserve(candidates.size());
      for (const auto& cand : candidates) {
        if (scope == Scope::kKey && !cand.test_key) continue;
        const std::size_t n = scope == Scope::kKey ? cand.key.size() : cand.value.size();
        Candidate l = cand;
        l.value = scratch_->arena.Keep(std::to_string(n));
        l.test_key = false;
        // A length is no text the prefilter saw.
        l.ForgetEntries();
        lengths.push_back(l);
      }
      return EvalAll(c.children, lengths, Scope::kValue, w, depth);
    }
    case Condition::Kind::kTerm:
      return false;  // terms do not nest; BindCondition rejects this shape
  }
  return false;
}

}  // namespace warden
