#include "detect/operators/compare.h"

namespace warden {

// `neq`: no part of the term equals the value (numerically when both are numbers).
Result<std::unique_ptr<Operator>> MakeNeqOperator(const Operand& operand) {
  return MakeEqualityOperator(operand, Equality::kNotEqual);
}

}  // namespace warden
