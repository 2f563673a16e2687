#include "detect/operators/contains.h"
#include "detect/operators/operand.h"
#include "detect/operators/operator.h"

namespace warden {

namespace {

// `not_contains`: true when no part of the term contains any of the strings (Akto: a list means
// "contains none of them"). Match() implements the positive test; the evaluator negates it.
class NotContainsOperator final : public Operator {
 public:
  explicit NotContainsOperator(std::vector<std::string> needles) : needles_(std::move(needles)) {}

  bool Match(std::string_view input, std::string_view* matched) const override {
    return FindAny(input, needles_, matched);
  }
  bool negated() const override { return true; }

 private:
  std::vector<std::string> needles_;
};

}  // namespace

Result<std::unique_ptr<Operator>> MakeNotContainsOperator(const Operand& operand) {
  WARDEN_RETURN_IF_ERROR(NonEmptyStrings(operand, "not_contains"));
  return std::unique_ptr<Operator>(std::make_unique<NotContainsOperator>(operand.values));
}

}  // namespace warden
