#pragma once

#include <string_view>

#include "common/status.h"
#include "detect/policy/policy.h"

namespace warden {

// Deepest nesting of combinators and terms a condition may have. Bounds the recursion of the
// loader and the evaluator, whatever the input.
inline constexpr int kMaxConditionDepth = 32;

// Checks the shape of a condition tree and binds it: resolves selector names, builds (compiles)
// operators. Nodes already bound are kept. `root` names the tree in errors ("filter", "ignore").
// On failure returns InvalidArgument whose message names the file, line, policy id and the path
// of the offending node ("filter.or[1].query_param.regx"); the tree may be partly bound then.
Status BindCondition(Condition* condition, std::string_view policy_id, std::string_view root);

// "file:line: policy ID: field: what" — the format of every policy load error.
Status PolicyError(const SourceMark& mark, std::string_view policy_id, std::string_view field,
                   std::string_view what);

}  // namespace warden
