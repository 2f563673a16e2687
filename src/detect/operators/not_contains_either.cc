#include "detect/operators/contains.h"
#include "detect/operators/operand.h"
#include "detect/operators/operator.h"

namespace warden {

namespace {

// `not_contains_either`: true when no part of the term contains any of the strings. Match()
// implements the positive test (contains one of them); the evaluator negates it.
class NotContainsEitherOperator final : public Operator {
 public:
  explicit NotContainsEitherOperator(std::vector<std::string> needles)
      : needles_(std::move(needles)) {}

  bool Match(std::string_view input, std::string_view* matched) const override {
    return FindAny(input, needles_, matched);
  }
  bool negated() const override { return true; }

 private:
  std::vector<std::string> needles_;
};

}  // namespace

Result<std::unique_ptr<Operator>> MakeNotContainsEitherOperator(const Operand& operand) {
  WARDEN_RETURN_IF_ERROR(NonEmptyStrings(operand, "not_contains_either"));
  return std::unique_ptr<Operator>(std::make_unique<NotContainsEitherOperator>(operand.values));
}

}  // namespace warden
