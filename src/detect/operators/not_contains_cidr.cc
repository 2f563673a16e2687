#include "detect/operators/cidr.h"

namespace warden {

// `not_contains_cidr`: no part of the term is an address inside one of the blocks.
Result<std::unique_ptr<Operator>> MakeNotContainsCidrOperator(const Operand& operand) {
  return MakeCidrOperator(operand, CidrMode::kNotContains);
}

}  // namespace warden
