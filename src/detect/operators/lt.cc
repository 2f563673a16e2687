#include "detect/operators/compare.h"

namespace warden {

// `lt`: the input is a number less than the operand.
Result<std::unique_ptr<Operator>> MakeLtOperator(const Operand& operand) {
  return MakeOrderingOperator(operand, Ordering::kLess, "lt");
}

}  // namespace warden
