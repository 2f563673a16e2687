#include "detect/operators/compare.h"

#include <optional>
#include <string>
#include <vector>

#include "common/strings.h"
#include "detect/operators/operand.h"

namespace warden {

namespace {

struct Value {
  std::string text;
  std::optional<double> number;
};

class EqualityOperator final : public Operator {
 public:
  EqualityOperator(std::vector<Value> values, Equality which)
      : values_(std::move(values)), which_(which) {}

  bool Match(std::string_view input, std::string_view* matched) const override {
    std::optional<double> in_number;
    bool parsed = false;
    for (const auto& v : values_) {
      bool equal = false;
      if (v.number.has_value()) {
        if (!parsed) {
          in_number = ParseDouble(input);
          parsed = true;
        }
        equal = in_number.has_value() ? *in_number == *v.number : input == v.text;
      } else {
        equal = input == v.text;
      }
      if (equal) {
        if (matched != nullptr) *matched = input;
        return true;
      }
    }
    return false;
  }

  bool negated() const override { return which_ == Equality::kNotEqual; }

  std::vector<PrefilterPattern> Prefilter() const override {
    // A number may be written in several ways ("200", "200.0"), so only all-text operands give
    // literals.
    if (negated()) return {};
    std::vector<PrefilterPattern> out;
    for (const auto& v : values_) {
      if (v.number.has_value()) return {};
      out.push_back({.expression = v.text, .literal = true});
    }
    return out;
  }

 private:
  std::vector<Value> values_;
  Equality which_;
};

class OrderingOperator final : public Operator {
 public:
  OrderingOperator(double bound, Ordering which) : bound_(bound), which_(which) {}

  bool Match(std::string_view input, std::string_view* matched) const override {
    std::optional<double> x = ParseDouble(input);
    if (!x.has_value()) return false;
    bool ok = false;
    switch (which_) {
      case Ordering::kGreater:
        ok = *x > bound_;
        break;
      case Ordering::kGreaterOrEqual:
        ok = *x >= bound_;
        break;
      case Ordering::kLess:
        ok = *x < bound_;
        break;
      case Ordering::kLessOrEqual:
        ok = *x <= bound_;
        break;
    }
    if (ok && matched != nullptr) *matched = input;
    return ok;
  }

 private:
  double bound_;
  Ordering which_;
};

}  // namespace

Result<std::unique_ptr<Operator>> MakeEqualityOperator(const Operand& operand, Equality which) {
  if (operand.values.empty()) {
    return Status::InvalidArgument(std::string(which == Equality::kEqual ? "eq" : "neq") +
                                   " needs a value");
  }
  std::vector<Value> values;
  for (const auto& v : operand.values) values.push_back({v, ParseDouble(v)});
  return std::unique_ptr<Operator>(std::make_unique<EqualityOperator>(std::move(values), which));
}

Result<std::unique_ptr<Operator>> MakeOrderingOperator(const Operand& operand, Ordering which,
                                                       std::string_view name) {
  auto text = SingleScalar(operand, name);
  if (!text.ok()) return text.status();
  std::optional<double> bound = ParseDouble(*text);
  if (!bound.has_value()) {
    return Status::InvalidArgument(std::string(name) + " needs a number, got '" + *text + "'");
  }
  return std::unique_ptr<Operator>(std::make_unique<OrderingOperator>(*bound, which));
}

}  // namespace warden
