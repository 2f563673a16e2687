#include "detect/engine.h"

#include "common/strings.h"
#include "detect/evaluator.h"
#include "detect/policy/bind.h"
#include "detect/policy/loader.h"
#include "detect/scratch.h"

namespace warden {

ScanScratch::ScanScratch() : impl_(std::make_unique<Impl>()) {}
ScanScratch::~ScanScratch() = default;

CompiledPolicySet::CompiledPolicySet(std::vector<Policy> policies)
    : policies_(std::move(policies)) {
  for (std::size_t i = 0; i < policies_.size(); ++i) index_.emplace(policies_[i].id, i);
}

CompiledPolicySet::~CompiledPolicySet() = default;

const Policy* CompiledPolicySet::Find(const std::string& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &policies_[it->second];
}

void CompiledPolicySet::Scan(const View& view, ScanScratch& scratch,
                             std::vector<Finding>* out) const {
  ScanScratch::Impl* s = scratch.impl();
  s->Reset();
  Evaluator eval(view, s);
  for (const Policy& p : policies_) {
    Witness w;
    if (!eval.Matches(p.filter, &w)) continue;
    if (p.ignore.has_value() && eval.Matches(*p.ignore, nullptr)) continue;
    Finding f;
    f.policy_id = p.id;
    f.policy_name = p.info.name;
    f.severity = p.info.severity;
    f.category = p.info.category;
    if (w.found) {
      f.location = w.candidate.Location();
      f.matched = std::string(TruncateUtf8(w.matched, kMaxMatchedBytes));
    }
    f.monitor_only = p.mode == PolicyMode::kMonitor;
    out->push_back(std::move(f));
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
  }
  WARDEN_RETURN_IF_ERROR(CheckUniqueIds(policies));
  return std::shared_ptr<const CompiledPolicySet>(new CompiledPolicySet(std::move(policies)));
}

}  // namespace warden
