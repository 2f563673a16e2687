#include <algorithm>

#include "detect/operators/operator.h"

namespace warden {

namespace {

// Adding an operator: write operators/<name>.cc with its factory, declare the factory in
// operator.h, add one row here and one table row to tests/detect/operators_test.cc.
constexpr OperatorDef kOperators[] = {
    {"regex", &MakeRegexOperator},
    {"contains_either", &MakeContainsEitherOperator},
    {"contains_all", &MakeContainsAllOperator},
    {"not_contains", &MakeNotContainsOperator},
    {"eq", &MakeEqOperator},
    {"neq", &MakeNeqOperator},
    {"gt", &MakeGtOperator},
    {"gte", &MakeGteOperator},
    {"lt", &MakeLtOperator},
    {"lte", &MakeLteOperator},
    {"not_contains_either", &MakeNotContainsEitherOperator},
    {"contains_either_cidr", &MakeContainsEitherCidrOperator},
    {"not_contains_cidr", &MakeNotContainsCidrOperator},
    {"sqli", &MakeSqliOperator},
    {"xss", &MakeXssOperator},
};

}  // namespace

bool IsComparisonOperator(std::string_view name) {
  return name == "eq" || name == "neq" || name == "gt" || name == "gte" || name == "lt" ||
         name == "lte";
}

std::span<const OperatorDef> Operators() { return kOperators; }

const OperatorDef* FindOperator(std::string_view name) {
  auto it = std::find_if(std::begin(kOperators), std::end(kOperators),
                         [&](const OperatorDef& d) { return d.name == name; });
  return it == std::end(kOperators) ? nullptr : &*it;
}

}  // namespace warden
