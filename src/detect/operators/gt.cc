#include "detect/operators/compare.h"

namespace warden {

// `gt`: the input is a number greater than the operand.
Result<std::unique_ptr<Operator>> MakeGtOperator(const Operand& operand) {
  return MakeOrderingOperator(operand, Ordering::kGreater, "gt");
}

}  // namespace warden
