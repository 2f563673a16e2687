#include "detect/operators/cidr.h"

namespace warden {

// `contains_either_cidr`: the value is an IPv4 or IPv6 address inside one of the blocks.
Result<std::unique_ptr<Operator>> MakeContainsEitherCidrOperator(const Operand& operand) {
  return MakeCidrOperator(operand, CidrMode::kContains);
}

}  // namespace warden
