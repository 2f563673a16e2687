#pragma once

#include <memory>
#include <string_view>

#include "detect/operators/operator.h"

namespace warden {

// Shared by the equality (`eq`, `neq`) and ordering (`gt`, `gte`, `lt`, `lte`) operators.
// Both sides are compared as numbers when both parse as finite decimals ("200", "2.5e3");
// otherwise equality compares the exact strings and ordering is false.

enum class Equality { kEqual, kNotEqual };
Result<std::unique_ptr<Operator>> MakeEqualityOperator(const Operand& operand, Equality which);

enum class Ordering { kGreater, kGreaterOrEqual, kLess, kLessOrEqual };
// The operand must be one number.
Result<std::unique_ptr<Operator>> MakeOrderingOperator(const Operand& operand, Ordering which,
                                                       std::string_view name);

}  // namespace warden
