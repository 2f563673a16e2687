#include <algorithm>

#include "detect/operators/operand.h"
#include "detect/operators/operator.h"

namespace warden {

namespace {

// `contains_all`: the input contains every one of the strings. The matched fragment spans from
// the earliest to the end of the latest occurrence.
class ContainsAllOperator final : public Operator {
 public:
  explicit ContainsAllOperator(std::vector<std::string> needles) : needles_(std::move(needles)) {}

  bool Match(std::string_view input, std::string_view* matched) const override {
    std::size_t begin = input.size();
    std::size_t end = 0;
    for (const auto& n : needles_) {
      std::size_t pos = input.find(n);
      if (pos == std::string_view::npos) return false;
      begin = std::min(begin, pos);
      end = std::max(end, pos + n.size());
    }
    if (matched != nullptr) *matched = input.substr(begin, end - begin);
    return true;
  }

  // Every needle must occur, so any one of them is a valid prefilter; the longest is the most
  // selective.
  std::vector<PrefilterPattern> Prefilter() const override {
    auto longest =
        std::max_element(needles_.begin(), needles_.end(),
                         [](const auto& a, const auto& b) { return a.size() < b.size(); });
    return {PrefilterPattern{.expression = *longest, .literal = true}};
  }

 private:
  std::vector<std::string> needles_;
};

}  // namespace

Result<std::unique_ptr<Operator>> MakeContainsAllOperator(const Operand& operand) {
  WARDEN_RETURN_IF_ERROR(NonEmptyStrings(operand, "contains_all"));
  return std::unique_ptr<Operator>(std::make_unique<ContainsAllOperator>(operand.values));
}

}  // namespace warden
