#include "detect/detectors/xss.h"

#include <string>

#include "detect/operators/operand.h"
#include "detect/operators/operator.h"

namespace warden {

namespace {

// `xss: true`: the built-in XSS tokenizer (detectors/xss.h) finds markup or script that would
// run where the value lands. The fragment is the whole value; Explain() names the context.
class XssOperator final : public Operator {
 public:
  bool Memoizable() const override { return true; }

  bool Match(std::string_view input, std::string_view* matched) const override {
    if (!DetectXss(input).matched) return false;
    if (matched != nullptr) *matched = input;
    return true;
  }

  std::string Explain(std::string_view fragment) const override {
    XssMatch m = DetectXss(fragment);
    if (!m.matched) return {};
    std::string out = "xss: ";
    out += m.reason;
    out += ", ";
    out += m.context;
    return out;
  }
};

}  // namespace

Result<std::unique_ptr<Operator>> MakeXssOperator(const Operand& operand) {
  WARDEN_RETURN_IF_ERROR(DetectorOperand(operand, "xss"));
  return std::unique_ptr<Operator>(std::make_unique<XssOperator>());
}

}  // namespace warden
