#include "detect/detectors/sqli.h"

#include <string>

#include "detect/operators/operand.h"
#include "detect/operators/operator.h"

namespace warden {

namespace {

// `sqli: true`: the built-in SQL injection tokenizer (detectors/sqli.h) finds SQL structure in
// the value. The fragment is the whole value; Explain() names the fingerprint.
class SqliOperator final : public Operator {
 public:
  bool Memoizable() const override { return true; }

  bool Match(std::string_view input, std::string_view* matched) const override {
    if (!DetectSqli(input).matched) return false;
    if (matched != nullptr) *matched = input;
    return true;
  }

  std::string Explain(std::string_view fragment) const override {
    SqliMatch m = DetectSqli(fragment);
    if (!m.matched) return {};
    std::string out = "sqli: ";
    out += m.reason;
    out += ", fingerprint ";
    out += m.fingerprint;
    out += ", ";
    out += m.context;
    return out;
  }
};

}  // namespace

Result<std::unique_ptr<Operator>> MakeSqliOperator(const Operand& operand) {
  WARDEN_RETURN_IF_ERROR(DetectorOperand(operand, "sqli"));
  return std::unique_ptr<Operator>(std::make_unique<SqliOperator>());
}

}  // namespace warden
