#include "detect/operators/compare.h"

namespace warden {

// `gte`: the input is a number greater than or equal to the operand.
Result<std::unique_ptr<Operator>> MakeGteOperator(const Operand& operand) {
  return MakeOrderingOperator(operand, Ordering::kGreaterOrEqual, "gte");
}

}  // namespace warden
