#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "detect/policy/policy.h"

// Helpers shared by operator factories to check their YAML operand.
namespace warden {

// The single scalar of `operand`; InvalidArgument naming `op` when it is a list.
Result<std::string> SingleScalar(const Operand& operand, std::string_view op);

// The strings of `operand` (a scalar or a list); InvalidArgument when it is empty or a string is
// empty (an empty needle would match every input).
Status NonEmptyStrings(const Operand& operand, std::string_view op);

// The operand of a detector operator (`sqli: true`): only `true` is accepted, so that a policy
// never reads as enabling a detector it disables.
Status DetectorOperand(const Operand& operand, std::string_view op);

}  // namespace warden
