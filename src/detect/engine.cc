#include "detect/engine.h"

#include <hs/hs.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "common/strings.h"
#include "detect/compile/prefilter.h"
#include "detect/evaluator.h"
#include "detect/operators/operator.h"
#include "detect/policy/bind.h"
#include "detect/policy/loader.h"
#include "detect/scratch.h"

namespace warden {

namespace {

// The scope a data-level node tests parts in: `key:` and `value:` narrow "any part".
enum class PartScope { kAny, kKey, kValue };

// Whether data-level node `c`, tested in `scope`, is an OR of positive operators (nested ORs,
// and `key:` or `value:` around one child, allowed) none of which accepts the empty text. Its
// verdict on a candidate list is then whether some part matches, part by part: a key matches
// when one of the operators it applies to keys does, a value likewise. Appends those operators
// to `*key_ops` and `*value_ops` as keys equal for operators that answer every text alike (an
// operator without a MemoKey() only equals itself).
bool CollectTextLocal(const Condition& c, PartScope scope, std::string* key_ops,
                      std::string* value_ops) {
  switch (c.kind) {
    case Condition::Kind::kOperator: {
      if (c.op == nullptr || c.op->negated() || c.op->Match(std::string_view(), nullptr)) {
        return false;
      }
      std::string key = c.op->MemoKey();
      if (key.empty()) key = "@" + std::to_string(reinterpret_cast<std::uintptr_t>(c.op.get()));
      const std::string item = std::to_string(key.size()) + ':' + key;  // no ambiguity
      if (scope != PartScope::kValue) *key_ops += item;
      if (scope != PartScope::kKey) *value_ops += item;
      return true;
    }
    case Condition::Kind::kOr:
      for (const Condition& child : c.children) {
        if (!CollectTextLocal(child, scope, key_ops, value_ops)) return false;
      }
      return !c.children.empty();
    case Condition::Kind::kKey:
    case Condition::Kind::kValue:
      return c.children.size() == 1 &&
             CollectTextLocal(c.children[0],
                              c.kind == Condition::Kind::kKey ? PartScope::kKey
                                                              : PartScope::kValue,
                              key_ops, value_ops);
    default:
      return false;
  }
}

// Numbers for a scratch's VerdictCache, in every condition of `policies`: the leaves of
// Memoizable() operators (operators with the same MemoKey() share a number, any other has its
// own), and the data-level ORs that CollectTextLocal() accepts (but under `length:`): two
// numbers each, for their verdict on a key and on a value (ORs of the same operators share).
// Returns how many numbers were given.
std::size_t AssignMemoSlots(std::vector<Policy>* policies) {
  std::unordered_map<std::string, std::int32_t> by_key;
  std::unordered_map<const Operator*, std::int32_t> by_op;
  std::int32_t next = 0;
  auto take = [&](const std::string& key, std::int32_t count) {
    const auto [it, fresh] = by_key.emplace(key, next);
    if (fresh) next += count;
    return it->second;
  };
  auto number = [&](Condition* c, bool in_term, PartScope scope, auto& self) -> void {
    c->memo_slot = -1;
    if (c->kind == Condition::Kind::kOperator && c->op != nullptr && c->op->Memoizable()) {
      const std::string key = c->op->MemoKey();
      if (key.empty()) {
        c->memo_slot = by_op.emplace(c->op.get(), next).first->second;
        if (c->memo_slot == next) ++next;
      } else {
        c->memo_slot = take("op\n" + key, 1);
      }
    } else if (in_term && c->kind == Condition::Kind::kOr && c->children.size() > 1) {
      std::string key_ops;
      std::string value_ops;
      if (CollectTextLocal(*c, scope, &key_ops, &value_ops)) {
        c->memo_slot = take("or\n" + std::to_string(key_ops.size()) + ':' + key_ops + value_ops, 2);
      }
    }
    PartScope below = scope;
    if (c->kind == Condition::Kind::kTerm) below = PartScope::kAny;
    if (c->kind == Condition::Kind::kKey) below = PartScope::kKey;
    if (c->kind == Condition::Kind::kValue || c->kind == Condition::Kind::kLength) {
      below = PartScope::kValue;
    }
    // Below `length:` the texts are the lengths, which have no place in the cache.
    const bool data = (in_term || c->kind == Condition::Kind::kTerm) &&
                      c->kind != Condition::Kind::kLength;
    for (Condition& child : c->children) self(&child, data, below, self);
  };
  for (Policy& p : *policies) {
    number(&p.filter, false, PartScope::kAny, number);
    for (auto* c : {&p.ignore, &p.success_filter, &p.failure_filter, &p.success}) {
      if (c->has_value()) number(&**c, false, PartScope::kAny, number);
    }
  }
  return static_cast<std::size_t>(next);
}

// What data-level node `c` answers over no candidates, exactly as the Evaluator would: an
// operator holds only when negated (no part satisfies its positive form), for_one and for_all
// never hold, the rest combine their children.
bool VerdictWithoutCandidates(const Condition& c) {
  auto all = [&] {
    for (const Condition& child : c.children) {
      if (!VerdictWithoutCandidates(child)) return false;
    }
    return !c.children.empty();
  };
  switch (c.kind) {
    case Condition::Kind::kOperator:
      return c.op != nullptr && c.op->negated();
    case Condition::Kind::kAnd:
    case Condition::Kind::kKey:
    case Condition::Kind::kValue:
    case Condition::Kind::kLength:
      return all();
    case Condition::Kind::kOr:
      for (const Condition& child : c.children) {
        if (VerdictWithoutCandidates(child)) return true;
      }
      return false;
    case Condition::Kind::kNot:
      return c.children.size() == 1 && !VerdictWithoutCandidates(c.children[0]);
    case Condition::Kind::kForOne:
    case Condition::Kind::kForAll:
    case Condition::Kind::kTerm:
      return false;
  }
  return false;
}

// Sets Condition::empty_verdict on every term of `c`.
void MarkEmptyVerdicts(Condition* c) {
  if (c->kind == Condition::Kind::kTerm) {
    bool all = !c->children.empty();
    for (const Condition& child : c->children) all = all && VerdictWithoutCandidates(child);
    c->empty_verdict = all;
    return;
  }
  for (Condition& child : c->children) MarkEmptyVerdicts(&child);
}

// Levels of `c`'s tree, counting `c`.
int Height(const Condition& c) {
  int below = 0;
  for (const Condition& child : c.children) below = std::max(below, Height(child));
  return below + 1;
}

// Within an OR, terms over the same selector and transform chain become one term over the OR of
// what each tested (its child, or the AND of its children), in the first one's place: the list
// is fetched, and a remembered OR's texts looked up, once rather than once per term. A term
// matches when its condition holds over the list, so the OR of the terms and the term of the OR
// agree; the witness is the first alternative's that matches, which may now name another
// location than the first term that matched would have. Leaves `c` alone when the extra level
// would take a path past kMaxConditionDepth.
void MergeSiblingTerms(Condition* c) {
  if (Height(*c) + 1 > kMaxConditionDepth) return;
  auto merge = [](Condition* node, auto& self) -> void {
    for (Condition& child : node->children) self(&child, self);
    if (node->kind != Condition::Kind::kOr) return;
    std::vector<Condition> kept;
    std::vector<bool> merged;  // per kept term: its children are already one OR
    kept.reserve(node->children.size());
    auto tested = [](Condition& term) {
      if (term.children.size() == 1) return std::move(term.children[0]);
      Condition all = Condition::All(std::move(term.children));
      all.mark = term.mark;
      return all;
    };
    for (Condition& child : node->children) {
      std::size_t at = kept.size();
      if (child.kind == Condition::Kind::kTerm && child.selector != nullptr &&
          !child.children.empty()) {
        for (std::size_t i = 0; i < kept.size(); ++i) {
          if (kept[i].kind == Condition::Kind::kTerm && kept[i].selector == child.selector &&
              kept[i].chain.key() == child.chain.key() && !kept[i].children.empty()) {
            at = i;
            break;
          }
        }
      }
      if (at == kept.size()) {
        kept.push_back(std::move(child));
        merged.push_back(false);
        continue;
      }
      Condition& term = kept[at];
      if (!merged[at]) {
        Condition any = Condition::Any({});
        any.mark = term.mark;
        any.children.push_back(tested(term));
        term.children.clear();
        term.children.push_back(std::move(any));
        merged[at] = true;
      }
      term.children[0].children.push_back(tested(child));
    }
    node->children = std::move(kept);
  };
  merge(c, merge);
}

std::uint64_t NextSetId() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

// "response_body: root:x:0:0" — where the success condition matched and on what.
std::string Evidence(const Witness& w) {
  if (!w.found || w.candidate == nullptr) return {};
  std::string out = w.candidate->Location();
  out += ": ";
  out += TruncateUtf8(w.matched, kMaxMatchedBytes);
  return std::string(TruncateUtf8(out, kMaxMatchedBytes));
}

// Evaluates one policy: filter, then ignore, then success. Fills `*f` on a match.
bool EvaluatePolicy(const Policy& p, Evaluator& eval, Finding* f) {
  Witness w;
  if (!eval.Matches(p.filter, &w)) return false;
  if (p.ignore.has_value() && eval.Matches(*p.ignore, nullptr)) return false;
  *f = Finding{};
  f->policy_id = p.id;
  f->policy_name = p.info.name;
  f->severity = p.info.severity;
  f->category = p.info.category;
  if (w.found && w.candidate != nullptr) {
    f->location = w.candidate->Location();
    f->matched = std::string(TruncateUtf8(w.matched, kMaxMatchedBytes));
    if (w.op != nullptr) {
      std::string detail = w.op->Explain(w.matched);
      if (!detail.empty()) f->location += " (" + detail + ")";
    }
  }
  if (p.success.has_value()) {
    Witness sw;
    if (eval.Matches(*p.success, &sw)) {
      f->successful_exploit = true;
      f->exploit_evidence = Evidence(sw);
    }
  }
  f->monitor_only = p.mode == PolicyMode::kMonitor;
  return true;
}

}  // namespace

CompiledPolicySet::CompiledPolicySet(std::vector<Policy> policies,
                                     std::unique_ptr<Prefilter> prefilter)
    : policies_(std::move(policies)), prefilter_(std::move(prefilter)), id_(NextSetId()) {
  for (std::size_t i = 0; i < policies_.size(); ++i) index_.emplace(policies_[i].id, i);
}

CompiledPolicySet::~CompiledPolicySet() = default;

const Policy* CompiledPolicySet::Find(const std::string& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &policies_[it->second];
}

const PrefilterInfo& CompiledPolicySet::prefilter_info(std::size_t index) const {
  return prefilter_->info(index);
}

PrefilterStats CompiledPolicySet::prefilter_stats() const {
  return PrefilterStats{.databases = prefilter_->databases(),
                        .chains = prefilter_->chains(),
                        .slots = prefilter_->slots(),
                        .nodes = prefilter_->nodes()};
}

void CompiledPolicySet::Prepare(ScanScratch::Impl* s) const {
  s->Reset();
  if (s->hs_set_id == id_) return;
  // First scan with this set: the Hyperscan scratch must fit its databases.
  s->verdicts.Reset(memo_slots_);  // its slots belong to the previous set
  if (s->hs != nullptr) hs_free_scratch(s->hs);
  s->hs = nullptr;
  if (prefilter_->prototype() != nullptr) {
    if (hs_clone_scratch(prefilter_->prototype(), &s->hs) != HS_SUCCESS) s->hs = nullptr;
  }
  s->hs_set_id = id_;
}

void CompiledPolicySet::Candidates(const View& view, ScanScratch& scratch,
                                   std::vector<std::size_t>* out) const {
  ScanScratch::Impl* s = scratch.impl();
  Prepare(s);
  s->candidate_policies.assign(policies_.size(), 0);
  prefilter_->Run(view, s, &s->candidate_policies);
  s->gates_valid = true;
  out->clear();
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    if (s->candidate_policies[i] != 0) out->push_back(i);
  }
}

bool CompiledPolicySet::Evaluate(std::size_t index, const View& view, ScanScratch& scratch,
                                 Finding* finding) const {
  if (index >= policies_.size()) return false;
  ScanScratch::Impl* s = scratch.impl();
  Evaluator eval(view, s,
                 s->gates_valid ? std::span<const std::uint8_t>(s->prefilter_truth)
                                : std::span<const std::uint8_t>());
  return EvaluatePolicy(policies_[index], eval, finding);
}

void CompiledPolicySet::Scan(const View& view, ScanScratch& scratch,
                             std::vector<Finding>* out) const {
  ScanScratch::Impl* s = scratch.impl();
  Prepare(s);
  s->candidate_policies.assign(policies_.size(), 0);
  prefilter_->Run(view, s, &s->candidate_policies);
  s->gates_valid = true;
  Evaluator eval(view, s, s->prefilter_truth);
  Finding f;
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    if (s->candidate_policies[i] == 0) continue;
    if (EvaluatePolicy(policies_[i], eval, &f)) out->push_back(std::move(f));
  }
}

void CompiledPolicySet::ScanWithoutPrefilter(const View& view, ScanScratch& scratch,
                                             std::vector<Finding>* out) const {
  ScanScratch::Impl* s = scratch.impl();
  Prepare(s);
  Evaluator eval(view, s);
  Finding f;
  for (const Policy& p : policies_) {
    if (EvaluatePolicy(p, eval, &f)) out->push_back(std::move(f));
  }
}

Result<std::shared_ptr<const CompiledPolicySet>> CompilePolicies(std::vector<Policy> policies) {
  for (Policy& p : policies) {
    if (p.id.empty()) {
      return Status::InvalidArgument(p.source.ToString() + ": policy without an id");
    }
    WARDEN_RETURN_IF_ERROR(BindCondition(&p.filter, p.id, "filter"));
    if (p.ignore.has_value()) WARDEN_RETURN_IF_ERROR(BindCondition(&*p.ignore, p.id, "ignore"));
    if (p.success_filter.has_value()) {
      WARDEN_RETURN_IF_ERROR(BindCondition(&*p.success_filter, p.id, "success_filter"));
    }
    if (p.failure_filter.has_value()) {
      WARDEN_RETURN_IF_ERROR(BindCondition(&*p.failure_filter, p.id, "failure_filter"));
    }
    if (p.success.has_value()) {
      WARDEN_RETURN_IF_ERROR(BindCondition(&*p.success, p.id, "success"));
    }
  }
  WARDEN_RETURN_IF_ERROR(CheckUniqueIds(policies));
  for (Policy& p : policies) {
    MergeSiblingTerms(&p.filter);
    for (auto* c : {&p.ignore, &p.success_filter, &p.failure_filter, &p.success}) {
      if (c->has_value()) MergeSiblingTerms(&**c);
    }
  }
  std::unique_ptr<Prefilter> prefilter = Prefilter::Build(&policies);
  const std::size_t memo_slots = AssignMemoSlots(&policies);
  for (Policy& p : policies) {
    MarkEmptyVerdicts(&p.filter);
    for (auto* c : {&p.ignore, &p.success_filter, &p.failure_filter, &p.success}) {
      if (c->has_value()) MarkEmptyVerdicts(&**c);
    }
  }
  auto set = std::shared_ptr<CompiledPolicySet>(
      new CompiledPolicySet(std::move(policies), std::move(prefilter)));
  set->memo_slots_ = memo_slots;
  return std::shared_ptr<const CompiledPolicySet>(std::move(set));
}

}  // namespace warden
