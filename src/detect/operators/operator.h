#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "detect/policy/policy.h"

namespace warden {

// A pattern that must occur in any string an operator matches. The Hyperscan prefilter puts
// these into one database per field class and confirms only candidates with the operator itself.
struct PrefilterPattern {
  std::string expression;  // a regex (RE2 syntax; Hyperscan compiles it with HS_FLAG_PREFILTER)
  bool literal = false;    // `expression` is a plain string, not a regex
};

// An Operator is a compiled data operator (`regex`, `eq`, ...): a test on one string. Built once
// at load by its factory from the YAML operand; immutable and thread-safe afterwards, shared by
// every copy of the policy that holds it.
class Operator {
 public:
  virtual ~Operator() = default;

  // True when `input` satisfies the operator's positive test. On true, when `matched` is not
  // null, it is set to the fragment of `input` that matched (a sub-view of `input`). Never throws;
  // any bytes are valid input.
  virtual bool Match(std::string_view input, std::string_view* matched) const = 0;

  // Negative operators (`neq`, `not_contains`) implement their positive form in Match(); the
  // evaluator negates over all parts of a term: "no part contains x".
  virtual bool negated() const { return false; }

  // Patterns one of which occurs in every input Match() accepts, or empty when the operator
  // cannot name any (numeric compares, negated operators, detectors). Only the prefilter reads
  // this.
  virtual std::vector<PrefilterPattern> Prefilter() const { return {}; }

  // Why `fragment` (what Match() returned) matched, for operators whose verdict is more than a
  // pattern hit: the built-in detectors name the SQL fingerprint or the XSS context. Empty for
  // the others. Called only when a finding is made.
  virtual std::string Explain(std::string_view /*fragment*/) const { return {}; }

  // True when Match() costs enough that remembering its verdict per text pays (regexes, the
  // detectors). Its verdict must depend on the input's bytes alone: the evaluator may answer a
  // text from what Match() said of the same bytes in an earlier scan of the same policy set.
  virtual bool Memoizable() const { return false; }
  // For a Memoizable() operator: a key naming what it tests, equal for operators that answer
  // every input alike (a regex: its pattern), so that their leaves share remembered verdicts.
  // Empty: the operator shares with no other.
  virtual std::string MemoKey() const { return {}; }

  // Size of the program Match() runs, for operators that compile one (a regex: RE2's
  // instruction count); 0 for the others. `warden policy lint` reports large ones.
  virtual std::size_t ProgramSize() const { return 0; }
};

// Builds an operator from its YAML operand. Fails with InvalidArgument and a message without
// location (the caller adds file, line and policy id) when the operand is not acceptable.
using OperatorFactory = Result<std::unique_ptr<Operator>> (*)(const Operand& operand);

// One row of the operator table.
struct OperatorDef {
  std::string_view name;  // the YAML key, e.g. "contains_either"
  OperatorFactory make;
};

// The table of data operators, in a fixed order. Thread-safe.
std::span<const OperatorDef> Operators();
// The operator named `name`, or nullptr.
const OperatorDef* FindOperator(std::string_view name);

// Factories of the built-in operators, one file each under operators/.
Result<std::unique_ptr<Operator>> MakeRegexOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeContainsEitherOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeContainsAllOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeNotContainsOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeEqOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeNeqOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeGtOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeGteOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeLtOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeLteOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeNotContainsEitherOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeContainsEitherCidrOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeNotContainsCidrOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeSqliOperator(const Operand& operand);
Result<std::unique_ptr<Operator>> MakeXssOperator(const Operand& operand);

// The operators that compare numbers (and so may sit under `length`).
bool IsComparisonOperator(std::string_view name);

}  // namespace warden
