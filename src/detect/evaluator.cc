#include "detect/evaluator.h"

#include "common/strings.h"
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

void ScanScratch::Impl::Collect(const Selector* selector, const View& view,
                                std::vector<Candidate>* out) {
  std::size_t first = out->size();
  selector->Collect(view, &arena, out);
  // Operators see text as Akto (Java) does: invalid UTF-8 replaced by U+FFFD. Without this an
  // RE2 `.` or `[^>]` would not step over a stray byte, and one byte could hide a payload.
  for (std::size_t i = first; i < out->size(); ++i) {
    Candidate& c = (*out)[i];
    if (!IsValidUtf8(c.key)) c.key = arena.Keep(SanitizeUtf8(c.key));
    if (!IsValidUtf8(c.value)) c.value = arena.Keep(SanitizeUtf8(c.value));
  }
}

void ScanScratch::Impl::Reset() {
  arena.Clear();
  auto table = Selectors();
  if (by_selector.size() != table.size()) {
    by_selector.assign(table.size(), {});
    for (std::size_t i = 0; i < table.size(); ++i) by_selector[i].selector = table[i];
  }
  for (auto& s : by_selector) {
    s.collected = false;
    s.candidates.clear();
  }
}

const std::vector<Candidate>& ScanScratch::Impl::CandidatesFor(const Selector* selector,
                                                               const View& view) {
  for (auto& s : by_selector) {
    if (s.selector != selector) continue;
    if (!s.collected) {
      Collect(selector, view, &s.candidates);
      s.collected = true;
    }
    return s.candidates;
  }
  // A selector outside the table (tests may build one): collect without caching.
  by_selector.push_back({.selector = selector, .collected = true, .candidates = {}});
  Collect(selector, view, &by_selector.back().candidates);
  return by_selector.back().candidates;
}

bool Evaluator::Matches(const Condition& condition, Witness* witness) {
  Witness w;
  bool ok = EvalTerm(condition, &w, 0);
  if (ok && witness != nullptr) *witness = w;
  return ok;
}

bool Evaluator::EvalTerm(const Condition& c, Witness* w, int depth) {
  if (depth > kMaxConditionDepth) return false;
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
      const std::vector<Candidate>& candidates = scratch_->CandidatesFor(c.selector, view_);
      Witness best;
      for (const auto& child : c.children) {
        Witness cw;
        if (!EvalData(child, candidates, &cw, depth + 1)) return false;
        KeepBetter(cw, &best);
      }
      if (best.found) best.selector = c.selector;
      *w = best;
      return true;
    }
    case Condition::Kind::kOperator:
      return false;  // only under a term; BindCondition rejects this shape
  }
  return false;
}

bool Evaluator::EvalData(const Condition& c, const std::vector<Candidate>& candidates, Witness* w,
                         int depth) {
  if (depth > kMaxConditionDepth) return false;
  switch (c.kind) {
    case Condition::Kind::kAnd: {
      Witness best;
      for (const auto& child : c.children) {
        Witness cw;
        if (!EvalData(child, candidates, &cw, depth + 1)) return false;
        KeepBetter(cw, &best);
      }
      *w = best;
      return !c.children.empty();
    }
    case Condition::Kind::kOr:
      for (const auto& child : c.children) {
        if (EvalData(child, candidates, w, depth + 1)) return true;
      }
      return false;
    case Condition::Kind::kNot: {
      if (c.children.size() != 1) return false;
      Witness ignored;
      return !EvalData(c.children[0], candidates, &ignored, depth + 1);
    }
    case Condition::Kind::kOperator: {
      if (c.op == nullptr) return false;
      // "Any part": a key or a value of any candidate. A negated operator holds when no part
      // satisfies its positive form.
      for (const auto& cand : candidates) {
        std::string_view fragment;
        if ((!cand.key.empty() && c.op->Match(cand.key, &fragment)) ||
            c.op->Match(cand.value, &fragment)) {
          if (c.op->negated()) return false;
          w->found = true;
          w->candidate = cand;
          w->matched = fragment;
          return true;
        }
      }
      return c.op->negated();
    }
    case Condition::Kind::kTerm:
      return false;  // terms do not nest; BindCondition rejects this shape
  }
  return false;
}

}  // namespace warden
