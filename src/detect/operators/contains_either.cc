#include "detect/operators/contains.h"
#include "detect/operators/operand.h"
#include "detect/operators/operator.h"

namespace warden {

namespace {

// `contains_either`: the input contains at least one of the strings (case-sensitive, like Akto).
class ContainsEitherOperator final : public Operator {
 public:
  explicit ContainsEitherOperator(std::vector<std::string> needles)
      : needles_(std::move(needles)) {}

  bool Match(std::string_view input, std::string_view* matched) const override {
    return FindAny(input, needles_, matched);
  }

  std::vector<PrefilterPattern> Prefilter() const override {
    std::vector<PrefilterPattern> out;
    for (const auto& n : needles_) out.push_back({.expression = n, .literal = true});
    return out;
  }

 private:
  std::vector<std::string> needles_;
};

}  // namespace

Result<std::unique_ptr<Operator>> MakeContainsEitherOperator(const Operand& operand) {
  WARDEN_RETURN_IF_ERROR(NonEmptyStrings(operand, "contains_either"));
  return std::unique_ptr<Operator>(std::make_unique<ContainsEitherOperator>(operand.values));
}

}  // namespace warden
