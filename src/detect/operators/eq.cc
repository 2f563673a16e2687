#include "detect/operators/compare.h"

namespace warden {

// `eq`: the input equals one of the values (numerically when both are numbers).
Result<std::unique_ptr<Operator>> MakeEqOperator(const Operand& operand) {
  return MakeEqualityOperator(operand, Equality::kEqual);
}

}  // namespace warden
