#include "detect/policy/policy.h"

namespace warden {

std::string SourceMark::ToString() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line);
}

Condition Condition::Term(std::string selector_name, std::vector<Condition> children) {
  Condition c;
  c.kind = Kind::kTerm;
  c.name = std::move(selector_name);
  c.children = std::move(children);
  return c;
}

Condition Condition::Op(std::string operator_name, Operand operand) {
  Condition c;
  c.kind = Kind::kOperator;
  c.name = std::move(operator_name);
  c.operand = std::move(operand);
  return c;
}

Condition Condition::All(std::vector<Condition> children) {
  Condition c;
  c.kind = Kind::kAnd;
  c.children = std::move(children);
  return c;
}

Condition Condition::Any(std::vector<Condition> children) {
  Condition c;
  c.kind = Kind::kOr;
  c.children = std::move(children);
  return c;
}

Condition Condition::Not(Condition child) {
  Condition c;
  c.kind = Kind::kNot;
  c.children.push_back(std::move(child));
  return c;
}

}  // namespace warden
