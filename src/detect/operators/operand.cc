#include "detect/operators/operand.h"

namespace warden {

Result<std::string> SingleScalar(const Operand& operand, std::string_view op) {
  if (operand.is_list || operand.values.size() != 1) {
    return Status::InvalidArgument(std::string(op) + " takes one value, not a list");
  }
  return operand.values.front();
}

Status NonEmptyStrings(const Operand& operand, std::string_view op) {
  if (operand.values.empty()) {
    return Status::InvalidArgument(std::string(op) + " needs at least one string");
  }
  for (const auto& v : operand.values) {
    if (v.empty()) {
      return Status::InvalidArgument(std::string(op) + ": empty string would match every input");
    }
  }
  return Status::Ok();
}

Status DetectorOperand(const Operand& operand, std::string_view op) {
  auto v = SingleScalar(operand, op);
  if (!v.ok()) return v.status();
  if (*v != "true") {
    return Status::InvalidArgument(std::string(op) + " takes 'true', got '" + *v + "'");
  }
  return Status::Ok();
}

}  // namespace warden
