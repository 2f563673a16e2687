#include "detect/policy/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>
#include <string>
#include <unordered_map>

#include "common/strings.h"
#include "detect/operators/operator.h"
#include "detect/policy/bind.h"
#include "detect/selectors/selector.h"

namespace warden {

namespace {

// Bounds on what one policy may expand to. YAML aliases let a small file describe a huge tree;
// these keep loading linear in practice.
constexpr int kMaxConditionNodes = 10000;
constexpr std::size_t kMaxTestVectors = 1000;
constexpr std::size_t kMaxTestHeaders = 256;

using KeyFn = std::function<Status(const std::string& key, const YAML::Node& key_node,
                                   const YAML::Node& value)>;

// Turns one YAML document into a Policy. Reports errors through PolicyError with the line of the
// node concerned; the policy id is added to messages once known.
class DocParser {
 public:
  DocParser(std::string_view source, int line_offset)
      : source_(source), line_offset_(line_offset) {}

  Status Parse(const YAML::Node& doc, Policy* policy);

 private:
  SourceMark MarkOf(const YAML::Node& n) const {
    SourceMark m;
    m.file = std::string(source_);
    const YAML::Mark mk = n.Mark();
    m.line = mk.is_null() ? 0 : line_offset_ + mk.line + 1;
    return m;
  }

  Status Err(const YAML::Node& n, std::string_view field, std::string_view what) const {
    return PolicyError(MarkOf(n), id_, field, what);
  }

  // Iterates a map, requiring scalar, unique keys.
  Status ForEachKey(const YAML::Node& map, std::string_view field, const KeyFn& fn) const {
    if (!map.IsMap()) return Err(map, field, "expected a map");
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      // The iterator yields a temporary pair; copy the (cheap, shared) node handles out of it.
      const YAML::Node k = it->first;
      const YAML::Node v = it->second;
      if (!k.IsScalar()) return Err(k, field, "map keys must be plain strings");
      const std::string key = k.Scalar();
      if (!seen.insert(key).second) return Err(k, field, "duplicate key '" + key + "'");
      WARDEN_RETURN_IF_ERROR(fn(key, k, v));
    }
    return Status::Ok();
  }

  Status Text(const YAML::Node& n, std::string_view field, std::string* out) const {
    if (!n.IsScalar()) return Err(n, field, "expected a string");
    *out = n.Scalar();
    return Status::Ok();
  }

  // A scalar or a list of scalars.
  Status TextList(const YAML::Node& n, std::string_view field,
                  std::vector<std::string>* out) const {
    out->clear();
    if (n.IsNull()) return Status::Ok();
    if (n.IsScalar()) {
      out->push_back(n.Scalar());
      return Status::Ok();
    }
    if (!n.IsSequence()) return Err(n, field, "expected a string or a list of strings");
    for (const auto& item : n) {
      if (!item.IsScalar()) return Err(item, field, "expected a list of strings");
      out->push_back(item.Scalar());
    }
    return Status::Ok();
  }

  Status Int(const YAML::Node& n, std::string_view field, std::int64_t min, std::int64_t max,
             std::int64_t* out) const {
    if (!n.IsScalar()) return Err(n, field, "expected a number");
    std::optional<std::int64_t> v = ParseInt64(n.Scalar());
    if (!v.has_value() || *v < min || *v > max) {
      return Err(n, field,
                 "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
                     "], got '" + n.Scalar() + "'");
    }
    *out = *v;
    return Status::Ok();
  }

  Status ParseInfo(const YAML::Node& n, PolicyInfo* info) const;
  Status ParseAggregation(const YAML::Node& n, std::vector<AggregationRule>* out) const;
  Status ParseTests(const YAML::Node& n, std::vector<PolicyTestVector>* out) const;
  Status ParseHeaders(const YAML::Node& n, const std::string& field, Headers* out) const;
  Status ParseTerms(const YAML::Node& n, const std::string& path, int depth, Condition* out);
  // `transforms` is where a `transforms:` key goes; null where the key is not allowed (only the
  // map directly under a selector takes it).
  Status ParseOps(const YAML::Node& n, const std::string& path, int depth, Condition* out,
                  std::vector<std::string>* transforms);
  Status ParseOperand(const YAML::Node& key, const YAML::Node& n, const std::string& path,
                      Operand* out) const;
  Status CountNode(const YAML::Node& n, const std::string& path);

  std::string_view source_;
  int line_offset_;  // lines of the file before this document
  std::string id_;
  int nodes_ = 0;
};

Status DocParser::CountNode(const YAML::Node& n, const std::string& path) {
  if (++nodes_ > kMaxConditionNodes) {
    return Err(n, path,
               "policy has more than " + std::to_string(kMaxConditionNodes) + " condition nodes");
  }
  return Status::Ok();
}

Status DocParser::ParseOperand(const YAML::Node& key, const YAML::Node& n, const std::string& path,
                               Operand* out) const {
  if (n.IsScalar()) {
    out->values = {n.Scalar()};
    out->is_list = false;
    return Status::Ok();
  }
  if (n.IsSequence()) {
    out->is_list = true;
    for (const auto& item : n) {
      if (!item.IsScalar()) return Err(item, path, "operator values must be strings or numbers");
      out->values.push_back(item.Scalar());
    }
    return Status::Ok();
  }
  // A null value has no position of its own (yaml-cpp marks the next token): point at the key.
  if (n.IsNull()) return Err(key, path, "operator without a value");
  return Err(n, path, "operator value must be a string, a number or a list of them");
}

// Data level: the map under a selector. Keys are `and`/`or`/`not`, the collection operators
// `for_one`/`for_all`/`key`/`value`, `length`, operator names, and (directly under the selector
// only) `transforms`.
Status DocParser::ParseOps(const YAML::Node& n, const std::string& path, int depth, Condition* out,
                           std::vector<std::string>* transforms) {
  if (depth > kMaxConditionDepth) return Err(n, path, "condition nested too deeply");
  WARDEN_RETURN_IF_ERROR(CountNode(n, path));
  if (!n.IsMap()) {
    return Err(n, path, "expected a map of operators, e.g. {regex: \"...\"}");
  }
  std::vector<Condition> children;
  bool has_transforms = false;
  WARDEN_RETURN_IF_ERROR(ForEachKey(
      n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) -> Status {
        const std::string here = path + "." + key;
        Condition c;
        if (key == "transforms") {
          if (transforms == nullptr) {
            return Err(k, here, "'transforms' must sit directly under a selector");
          }
          WARDEN_RETURN_IF_ERROR(TextList(v, here, transforms));
          if (transforms->empty()) return Err(k, here, "empty transform list");
          has_transforms = true;
          return Status::Ok();
        }
        if (key == "and" || key == "or") {
          c.kind = key == "and" ? Condition::Kind::kAnd : Condition::Kind::kOr;
          if (!v.IsSequence()) return Err(v, here, "expected a list of conditions");
          std::size_t i = 0;
          for (const auto& item : v) {
            Condition child;
            WARDEN_RETURN_IF_ERROR(
                ParseOps(item, here + "[" + std::to_string(i++) + "]", depth + 1, &child, nullptr));
            c.children.push_back(std::move(child));
          }
        } else if (key == "not") {
          c.kind = Condition::Kind::kNot;
          Condition child;
          WARDEN_RETURN_IF_ERROR(ParseOps(v, here, depth + 1, &child, nullptr));
          c.children.push_back(std::move(child));
        } else if (key == "for_one" || key == "for_all" || key == "key" || key == "value" ||
                   key == "length") {
          c.kind = key == "for_one"   ? Condition::Kind::kForOne
                   : key == "for_all" ? Condition::Kind::kForAll
                   : key == "key"     ? Condition::Kind::kKey
                   : key == "value"   ? Condition::Kind::kValue
                                      : Condition::Kind::kLength;
          Condition inner;
          WARDEN_RETURN_IF_ERROR(ParseOps(v, here, depth + 1, &inner, nullptr));
          // Sibling keys inside are this node's children (AND-ed).
          if (inner.kind == Condition::Kind::kAnd && inner.implicit) {
            c.children = std::move(inner.children);
          } else {
            c.children.push_back(std::move(inner));
          }
        } else {
          if (FindOperator(key) == nullptr && FindSelector(key) != nullptr) {
            return Err(k, here, "selector '" + key + "' cannot be nested inside another selector");
          }
          c.kind = Condition::Kind::kOperator;
          c.name = key;
          WARDEN_RETURN_IF_ERROR(CountNode(v, here));
          WARDEN_RETURN_IF_ERROR(ParseOperand(k, v, here, &c.operand));
        }
        c.mark = MarkOf(k);
        children.push_back(std::move(c));
        return Status::Ok();
      }));
  if (children.empty()) {
    return Err(n, path, has_transforms ? "transforms without operators" : "empty condition");
  }
  if (children.size() == 1) {
    *out = std::move(children.front());
  } else {
    *out = Condition::All(std::move(children));
    out->implicit = true;
    out->mark = out->children.front().mark;
  }
  return Status::Ok();
}

// Term level: `filter`, `ignore`, and items of `and`/`or` lists. Keys are `and`/`or`/`not` or
// selector names.
Status DocParser::ParseTerms(const YAML::Node& n, const std::string& path, int depth,
                             Condition* out) {
  if (depth > kMaxConditionDepth) return Err(n, path, "condition nested too deeply");
  WARDEN_RETURN_IF_ERROR(CountNode(n, path));
  if (!n.IsMap()) return Err(n, path, "expected a map of selectors, e.g. {url: {regex: \"...\"}}");
  std::vector<Condition> children;
  WARDEN_RETURN_IF_ERROR(ForEachKey(
      n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) -> Status {
        const std::string here = path + "." + key;
        Condition c;
        if (key == "and" || key == "or") {
          c.kind = key == "and" ? Condition::Kind::kAnd : Condition::Kind::kOr;
          if (!v.IsSequence()) return Err(v, here, "expected a list of conditions");
          std::size_t i = 0;
          for (const auto& item : v) {
            Condition child;
            WARDEN_RETURN_IF_ERROR(
                ParseTerms(item, here + "[" + std::to_string(i++) + "]", depth + 1, &child));
            c.children.push_back(std::move(child));
          }
        } else if (key == "not") {
          c.kind = Condition::Kind::kNot;
          Condition child;
          WARDEN_RETURN_IF_ERROR(ParseTerms(v, here, depth + 1, &child));
          c.children.push_back(std::move(child));
        } else {
          if (FindSelector(key) == nullptr && FindOperator(key) != nullptr) {
            return Err(k, here, "operator '" + key + "' must sit under a selector");
          }
          c.kind = Condition::Kind::kTerm;
          c.name = key;
          Condition ops;
          WARDEN_RETURN_IF_ERROR(ParseOps(v, here, depth + 1, &ops, &c.transforms));
          // Sibling operators under one selector are the selector's children (AND-ed).
          if (ops.kind == Condition::Kind::kAnd && ops.implicit) {
            c.children = std::move(ops.children);
          } else {
            c.children.push_back(std::move(ops));
          }
        }
        c.mark = MarkOf(k);
        children.push_back(std::move(c));
        return Status::Ok();
      }));
  if (children.empty()) return Err(n, path, "empty condition");
  if (children.size() == 1) {
    *out = std::move(children.front());
  } else {
    *out = Condition::All(std::move(children));
    out->implicit = true;
    out->mark = out->children.front().mark;
  }
  return Status::Ok();
}

Status DocParser::ParseInfo(const YAML::Node& n, PolicyInfo* info) const {
  return ForEachKey(
      n, "info", [&](const std::string& key, const YAML::Node&, const YAML::Node& v) -> Status {
        const std::string field = "info." + key;
        if (key == "name") return Text(v, field, &info->name);
        if (key == "description") return Text(v, field, &info->description);
        if (key == "details") return Text(v, field, &info->details);
        if (key == "impact") return Text(v, field, &info->impact);
        if (key == "remediation") return Text(v, field, &info->remediation);
        if (key == "subCategory") return Text(v, field, &info->category.sub_category);
        if (key == "severity") {
          std::string s;
          WARDEN_RETURN_IF_ERROR(Text(v, field, &s));
          std::optional<Severity> sev = ParseSeverity(s);
          if (!sev.has_value()) {
            return Err(v, field, "unknown severity '" + s + "' (LOW, MEDIUM, HIGH, CRITICAL)");
          }
          info->severity = *sev;
          return Status::Ok();
        }
        if (key == "category") {
          return ForEachKey(
              v, field,
              [&](const std::string& ck, const YAML::Node&, const YAML::Node& cv) -> Status {
                if (ck == "name") return Text(cv, field + ".name", &info->category.name);
                if (ck == "displayName") {
                  return Text(cv, field + ".displayName", &info->category.display_name);
                }
                return Status::Ok();
              });
        }
        if (key == "tags") return TextList(v, field, &info->tags);
        if (key == "references") return TextList(v, field, &info->references);
        if (key == "cwe") {
          WARDEN_RETURN_IF_ERROR(TextList(v, field, &info->cwe));
          info->category.cwe = info->cwe;
          return Status::Ok();
        }
        if (key == "cve") return TextList(v, field, &info->cve);
        if (key == "owasp_api_2023") return TextList(v, field, &info->category.owasp_api_2023);
        if (key == "owasp_2021") return TextList(v, field, &info->category.owasp_2021);
        return Status::Ok();  // Akto has more (compliance, ...); unknown info keys are tolerated.
      });
}

Status DocParser::ParseAggregation(const YAML::Node& n, std::vector<AggregationRule>* out) const {
  if (!n.IsSequence()) return Err(n, "aggregation_rules", "expected a list");
  std::size_t i = 0;
  for (const auto& item : n) {
    const std::string field = "aggregation_rules[" + std::to_string(i++) + "]";
    AggregationRule rule;
    rule.mark = MarkOf(item);
    bool has_rule = false;
    bool has_count = false;
    bool has_window = false;
    // The counting keys are read where Akto writes them (`rule.condition`) and also directly
    // under `rule`. Akto's `post_aggregate_condition` is tolerated: Akto never evaluates it.
    auto counting_key = [&](const std::string& at, const std::string& ck,
                            const YAML::Node& cv) -> Status {
      const std::string f = at + "." + ck;
      std::int64_t x = 0;
      if (ck == "matchCount") {
        WARDEN_RETURN_IF_ERROR(Int(cv, f, 1, 1 << 30, &x));
        rule.match_count = static_cast<int>(x);
        has_count = true;
      } else if (ck == "windowThreshold") {
        WARDEN_RETURN_IF_ERROR(Int(cv, f, 1, 7 * 24 * 60, &x));
        rule.window_minutes = static_cast<int>(x);
        has_window = true;
      } else if (ck == "incrementFilter" || ck == "thresholdBreachFilter") {
        std::string name;
        WARDEN_RETURN_IF_ERROR(Text(cv, f, &name));
        if (name != "success_filter" && name != "failure_filter") {
          return Err(cv, f, "'" + name + "' (use success_filter or failure_filter)");
        }
        (ck == "incrementFilter" ? rule.increment_filter : rule.threshold_breach_filter) = name;
      } else if (ck == "distinctIdentifier") {
        AggregationDistinct d;
        bool has_distinct_count = false;
        WARDEN_RETURN_IF_ERROR(ForEachKey(
            cv, f, [&](const std::string& dk, const YAML::Node&, const YAML::Node& dv) -> Status {
              if (dk == "count") {
                std::int64_t c = 0;
                WARDEN_RETURN_IF_ERROR(Int(dv, f + ".count", 1, 1 << 20, &c));
                d.count = static_cast<int>(c);
                has_distinct_count = true;
                return Status::Ok();
              }
              if (dk == "source") return Text(dv, f + ".source", &d.source);
              if (dk == "key") return Text(dv, f + ".key", &d.key);
              return Err(dv, f + "." + dk, "unknown key (count, source, key)");
            }));
        if (!has_distinct_count) return Err(cv, f, "needs count");
        if (d.source != "request_payload" && d.source != "response_payload" &&
            d.source != "request_headers" && d.source != "query_param") {
          return Err(cv, f + ".source",
                     "'" + d.source +
                         "' (use request_payload, response_payload, request_headers or "
                         "query_param)");
        }
        if (d.key.empty()) return Err(cv, f + ".key", "missing");
        rule.distinct = std::move(d);
      }
      return Status::Ok();
    };
    WARDEN_RETURN_IF_ERROR(ForEachKey(
        item, field, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) -> Status {
          if (key != "rule") return Status::Ok();
          has_rule = true;
          return ForEachKey(
              v, field + ".rule",
              [&](const std::string& rk, const YAML::Node&, const YAML::Node& rv) -> Status {
                if (rk == "name") return Text(rv, field + ".rule.name", &rule.name);
                if (rk != "condition") return counting_key(field + ".rule", rk, rv);
                return ForEachKey(
                    rv, field + ".rule.condition",
                    [&](const std::string& ck, const YAML::Node&, const YAML::Node& cv) -> Status {
                      return counting_key(field + ".rule.condition", ck, cv);
                    });
              });
        }));
    if (!has_rule) return Err(item, field, "missing 'rule'");
    if ((!has_count && !rule.distinct) || !has_window) {
      return Err(item, field,
                 "rule needs condition.windowThreshold and condition.matchCount (or "
                 "condition.distinctIdentifier)");
    }
    out->push_back(std::move(rule));
  }
  return Status::Ok();
}

Status DocParser::ParseHeaders(const YAML::Node& n, const std::string& field, Headers* out) const {
  if (n.IsNull()) return Status::Ok();
  return ForEachKey(
      n, field, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) -> Status {
        if (out->size() >= kMaxTestHeaders) return Err(k, field, "too many headers");
        std::string value;
        if (!v.IsNull()) WARDEN_RETURN_IF_ERROR(Text(v, field + "." + key, &value));
        out->push_back({key, std::move(value)});
        return Status::Ok();
      });
}

Status DocParser::ParseTests(const YAML::Node& n, std::vector<PolicyTestVector>* out) const {
  if (!n.IsSequence()) return Err(n, "tests", "expected a list");
  if (n.size() > kMaxTestVectors) return Err(n, "tests", "too many test vectors");
  std::size_t i = 0;
  for (const auto& item : n) {
    const std::string field = "tests[" + std::to_string(i++) + "]";
    PolicyTestVector t;
    t.mark = MarkOf(item);
    bool has_expect = false;
    bool has_request = false;
    WARDEN_RETURN_IF_ERROR(ForEachKey(
        item, field, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) -> Status {
          const std::string here = field + "." + key;
          if (key == "name") return Text(v, here, &t.name);
          if (key == "expect") {
            std::string e;
            WARDEN_RETURN_IF_ERROR(Text(v, here, &e));
            if (e != "match" && e != "no_match") {
              return Err(v, here, "expected 'match' or 'no_match', got '" + e + "'");
            }
            t.expect_match = e == "match";
            has_expect = true;
            return Status::Ok();
          }
          if (key == "expect_success") {
            std::string e;
            WARDEN_RETURN_IF_ERROR(Text(v, here, &e));
            if (e != "true" && e != "false") {
              return Err(v, here, "expected true or false, got '" + e + "'");
            }
            t.expect_success = e == "true";
            return Status::Ok();
          }
          if (key == "request") {
            has_request = true;
            return ForEachKey(v, here,
                              [&](const std::string& rk, const YAML::Node&, const YAML::Node& rv) {
                                const std::string f = here + "." + rk;
                                if (rk == "method") return Text(rv, f, &t.method);
                                if (rk == "url") return Text(rv, f, &t.url);
                                if (rk == "body")
                                  return rv.IsNull() ? Status::Ok() : Text(rv, f, &t.request_body);
                                if (rk == "headers") return ParseHeaders(rv, f, &t.request_headers);
                                return Err(rv, f, "unknown key (method, url, headers, body)");
                              });
          }
          if (key == "response") {
            t.has_response = true;
            return ForEachKey(v, here,
                              [&](const std::string& rk, const YAML::Node&, const YAML::Node& rv) {
                                const std::string f = here + "." + rk;
                                if (rk == "status") {
                                  std::int64_t s = 0;
                                  WARDEN_RETURN_IF_ERROR(Int(rv, f, 100, 999, &s));
                                  t.response_status = static_cast<int>(s);
                                  return Status::Ok();
                                }
                                if (rk == "body")
                                  return rv.IsNull() ? Status::Ok() : Text(rv, f, &t.response_body);
                                if (rk == "headers")
                                  return ParseHeaders(rv, f, &t.response_headers);
                                return Err(rv, f, "unknown key (status, headers, body)");
                              });
          }
          return Err(v, here, "unknown key (name, request, response, expect, expect_success)");
        }));
    if (t.name.empty()) return Err(item, field, "test vector needs a name");
    if (!has_request) return Err(item, field, "test vector needs a request");
    if (!has_expect) return Err(item, field, "test vector needs 'expect: match|no_match'");
    if (t.expect_success.has_value() && !t.expect_match) {
      return Err(item, field, "expect_success needs 'expect: match'");
    }
    out->push_back(std::move(t));
  }
  return Status::Ok();
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char ch) {
    unsigned char c = static_cast<unsigned char>(ch);
    return IsAsciiAlnum(c) || c == '_' || c == '-' || c == '.' || c == ':';
  });
}

Status DocParser::Parse(const YAML::Node& doc, Policy* policy) {
  if (!doc.IsMap()) return Err(doc, "", "a policy document must be a map");
  // The id goes into every later message, so read it first.
  YAML::Node id_node;
  bool has_id = false;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const YAML::Node k = it->first;
    if (k.IsScalar() && k.Scalar() == "id") {
      id_node = it->second;
      has_id = true;
    }
  }
  if (!has_id) return Err(doc, "id", "document has no 'id'");
  WARDEN_RETURN_IF_ERROR(Text(id_node, "id", &policy->id));
  if (!ValidId(policy->id)) {
    return Err(id_node, "id",
               "id must be 1-128 characters of [A-Za-z0-9_.:-], got '" + policy->id + "'");
  }
  id_ = policy->id;
  policy->source = MarkOf(id_node);

  bool has_filter = false;
  WARDEN_RETURN_IF_ERROR(ForEachKey(
      doc, "", [&](const std::string& key, const YAML::Node&, const YAML::Node& v) -> Status {
        if (key == "id") return Status::Ok();
        if (key == "filter") {
          has_filter = true;
          return ParseTerms(v, key, 0, &policy->filter);
        }
        if (key == "ignore") return ParseTerms(v, key, 0, &policy->ignore.emplace());
        if (key == "success_filter")
          return ParseTerms(v, key, 0, &policy->success_filter.emplace());
        if (key == "failure_filter")
          return ParseTerms(v, key, 0, &policy->failure_filter.emplace());
        if (key == "success") return ParseTerms(v, key, 0, &policy->success.emplace());
        if (key == "info") return ParseInfo(v, &policy->info);
        if (key == "aggregation_rules") {
          return v.IsNull() ? Status::Ok() : ParseAggregation(v, &policy->aggregation_rules);
        }
        if (key == "tests") return v.IsNull() ? Status::Ok() : ParseTests(v, &policy->tests);
        if (key == "mode") {
          std::string m;
          WARDEN_RETURN_IF_ERROR(Text(v, key, &m));
          if (m == "enforce") {
            policy->mode = PolicyMode::kEnforce;
          } else if (m == "monitor") {
            policy->mode = PolicyMode::kMonitor;
          } else {
            return Err(v, key, "mode must be 'enforce' or 'monitor', got '" + m + "'");
          }
          return Status::Ok();
        }
        // Akto keys that only its test editor reads.
        if (key == "wordLists" || key == "execute") return Status::Ok();
        return Err(v, key,
                   "unknown top-level key '" + key +
                       "' (id, filter, ignore, success, success_filter, failure_filter, info, "
                       "aggregation_rules, mode, tests)");
      }));

  if (!has_filter) {
    std::vector<Condition> alternatives;
    if (policy->success_filter.has_value()) alternatives.push_back(*policy->success_filter);
    if (policy->failure_filter.has_value()) alternatives.push_back(*policy->failure_filter);
    if (alternatives.empty()) return Err(doc, "filter", "policy has no 'filter'");
    policy->filter = alternatives.size() == 1 ? std::move(alternatives.front())
                                              : Condition::Any(std::move(alternatives));
  }
  WARDEN_RETURN_IF_ERROR(BindCondition(&policy->filter, id_, "filter"));
  if (policy->ignore.has_value()) {
    WARDEN_RETURN_IF_ERROR(BindCondition(&*policy->ignore, id_, "ignore"));
  }
  if (policy->success_filter.has_value()) {
    WARDEN_RETURN_IF_ERROR(BindCondition(&*policy->success_filter, id_, "success_filter"));
  }
  if (policy->failure_filter.has_value()) {
    WARDEN_RETURN_IF_ERROR(BindCondition(&*policy->failure_filter, id_, "failure_filter"));
  }
  if (policy->success.has_value()) {
    WARDEN_RETURN_IF_ERROR(BindCondition(&*policy->success, id_, "success"));
  }
  return Status::Ok();
}

struct DocumentText {
  std::string text;
  int first_line = 0;  // 0-based line of `text` in the file
};

bool HasContent(std::string_view line) {
  std::string_view t = TrimSpace(line);
  return !t.empty() && t.front() != '#' && t.front() != '%';
}

// Splits a YAML stream at document markers ("---" or "..." at the start of a line), keeping
// comment- and directive-only pieces with the document that follows. yaml-cpp 0.7's LoadAll can
// loop forever on some malformed streams (a document that starts with ','); loading each piece
// with YAML::Load, which parses one document, avoids that loop.
std::vector<DocumentText> SplitDocuments(std::string_view text) {
  std::vector<DocumentText> docs;
  DocumentText current;
  bool has_content = false;
  bool has_marker = false;  // `current` already starts with "---"
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
    std::string_view line = text.substr(pos, next - pos);
    const bool start_marker =
        line.substr(0, 3) == "---" &&
        (line.size() == 3 || IsAsciiSpace(static_cast<unsigned char>(line[3])));
    const bool end_marker = line.substr(0, 3) == "..." &&
                            (line.size() == 3 || IsAsciiSpace(static_cast<unsigned char>(line[3])));
    if ((start_marker || end_marker) && (has_content || has_marker)) {
      // An empty document ("---" right after "---") is dropped.
      if (has_content) docs.push_back(std::move(current));
      current = DocumentText{.text = {}, .first_line = line_no};
      has_content = false;
      has_marker = false;
    }
    has_marker = has_marker || start_marker;
    if (current.text.empty()) current.first_line = line_no;
    if (end_marker) {
      current.text += '\n';  // keep line numbers; the marker itself ends nothing more
    } else {
      current.text.append(line);
      if (start_marker) {
        has_content = has_content || HasContent(line.substr(3));
      } else {
        has_content = has_content || HasContent(line);
      }
    }
    ++line_no;
    pos = next;
  }
  if (has_content) docs.push_back(std::move(current));
  return docs;
}

}  // namespace

Result<std::vector<Policy>> ParsePolicies(std::string_view yaml_text,
                                          std::string_view source_name) {
  std::vector<Policy> out;
  for (const DocumentText& piece : SplitDocuments(yaml_text)) {
    try {
      YAML::Node doc = YAML::Load(piece.text);
      Policy p;
      DocParser parser(source_name, piece.first_line);
      if (doc.IsNull()) {
        return PolicyError(
            SourceMark{.file = std::string(source_name), .line = piece.first_line + 1}, "", "",
            "a policy document must be a map");
      }
      WARDEN_RETURN_IF_ERROR(parser.Parse(doc, &p));
      out.push_back(std::move(p));
    } catch (const YAML::Exception& e) {
      SourceMark m{.file = std::string(source_name),
                   .line = e.mark.is_null() ? 0 : piece.first_line + e.mark.line + 1};
      return PolicyError(m, "", "", "invalid YAML: " + e.msg);
    } catch (const std::exception& e) {
      return PolicyError(SourceMark{.file = std::string(source_name), .line = piece.first_line + 1},
                         "", "", std::string("cannot load policy: ") + e.what());
    }
  }
  return out;
}

Result<std::vector<Policy>> LoadPolicyFile(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(name + ": cannot open policy file");
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxPolicyFileBytes) {
      return Status::InvalidArgument(name + ": policy file larger than " +
                                     std::to_string(kMaxPolicyFileBytes) + " bytes");
    }
  }
  if (in.bad()) return Status::IoError(name + ": read error");
  auto policies = ParsePolicies(text, name);
  if (!policies.ok()) return policies.status();
  if (policies->empty()) return Status::InvalidArgument(name + ": file holds no policy");
  return policies;
}

Result<std::vector<Policy>> LoadPolicies(const std::vector<std::filesystem::path>& dirs) {
  std::vector<Policy> all;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      return Status::NotFound(dir.string() + ": policy directory not found");
    }
    std::vector<std::filesystem::path> files;
    std::filesystem::recursive_directory_iterator it(dir, ec), end;
    if (ec) return Status::IoError(dir.string() + ": " + ec.message());
    for (; it != end; it.increment(ec)) {
      if (ec) return Status::IoError(dir.string() + ": " + ec.message());
      const auto& p = it->path();
      std::error_code fec;
      if (!it->is_regular_file(fec)) continue;
      if (p.extension() == ".yaml" || p.extension() == ".yml") files.push_back(p);
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto loaded = LoadPolicyFile(f);
      if (!loaded.ok()) return loaded.status();
      for (auto& p : *loaded) all.push_back(std::move(p));
    }
  }
  WARDEN_RETURN_IF_ERROR(CheckUniqueIds(all));
  return all;
}

Status CheckUniqueIds(const std::vector<Policy>& policies) {
  std::unordered_map<std::string_view, const Policy*> seen;
  for (const auto& p : policies) {
    auto [it, inserted] = seen.emplace(p.id, &p);
    if (!inserted) {
      return Status::AlreadyExists(p.source.ToString() + ": policy " + p.id +
                                   ": duplicate id, first defined at " +
                                   it->second->source.ToString());
    }
  }
  return Status::Ok();
}

}  // namespace warden
