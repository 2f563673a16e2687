#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "detect/transforms/transform.h"
#include "model/category.h"
#include "model/exchange.h"
#include "model/severity.h"

namespace warden {

class Operator;
class Selector;

// Where a piece of a policy was written: file name (or the name given to ParsePolicies) and a
// 1-based line. Line 0 means "not from a file" (a policy built in code).
struct SourceMark {
  std::string file;
  int line = 0;

  // "policies/xss.yaml:12", or the file alone when the line is unknown.
  std::string ToString() const;
};

// The literal value of a data operator as written in YAML: one scalar or a list of scalars.
// YAML numbers stay text here; operators parse them when they are built.
struct Operand {
  std::vector<std::string> values;
  bool is_list = false;
};

// One node of a condition tree (`filter`, `ignore`, `success`, ...). The grammar is Akto's
// test-editor filter language plus Warden's `not` and per-term `transforms`:
//
//   term level:  kAnd / kOr / kNot over term-level nodes, or kTerm (a selector: `url`, ...)
//   data level:  kAnd / kOr / kNot over data-level nodes, kOperator (`regex`, `eq`, ...),
//                kForOne / kForAll (`for_one`, `for_all`: some / every candidate satisfies all
//                children, tested one candidate at a time), kKey / kValue (`key`, `value`: the
//                children test only keys / only values), kLength (`length`: the children compare
//                the byte length of each value, or of each key under `key`)
//
// A kTerm's children are data-level and are AND-ed (sibling keys in YAML). A kOperator on a
// term tests every candidate (location, key, value) the selector yields and is true when any key
// or value of any candidate matches ("any part"); a negated operator (`neq`, `not_contains`) is
// true when no part satisfies its positive form. `for_all` over no candidates is false.
// A term's `transforms` rewrite every candidate key and value before its operators run.
//
// Plain value type. `selector`, `chain` and `op` are filled by BindCondition (the loader binds
// at load time, CompilePolicies binds anything left unbound); bound operators are immutable and
// shared.
struct Condition {
  enum class Kind {
    kAnd,
    kOr,
    kNot,
    kTerm,
    kOperator,
    kForOne,
    kForAll,
    kKey,
    kValue,
    kLength,
  };

  // What a scan reads comes first, together in the first 64 bytes: a scan walks thousands of
  // nodes.
  Kind kind = Kind::kAnd;
  // Set by CompilePolicies on the set's own copy: the prefilter requirement that must hold for
  // this node to match (an index into the set's gates), or -1. Meaningless elsewhere.
  std::int32_t prefilter_gate = -1;
  // Likewise, for a regex leaf the prefilter can rule out text by text: the regex's id there.
  std::int32_t prefilter_regex = -1;
  // Likewise, its slot in a scratch's VerdictCache, or -1: for a leaf whose operator is
  // Memoizable() (leaves whose operators have the same MemoKey() share one); for a data-level
  // OR of positive operators that all reject the empty text, the first of two (its verdict on a
  // key, then on a value, remembered whole per text; ORs of the same operators share them).
  std::int32_t memo_slot = -1;
  TransformChain chain;                 // kTerm, once bound
  // Set by CompilePolicies on the set's own copy, for a kTerm: whether its children hold over
  // no candidates at all (true only through negations, e.g. `not_contains`). A term whose
  // selector yields nothing is answered from it without walking the children.
  bool empty_verdict = false;
  bool negated = false;  // kOperator, once bound: op->negated(), read for every leaf tested
  const Selector* selector = nullptr;   // kTerm, once bound
  std::shared_ptr<const Operator> op;   // kOperator, once bound
  std::vector<Condition> children;      // kAnd/kOr: any number; kNot: exactly one; others: >= 1

  SourceMark mark;
  std::string name;  // selector name (kTerm) or operator name (kOperator); empty otherwise
  Operand operand;                      // kOperator only
  bool implicit = false;                // kAnd written as sibling keys of one YAML map
  std::vector<std::string> transforms;  // kTerm: the `transforms:` names, as written

  static Condition Term(std::string selector_name, std::vector<Condition> children);
  static Condition Op(std::string operator_name, Operand operand);
  static Condition All(std::vector<Condition> children);
  static Condition Any(std::vector<Condition> children);
  static Condition Not(Condition child);
};

// Akto's `info` block. Unknown keys in YAML are tolerated and dropped.
struct PolicyInfo {
  std::string name;
  std::string description;
  std::string details;
  std::string impact;
  std::string remediation;
  Category category;  // name, displayName, subCategory, owasp_api_2023, owasp_2021, cwe
  Severity severity = Severity::kHigh;  // Akto shows a missing severity as HIGH
  std::vector<std::string> tags;
  std::vector<std::string> references;
  std::vector<std::string> cwe;
  std::vector<std::string> cve;
};

// Akto's `distinctIdentifier`: count distinct values of `key` (a JSON/body key, query parameter or
// header name, per `source`) instead of matching requests.
struct AggregationDistinct {
  int count = 0;
  std::string source;  // request_payload, response_payload, request_headers, query_param
  std::string key;
};

// One entry of `aggregation_rules`: `matchCount` matches of this policy by one actor within
// `windowThreshold` one-minute bins fire an aggregated event (see behave/).
struct AggregationRule {
  std::string name;
  int match_count = 0;
  int window_minutes = 0;  // Akto `windowThreshold`
  // Akto `incrementFilter` / `thresholdBreachFilter`: "", "success_filter" or "failure_filter".
  std::string increment_filter;
  std::string threshold_breach_filter;
  std::optional<AggregationDistinct> distinct;
  SourceMark mark;
};

// `mode: monitor` policies are evaluated and produce findings marked monitor-only; they are never
// enforced (no blocking decisions).
enum class PolicyMode { kEnforce, kMonitor };

// A `tests:` vector next to the policy: one exchange and whether the policy must fire on it.
struct PolicyTestVector {
  std::string name;
  std::string method = "GET";
  std::string url = "/";  // path + optional query, as on the wire
  Headers request_headers;
  std::string request_body;
  bool has_response = false;
  int response_status = 0;
  Headers response_headers;
  std::string response_body;
  bool expect_match = false;
  // `expect_success: true|false`: whether the finding must be a successful exploit. Only with
  // `expect: match`.
  std::optional<bool> expect_success;
  SourceMark mark;
};

// A Policy is one threat policy as loaded from YAML: what to match (`filter`), what to exempt
// (`ignore`), how to describe and aggregate it. Plain value type; copying shares the bound
// (immutable) operators.
struct Policy {
  std::string id;
  PolicyInfo info;
  Condition filter;
  std::optional<Condition> ignore;
  // Akto's named alternatives to `filter`. When `filter` is absent the loader sets `filter` to
  // their disjunction; aggregation rules may refer to them by name later.
  std::optional<Condition> success_filter;
  std::optional<Condition> failure_filter;
  // Warden's `success`: evaluated only when `filter` matched and `ignore` did not; when it
  // matches, the finding is a successful exploit and carries the matched fragment as evidence.
  std::optional<Condition> success;
  PolicyMode mode = PolicyMode::kEnforce;
  std::vector<AggregationRule> aggregation_rules;
  std::vector<PolicyTestVector> tests;
  SourceMark source;  // where `id` is written
};

}  // namespace warden
