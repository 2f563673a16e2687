#include "detect/operators/compare.h"

namespace warden {

// `lte`: the input is a number less than or equal to the operand.
Result<std::unique_ptr<Operator>> MakeLteOperator(const Operand& operand) {
  return MakeOrderingOperator(operand, Ordering::kLessOrEqual, "lte");
}

}  // namespace warden
