#include "detect/policy/bind.h"

#include <string>

#include "detect/operators/operator.h"
#include "detect/selectors/selector.h"
#include "detect/transforms/transform.h"

namespace warden {

namespace {

std::string KnownTransforms() {
  std::string out;
  for (const TransformDef& t : Transforms()) {
    if (!out.empty()) out += ", ";
    out += t.name;
  }
  return out;
}

// Under `length` only numeric comparisons make sense (and combinators of them).
bool OnlyComparisons(const Condition& c) {
  switch (c.kind) {
    case Condition::Kind::kOperator:
      return IsComparisonOperator(c.name);
    case Condition::Kind::kAnd:
    case Condition::Kind::kOr:
    case Condition::Kind::kNot:
      for (const auto& child : c.children) {
        if (!OnlyComparisons(child)) return false;
      }
      return true;
    default:
      return false;
  }
}

const char* DataKeyword(Condition::Kind kind) {
  switch (kind) {
    case Condition::Kind::kForOne:
      return "for_one";
    case Condition::Kind::kForAll:
      return "for_all";
    case Condition::Kind::kKey:
      return "key";
    case Condition::Kind::kValue:
      return "value";
    case Condition::Kind::kLength:
      return "length";
    default:
      return "";
  }
}

std::string KnownNames(bool selectors) {
  std::string out;
  if (selectors) {
    for (const Selector* s : Selectors()) {
      if (!out.empty()) out += ", ";
      out += s->name();
    }
  } else {
    for (const OperatorDef& d : Operators()) {
      if (!out.empty()) out += ", ";
      out += d.name;
    }
  }
  return out;
}

class Binder {
 public:
  explicit Binder(std::string_view policy_id) : policy_id_(policy_id) {}

  // `in_term`: the node sits under a selector, so it is data-level.
  Status Bind(Condition* c, const std::string& path, bool in_term, int depth) {
    if (depth > kMaxConditionDepth) {
      return Error(*c, path, "condition nested deeper than " + std::to_string(kMaxConditionDepth));
    }
    switch (c->kind) {
      case Condition::Kind::kAnd:
      case Condition::Kind::kOr: {
        if (c->children.empty()) return Error(*c, path, "empty list");
        const char* word = c->kind == Condition::Kind::kAnd ? "and" : "or";
        for (std::size_t i = 0; i < c->children.size(); ++i) {
          std::string child_path =
              c->implicit ? path : path + "." + word + "[" + std::to_string(i) + "]";
          WARDEN_RETURN_IF_ERROR(Bind(&c->children[i], child_path, in_term, depth + 1));
        }
        return Status::Ok();
      }
      case Condition::Kind::kNot:
        if (c->children.size() != 1) return Error(*c, path, "'not' takes exactly one condition");
        return Bind(&c->children[0], path + ".not", in_term, depth + 1);
      case Condition::Kind::kTerm: {
        const std::string here = path + "." + c->name;
        if (in_term) {
          return Error(*c, here,
                       "selector '" + c->name + "' cannot be nested inside another selector");
        }
        if (c->selector == nullptr) {
          c->selector = FindSelector(c->name);
          if (c->selector == nullptr) {
            std::string hint =
                FindOperator(c->name) != nullptr ? "; operators must sit under a selector" : "";
            return Error(
                *c, here,
                "unknown selector '" + c->name + "' (known: " + KnownNames(true) + ")" + hint);
          }
        }
        if (c->children.empty()) return Error(*c, here, "selector without operators");
        if (c->chain.empty() && !c->transforms.empty()) {
          if (c->transforms.size() > static_cast<std::size_t>(TransformChain::kMaxLength)) {
            return Error(*c, here + ".transforms",
                         "at most " + std::to_string(TransformChain::kMaxLength) +
                             " transforms per selector");
          }
          TransformChain chain;
          for (const auto& name : c->transforms) {
            const TransformDef* t = FindTransform(name);
            if (t == nullptr) {
              return Error(*c, here + ".transforms",
                           "unknown transform '" + name + "' (known: " + KnownTransforms() + ")");
            }
            chain.Append(t->id);
          }
          c->chain = chain;
        }
        for (auto& child : c->children) {
          WARDEN_RETURN_IF_ERROR(Bind(&child, here, /*in_term=*/true, depth + 1));
        }
        return Status::Ok();
      }
      case Condition::Kind::kForOne:
      case Condition::Kind::kForAll:
      case Condition::Kind::kKey:
      case Condition::Kind::kValue:
      case Condition::Kind::kLength: {
        const std::string here = path + "." + DataKeyword(c->kind);
        if (!in_term) {
          return Error(*c, here,
                       std::string("'") + DataKeyword(c->kind) + "' must sit under a selector");
        }
        if (c->children.empty()) return Error(*c, here, "empty condition");
        if (c->kind == Condition::Kind::kLength) {
          for (const auto& child : c->children) {
            if (!OnlyComparisons(child)) {
              return Error(child, here,
                           "'length' takes numeric comparisons (eq, neq, gt, gte, lt, lte)");
            }
          }
        }
        for (auto& child : c->children) {
          WARDEN_RETURN_IF_ERROR(Bind(&child, here, /*in_term=*/true, depth + 1));
        }
        return Status::Ok();
      }
      case Condition::Kind::kOperator: {
        const std::string here = path + "." + c->name;
        if (!in_term) {
          return Error(*c, here, "operator '" + c->name + "' must sit under a selector");
        }
        if (c->op != nullptr) return Status::Ok();
        const OperatorDef* def = FindOperator(c->name);
        if (def == nullptr) {
          std::string hint = FindSelector(c->name) != nullptr
                                 ? "; selectors cannot be nested inside another selector"
                                 : "";
          return Error(
              *c, here,
              "unknown operator '" + c->name + "' (known: " + KnownNames(false) + ")" + hint);
        }
        auto op = def->make(c->operand);
        if (!op.ok()) return Error(*c, here, op.status().message());
        c->op = std::move(op).value();
        c->negated = c->op->negated();
        return Status::Ok();
      }
    }
    return Error(*c, path, "unknown node kind");
  }

 private:
  Status Error(const Condition& c, const std::string& path, const std::string& what) const {
    return PolicyError(c.mark, policy_id_, path, what);
  }

  std::string_view policy_id_;
};

}  // namespace

Status BindCondition(Condition* condition, std::string_view policy_id, std::string_view root) {
  return Binder(policy_id).Bind(condition, std::string(root), /*in_term=*/false, 0);
}

Status PolicyError(const SourceMark& mark, std::string_view policy_id, std::string_view field,
                   std::string_view what) {
  std::string msg = mark.ToString();
  if (msg.empty()) msg = "<policy>";
  msg += ": ";
  if (!policy_id.empty()) {
    msg += "policy ";
    msg += policy_id;
    msg += ": ";
  }
  if (!field.empty()) {
    msg += field;
    msg += ": ";
  }
  msg += what;
  return Status::InvalidArgument(std::move(msg), std::string(field));
}

}  // namespace warden
