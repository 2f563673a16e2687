#include "detect/compile/prefilter.h"

#include <hs/hs.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <utility>

#include "common/strings.h"
#include "detect/compile/regex_atoms.h"
#include "detect/operators/operator.h"
#include "detect/policy/bind.h"

namespace warden {

namespace {

// Lays `count` lists end to end: list i becomes (*values)[(*begin)[i] .. (*begin)[i + 1]).
// `list_of(i)` gives list i.
template <typename T, typename ListOf>
void Flatten(std::size_t count, ListOf list_of, std::vector<std::uint32_t>* begin,
             std::vector<T>* values) {
  begin->assign(count + 1, 0);
  for (std::size_t i = 0; i < count; ++i) {
    (*begin)[i] = static_cast<std::uint32_t>(values->size());
    const auto& list = list_of(i);
    values->insert(values->end(), list.begin(), list.end());
  }
  (*begin)[count] = static_cast<std::uint32_t>(values->size());
}

// Patterns shorter than this are not scanned for; their bytes are looked up in each text's byte
// set instead ("ab" occurs only where 'a' and 'b' do). Short punctuation atoms ("(", "'") occur
// often, and every occurrence would be a Hyperscan callback.
constexpr std::size_t kMinScannedLength = 3;

// Whether few texts of ordinary traffic hold byte `c`: not a letter, digit or space, nor
// punctuation common in headers, paths and values.
bool IsRareByte(unsigned char c) {
  return std::isalnum(c) == 0 && c != ' ' &&
         std::string_view("()*,-./:;=_").find(static_cast<char>(c)) == std::string_view::npos;
}

bool HasRareByte(std::string_view atom) {
  return std::any_of(atom.begin(), atom.end(),
                     [](char c) { return IsRareByte(static_cast<unsigned char>(c)); });
}

enum class Usability { kExact, kApproximate, kUnusable };

// What an expression is: an operator's regex or literal, or an atom some regex requires.
enum class ExprKind { kRegex, kLiteral, kAtom };

// One distinct prefilter expression of the set. Literals are looked for byte-exact, atoms
// ASCII-case-insensitively; regexes are not looked for, their atoms are.
struct Expression {
  std::string text;
  ExprKind kind = ExprKind::kLiteral;
  Usability usability = Usability::kExact;
  AtomFormula atoms;  // kRegex
};

// A byte string as a Hyperscan expression: ASCII punctuation escaped as \xHH, other bytes as
// they are (no HS_FLAG_UTF8: bytes are matched as bytes).
std::string EscapeLiteral(std::string_view s) {
  std::string out;
  out.reserve(s.size() * 2);
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (IsAsciiAlnum(c) || c >= 0x80) {
      out.push_back(ch);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

// A node of a requirement formula, in a set-wide array where children precede parents.
struct Formula {
  enum class Kind { kLeaf, kAnd, kOr };
  Kind kind = Kind::kLeaf;
  // kLeaf: expression `expr` passes the prefilter in a text of one of `classes` after `chain`.
  std::uint32_t expr = 0;
  TransformChain chain;
  FieldClassSet classes = 0;
  std::vector<std::int32_t> children;  // kAnd / kOr
};

using ExpressionIndex = std::map<std::pair<std::string, ExprKind>, std::uint32_t>;

// The expression (text, kind), added and classified on first sight.
std::uint32_t Intern(std::string text, ExprKind kind, std::vector<Expression>* exprs,
                     ExpressionIndex* index) {
  auto key = std::make_pair(text, kind);
  auto it = index->find(key);
  if (it != index->end()) return it->second;
  Expression e;
  e.text = std::move(text);
  e.kind = kind;
  if (e.text.empty()) {
    e.usability = Usability::kUnusable;
  } else if (kind == ExprKind::kRegex) {
    e.atoms = RegexAtoms(e.text);
    e.usability = e.atoms.is_true() ? Usability::kUnusable : Usability::kApproximate;
  }
  auto id = static_cast<std::uint32_t>(exprs->size());
  exprs->push_back(std::move(e));
  index->emplace(std::move(key), id);
  return id;
}

// Derives requirement formulas for a policy's condition tree, and marks every condition node
// with its gate (the formula node that must hold for the node to match, or -1).
class Analyzer {
 public:
  // `shared` makes equal formula nodes one node across the whole set (an anchored sub-tree
  // used under four selectors, the same regex in two policies).
  Analyzer(std::vector<Expression>* exprs, ExpressionIndex* index,
           std::vector<Formula>* formulas, std::map<std::string, std::int32_t>* shared)
      : exprs_(exprs), index_(index), formulas_(formulas), shared_(shared) {}

  // Term level. Returns the formula node, or -1 when the subtree can match without any hit.
  std::int32_t Term(Condition* c, int depth) {
    std::int32_t f = -1;
    if (depth <= kMaxConditionDepth) {
      switch (c->kind) {
        case Condition::Kind::kAnd:
        case Condition::Kind::kOr: {
          std::vector<std::int32_t> fs;
          for (auto& child : c->children) fs.push_back(Term(&child, depth + 1));
          f = c->kind == Condition::Kind::kAnd ? All(std::move(fs)) : Any(std::move(fs));
          break;
        }
        case Condition::Kind::kNot:
          for (auto& child : c->children) Term(&child, depth + 1);
          break;
        case Condition::Kind::kTerm: {
          FieldClassSet classes =
              c->selector == nullptr
                  ? 0
                  : c->selector->field_classes() & ~ClassBit(FieldClass::kContext);
          std::vector<std::int32_t> fs;
          for (auto& child : c->children) {
            fs.push_back(Data(&child, c->chain, classes, depth + 1));
          }
          f = All(std::move(fs));
          break;
        }
        default:
          break;
      }
    }
    c->prefilter_gate = f;
    return f;
  }

  const std::vector<std::uint32_t>& seen() const { return seen_; }

 private:
  std::int32_t Data(Condition* c, TransformChain chain, FieldClassSet classes, int depth) {
    std::int32_t f = -1;
    if (depth <= kMaxConditionDepth) {
      switch (c->kind) {
        case Condition::Kind::kAnd:
        case Condition::Kind::kKey:
        case Condition::Kind::kValue:
        case Condition::Kind::kForOne:
        case Condition::Kind::kForAll: {
          // for_all over no candidates is false, so what one candidate needs, the node needs.
          std::vector<std::int32_t> fs;
          for (auto& child : c->children) fs.push_back(Data(&child, chain, classes, depth + 1));
          f = All(std::move(fs));
          break;
        }
        case Condition::Kind::kOr: {
          std::vector<std::int32_t> fs;
          for (auto& child : c->children) fs.push_back(Data(&child, chain, classes, depth + 1));
          f = Any(std::move(fs));
          break;
        }
        case Condition::Kind::kNot:
        case Condition::Kind::kLength:
          for (auto& child : c->children) Data(&child, chain, classes, depth + 1);
          break;
        case Condition::Kind::kOperator:
          f = Leaf(c, chain, classes);
          break;
        default:
          break;
      }
    }
    c->prefilter_gate = f;
    return f;
  }

  std::int32_t Leaf(Condition* c, TransformChain chain, FieldClassSet classes) {
    c->prefilter_regex = -1;
    if (c->op == nullptr || c->op->negated() || classes == 0) return -1;
    std::vector<PrefilterPattern> patterns = c->op->Prefilter();
    if (patterns.empty()) return -1;
    std::vector<std::int32_t> alternatives;
    for (const auto& p : patterns) {
      std::uint32_t e = Intern(p.expression, p.literal ? ExprKind::kLiteral : ExprKind::kRegex,
                               exprs_, index_);
      if (std::find(seen_.begin(), seen_.end(), e) == seen_.end()) seen_.push_back(e);
      const Expression& expr = (*exprs_)[e];
      if (expr.usability == Usability::kUnusable) return -1;
      if (expr.kind == ExprKind::kLiteral) {
        alternatives.push_back(Scan(e, chain, classes));
      } else {
        // Copy: Intern() may grow exprs_ while the atoms are walked.
        AtomFormula atoms = expr.atoms;
        alternatives.push_back(Atoms(atoms, chain, classes));
        // A lone regex can also be gated text by text: its atoms must all be in one text.
        if (patterns.size() == 1) c->prefilter_regex = static_cast<std::int32_t>(e);
      }
    }
    return Any(std::move(alternatives));
  }

  // A scanned expression: passes when it occurs in a text of `classes` after `chain`.
  std::int32_t Scan(std::uint32_t e, TransformChain chain, FieldClassSet classes) {
    Formula leaf;
    leaf.expr = e;
    leaf.chain = chain;
    leaf.classes = classes;
    return Add(std::move(leaf));
  }

  std::int32_t Atoms(const AtomFormula& f, TransformChain chain, FieldClassSet classes) {
    switch (f.kind) {
      case AtomFormula::Kind::kTrue:
        return -1;
      case AtomFormula::Kind::kAtom:
        // A short atom (a byte or two) is looked up in the byte sets of the term's classes.
        // Made only of letters, digits and common punctuation ("(", "id") it is in most
        // exchanges: as a requirement it would cost more to evaluate than it saves. It still
        // gates the regex text by text (regex_gates_). With a rarer byte ("\n", "$(", "`") it
        // closes most exchanges.
        if (f.atom.size() < kMinScannedLength && !HasRareByte(f.atom)) {
          Intern(f.atom, ExprKind::kAtom, exprs_, index_);
          return -1;
        }
        return Scan(Intern(f.atom, ExprKind::kAtom, exprs_, index_), chain, classes);
      case AtomFormula::Kind::kAnd:
      case AtomFormula::Kind::kOr: {
        std::vector<std::int32_t> fs;
        for (const auto& c : f.children) fs.push_back(Atoms(c, chain, classes));
        return f.kind == AtomFormula::Kind::kAnd ? All(std::move(fs)) : Any(std::move(fs));
      }
    }
    return -1;
  }

  std::int32_t Add(Formula f) {
    std::string key;
    if (f.kind == Formula::Kind::kLeaf) {
      key = "L" + std::to_string(f.expr) + "," + std::to_string(f.chain.key()) + "," +
            std::to_string(f.classes);
    } else {
      key = f.kind == Formula::Kind::kAnd ? "A" : "O";
      for (std::int32_t c : f.children) key += "," + std::to_string(c);
    }
    auto [it, inserted] =
        shared_->emplace(std::move(key), static_cast<std::int32_t>(formulas_->size()));
    if (inserted) formulas_->push_back(std::move(f));
    return it->second;
  }

  static void Normalize(std::vector<std::int32_t>* fs) {
    std::sort(fs->begin(), fs->end());
    fs->erase(std::unique(fs->begin(), fs->end()), fs->end());
  }

  // Every child is necessary: the conjunction of those that constrain anything.
  std::int32_t All(std::vector<std::int32_t> fs) {
    fs.erase(std::remove(fs.begin(), fs.end(), -1), fs.end());
    Normalize(&fs);
    if (fs.empty()) return -1;
    if (fs.size() == 1) return fs.front();
    Formula f;
    f.kind = Formula::Kind::kAnd;
    f.children = std::move(fs);
    return Add(std::move(f));
  }

  // One child is enough: a disjunction, unconstrained as soon as one child is.
  std::int32_t Any(std::vector<std::int32_t> fs) {
    if (fs.empty() || std::find(fs.begin(), fs.end(), -1) != fs.end()) return -1;
    Normalize(&fs);
    if (fs.size() == 1) return fs.front();
    Formula f;
    f.kind = Formula::Kind::kOr;
    f.children = std::move(fs);
    return Add(std::move(f));
  }

  std::vector<Expression>* exprs_;
  ExpressionIndex* index_;
  std::vector<Formula>* formulas_;
  std::map<std::string, std::int32_t>* shared_;
  std::vector<std::uint32_t> seen_;
};

// Why condition `c`, whose gate is -1, constrains nothing: its own reason if it is a leaf, a
// negation, a `length:` or a term over the request's context; else the reasons of its children
// that constrain nothing (an OR is open through any of them, the others through all). Each
// reason once: a YAML anchor used under several selectors gives the same one.
void OpenBecause(const Condition& c, FieldClassSet classes, int depth,
                 std::vector<std::string>* out) {
  auto add = [&](const std::string& why) {
    std::string line = c.mark.ToString() + ": " + why;
    if (std::find(out->begin(), out->end(), line) == out->end()) out->push_back(std::move(line));
  };
  if (depth > kMaxConditionDepth) return add("nested too deeply to analyse");
  switch (c.kind) {
    case Condition::Kind::kNot:
      return add("`not` (holds where its condition does not)");
    case Condition::Kind::kLength:
      return add("`length` (compares a length, not a text)");
    case Condition::Kind::kOperator: {
      const std::string name = "`" + c.name + "`";
      if (c.op == nullptr) return add(name + " (not bound)");
      if (c.op->negated()) return add(name + " (negated: holds where a pattern is absent)");
      if (classes == 0) return add(name + " on a selector of the request's context");
      const std::vector<PrefilterPattern> patterns = c.op->Prefilter();
      if (patterns.empty()) return add(name + " (no pattern: runs on every new text)");
      for (const PrefilterPattern& p : patterns) {
        if (p.literal && p.expression.empty()) return add(name + " with an empty literal");
        if (!p.literal) {
          return add(name + " /" + Abbreviated(p.expression, 60) +
                     "/ (no atom of 3 or more bytes, nor one with a rare byte, in every match)");
        }
      }
      return add(name);
    }
    case Condition::Kind::kTerm:
      if (c.selector != nullptr) {
        classes = c.selector->field_classes() & ~ClassBit(FieldClass::kContext);
      }
      break;
    default:
      break;
  }
  for (const Condition& child : c.children) {
    if (child.prefilter_gate < 0) OpenBecause(child, classes, depth + 1, out);
  }
}

std::string Describe(const Expression& e) {
  switch (e.kind) {
    case ExprKind::kRegex:
      return "/" + e.text + "/";
    case ExprKind::kLiteral:
      return "\"" + e.text + "\"";
    case ExprKind::kAtom:
      return "\"" + e.text + "\"i";
  }
  return e.text;
}

std::string DescribeLeaf(const Expression& e, const Formula& f) {
  std::string out = Describe(e) + " in ";
  bool first = true;
  for (int c = 0; c < kFieldClassCount; ++c) {
    if ((f.classes & ClassBit(static_cast<FieldClass>(c))) == 0) continue;
    if (!first) out += ",";
    out += FieldClassName(static_cast<FieldClass>(c));
    first = false;
  }
  if (!f.chain.empty()) out += " after " + f.chain.ToString();
  return out;
}

// The leaves under formula node `root`, in order, without repeats.
void CollectLeaves(const std::vector<Formula>& formulas, std::int32_t root,
                   std::vector<std::int32_t>* out) {
  const Formula& f = formulas[static_cast<std::size_t>(root)];
  if (f.kind == Formula::Kind::kLeaf) {
    if (std::find(out->begin(), out->end(), root) == out->end()) out->push_back(root);
    return;
  }
  for (std::int32_t c : f.children) CollectLeaves(formulas, c, out);
}

void ClearGates(Condition* c) {
  c->prefilter_gate = -1;
  c->prefilter_regex = -1;
  for (auto& child : c->children) ClearGates(&child);
}

}  // namespace

struct Prefilter::MatchContext {
  const std::vector<ScanScratch::Impl::ScanEntry>* entries;
  std::uint32_t* last_entry;  // [pattern]: entry of its last report + 1, to drop repeats
  std::vector<std::pair<std::uint32_t, std::uint32_t>>* hits;  // (entry, pattern)
};

Prefilter::Prefilter() = default;

Prefilter::~Prefilter() {
  if (db_ != nullptr) hs_free_database(db_);
  if (prototype_ != nullptr) hs_free_scratch(prototype_);
}

std::unique_ptr<Prefilter> Prefilter::Build(std::vector<Policy>* policies) {
  std::unique_ptr<Prefilter> p(new Prefilter());
  const std::size_t n = policies->size();

  // 1. Requirement formulas and gates; every expression they look for.
  std::vector<Expression> exprs;
  ExpressionIndex index;
  std::vector<Formula> formulas;
  std::vector<std::int32_t> roots(n, -1);
  std::vector<std::vector<std::uint32_t>> seen(n);
  std::map<std::string, std::int32_t> shared;
  for (std::size_t i = 0; i < n; ++i) {
    Analyzer a(&exprs, &index, &formulas, &shared);
    roots[i] = a.Term(&(*policies)[i].filter, 0);
    seen[i] = a.seen();
  }

  // 2. Patterns: long literals and atoms go into one Hyperscan database (literals byte-exact,
  //    atoms HS_FLAG_CASELESS); short ones are byte sets. Pattern ids: scanned ones first.
  std::vector<std::string> scanned;
  std::vector<unsigned> flags;
  std::vector<std::uint32_t> short_exprs;
  for (std::uint32_t e = 0; e < exprs.size(); ++e) {
    const Expression& x = exprs[e];
    if (x.kind == ExprKind::kRegex || x.usability == Usability::kUnusable) continue;
    if (x.text.size() < kMinScannedLength) {
      short_exprs.push_back(e);
      continue;
    }
    scanned.push_back(EscapeLiteral(x.text));
    // Every occurrence is reported (no HS_FLAG_SINGLEMATCH): one scan covers all texts, and a
    // hit counts for the text it falls in.
    flags.push_back(x.kind == ExprKind::kAtom ? HS_FLAG_CASELESS : 0u);
  }
  std::vector<std::int32_t> pattern_of_expr(exprs.size(), -1);
  {
    std::int32_t next = 0;
    for (std::uint32_t e = 0; e < exprs.size(); ++e) {
      const Expression& x = exprs[e];
      if (x.kind == ExprKind::kRegex || x.usability == Usability::kUnusable) continue;
      if (x.text.size() >= kMinScannedLength) pattern_of_expr[e] = next++;
    }
    for (std::uint32_t e : short_exprs) {
      pattern_of_expr[e] = next++;
      TextSketch need;
      need.AddText(exprs[e].text);
      p->short_patterns_.push_back(need);
    }
  }
  p->scanned_ = static_cast<std::uint32_t>(scanned.size());

  // 3. Slots: one per (chain, pattern) some leaf names, grouped in one plan per chain.
  std::map<std::uint32_t, std::size_t> plan_of_chain;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::int32_t> slot_of;  // (chain, expr)
  std::vector<std::int32_t> leaf_slot(formulas.size(), -1);
  const std::size_t pattern_count = scanned.size() + short_exprs.size();
  for (std::size_t i = 0; i < formulas.size(); ++i) {
    const Formula& f = formulas[i];
    if (f.kind != Formula::Kind::kLeaf) continue;
    auto [pit, new_plan] = plan_of_chain.emplace(f.chain.key(), p->plans_.size());
    if (new_plan) {
      ChainPlan plan;
      plan.chain = f.chain;
      plan.slot.assign(pattern_count, -1);
      p->plans_.push_back(std::move(plan));
    }
    ChainPlan& plan = p->plans_[pit->second];
    plan.classes |= f.classes;
    auto [sit, new_slot] = slot_of.emplace(std::make_pair(f.chain.key(), f.expr),
                                           static_cast<std::int32_t>(slot_of.size()));
    leaf_slot[i] = sit->second;
    if (!new_slot) continue;
    const auto pattern = static_cast<std::uint32_t>(pattern_of_expr[f.expr]);
    plan.slot[pattern] = sit->second;
    if (pattern >= p->scanned_) plan.short_slots.emplace_back(pattern, sit->second);
  }
  p->slots_ = static_cast<std::uint32_t>(slot_of.size());
  for (ChainPlan& plan : p->plans_) {
    // Each short slot under its rarest byte (the first rare one, else its first; lower-cased
    // as the byte sets are).
    auto key_of = [&](std::uint32_t pattern) {
      const std::string& text = exprs[short_exprs[pattern - p->scanned_]].text;
      auto it = std::find_if(text.begin(), text.end(),
                             [](char c) { return IsRareByte(static_cast<unsigned char>(c)); });
      const char c = it != text.end() ? *it : text.front();
      return static_cast<unsigned char>(AsciiLower(static_cast<unsigned char>(c)));
    };
    std::stable_sort(plan.short_slots.begin(), plan.short_slots.end(),
                     [&](const auto& a, const auto& b) {
                       return key_of(a.first) < key_of(b.first);
                     });
    plan.short_begin.assign(257, 0);
    for (const auto& [pattern, slot] : plan.short_slots) {
      const unsigned char key = key_of(pattern);
      ++plan.short_begin[key + 1];
      plan.short_keys.Add(key);
    }
    for (std::size_t b = 1; b < plan.short_begin.size(); ++b) {
      plan.short_begin[b] += plan.short_begin[b - 1];
    }
  }
  for (std::size_t pi = 0; pi < p->plans_.size(); ++pi) {
    for (int c = 0; c < kFieldClassCount; ++c) {
      if ((p->plans_[pi].classes & ClassBit(static_cast<FieldClass>(c))) != 0) {
        p->class_plans_[c] |= std::uint64_t{1} << pi;
        p->class_triggers_[c] |= p->plans_[pi].chain.triggers();
      }
    }
  }

  // 4. Per-text gates of regex leaves: each regex's atom formula over pattern ids.
  p->regex_gates_.resize(exprs.size());
  for (std::uint32_t e = 0; e < exprs.size(); ++e) {
    const Expression& x = exprs[e];
    if (x.kind != ExprKind::kRegex || x.usability == Usability::kUnusable) continue;
    struct Lower {
      static std::int32_t Run(const AtomFormula& f, const ExpressionIndex& index,
                              const std::vector<std::int32_t>& pattern_of_expr,
                              std::vector<GateNode>* out) {
        GateNode node;
        if (f.kind == AtomFormula::Kind::kAtom) {
          auto it = index.find(std::make_pair(f.atom, ExprKind::kAtom));
          node.pattern = it == index.end() ? -1 : pattern_of_expr[it->second];
        } else if (f.kind == AtomFormula::Kind::kTrue) {
          node.kind = GateNode::Kind::kAnd;  // no children: holds
        } else {
          node.kind =
              f.kind == AtomFormula::Kind::kAnd ? GateNode::Kind::kAnd : GateNode::Kind::kOr;
          for (const auto& c : f.children) {
            node.children.push_back(Run(c, index, pattern_of_expr, out));
          }
        }
        out->push_back(std::move(node));
        return static_cast<std::int32_t>(out->size() - 1);
      }
    };
    Lower::Run(x.atoms, index, pattern_of_expr, &p->regex_gates_[e]);
    std::vector<GateNode>& gate = p->regex_gates_[e];
    // Children precede parents: a node's nested nodes are already split when it is.
    for (GateNode& g : gate) {
      if (g.kind == GateNode::Kind::kAtom) continue;
      for (std::int32_t c : g.children) {
        const GateNode& child = gate[static_cast<std::size_t>(c)];
        if (child.kind != GateNode::Kind::kAtom) {
          g.nested.push_back(c);
        } else if (child.pattern < 0) {
          g.unknown = true;
        } else if (static_cast<std::uint32_t>(child.pattern) < p->scanned_) {
          g.scanned_atoms.push_back(static_cast<std::uint32_t>(child.pattern));
        } else {
          g.short_atoms.push_back(static_cast<std::uint32_t>(child.pattern));
        }
      }
      auto need_of = [&](std::uint32_t pattern) -> const TextSketch& {
        return p->short_patterns_[pattern - p->scanned_];
      };
      std::vector<std::int32_t> nested;
      if (g.kind == GateNode::Kind::kAnd) {
        for (std::uint32_t pattern : g.short_atoms) g.all.Merge(need_of(pattern));
        g.short_atoms.clear();
        for (std::int32_t c : g.nested) {
          const GateNode& child = gate[static_cast<std::size_t>(c)];
          if (child.kind == GateNode::Kind::kAnd && child.short_only) {
            g.all.Merge(child.all);
          } else {
            nested.push_back(c);
          }
        }
        g.short_only = !g.unknown && g.scanned_atoms.empty() && nested.empty();
      } else {
        for (std::uint32_t pattern : g.short_atoms) {
          const std::string& text = exprs[short_exprs[pattern - p->scanned_]].text;
          if (text.size() == 1) {
            g.single_bytes.Add(AsciiLower(static_cast<unsigned char>(text[0])));
            g.has_single = true;
          } else {
            g.alternatives.push_back(need_of(pattern));
          }
        }
        g.short_atoms.clear();
        for (std::int32_t c : g.nested) {
          const GateNode& child = gate[static_cast<std::size_t>(c)];
          if (child.kind == GateNode::Kind::kAnd && child.short_only) {
            g.alternatives.push_back(child.all);
          } else {
            nested.push_back(c);
          }
        }
      }
      g.nested = std::move(nested);
      std::sort(g.scanned_atoms.begin(), g.scanned_atoms.end());
      g.scanned_atoms.erase(std::unique(g.scanned_atoms.begin(), g.scanned_atoms.end()),
                            g.scanned_atoms.end());
      // A text a scanned atom hit has the atom's hit bit: an AND's are all needed, an OR needs
      // one of its own.
      for (std::uint32_t pattern : g.scanned_atoms) {
        if (g.kind == GateNode::Kind::kAnd) {
          g.all.hits |= TextSketch::HitBit(pattern);
        } else {
          g.scanned_bits |= TextSketch::HitBit(pattern);
        }
      }
      g.all_need = SparseSketch::Of(g.all);
      for (const TextSketch& need : g.alternatives) {
        g.alternative_needs.push_back(SparseSketch::Of(need));
      }
    }
  }

  // 4b. Gate summaries, from the split nodes (children precede parents), each a consequence of
  //     Holds() on that node: what holds there has these bytes, pairs and hits.
  p->regex_summaries_.assign(exprs.size(), GateCheck{});
  {
    std::vector<std::int32_t> expr_of_pattern(pattern_count, -1);
    for (std::uint32_t e = 0; e < exprs.size(); ++e) {
      if (pattern_of_expr[e] >= 0) {
        expr_of_pattern[static_cast<std::size_t>(pattern_of_expr[e])] =
            static_cast<std::int32_t>(e);
      }
    }
    // What a text a scanned atom hits has: the atom's hit bit, and its bytes and pairs
    // (lower-cased) unless it holds a '\n': a hit may then span the separator before its text,
    // and only its last byte is known to be in the text.
    auto scanned_need = [&](std::uint32_t pattern) {
      TextSketch out;
      out.hits = TextSketch::HitBit(pattern);
      const std::int32_t e = expr_of_pattern[pattern];
      if (e < 0) return out;
      const std::string& text = exprs[static_cast<std::size_t>(e)].text;
      if (text.find('\n') == std::string::npos) out.AddText(text);
      return out;
    };
    // How often a byte is expected in a text (lower is rarer): a guess that only steers which
    // byte, pair or hit stands for an alternative; any choice gives a correct summary.
    auto commonness = [](unsigned char c) -> int {
      if (IsAsciiAlnum(c)) return 10;
      switch (c) {
        case ' ': case '/': case '.': case '-': case '_': case ',': case '=': case ';':
        case ':':
          return 8;
        default:
          return c < 0x20 || c >= 0x7f ? 1 : 3;
      }
    };
    constexpr int kHitCommonness = 2;
    constexpr int kPairCommonness = 3;
    // Adds to `any` the rarest thing `need` requires; false when it requires nothing.
    auto rarest = [&](const TextSketch& need, TextSketch* any) {
      int best = -1;
      for (int c = 0; c < 256; ++c) {
        const auto u = static_cast<unsigned char>(c);
        if (!need.bytes.Has(u)) continue;
        if (best < 0 || commonness(u) < commonness(static_cast<unsigned char>(best))) best = c;
      }
      const int best_cost = best < 0 ? 1 << 20 : commonness(static_cast<unsigned char>(best));
      if (need.hits != 0 && kHitCommonness <= best_cost) {
        any->hits |= need.hits & (~need.hits + 1);  // one of its bits
        return true;
      }
      const int pair = need.pairs.FirstBit();
      if (pair >= 0 && kPairCommonness < best_cost) {
        any->pairs.AddBit(static_cast<std::uint32_t>(pair));
        return true;
      }
      if (best < 0) return false;
      any->bytes.Add(static_cast<unsigned char>(best));
      return true;
    };
    // A one-of summary's expected cost: the commonness of what it names.
    auto any_cost = [&](const GateSummary& x) {
      if (x.any_unknown) return 1 << 20;
      int cost = kHitCommonness * __builtin_popcountll(x.any.hits);
      for (int c = 0; c < 256; ++c) {
        if (x.any.bytes.Has(static_cast<unsigned char>(c))) {
          cost += commonness(static_cast<unsigned char>(c));
        }
      }
      cost += kPairCommonness * x.any.pairs.Count();
      return cost;
    };
    for (std::size_t e = 0; e < p->regex_gates_.size(); ++e) {
      const std::vector<GateNode>& gate = p->regex_gates_[e];
      if (gate.empty()) continue;
      std::vector<GateSummary> sum(gate.size());
      // One-of summaries: Holds() on the node implies the text's sketch shares something with
      // `any` (nothing is implied when any_unknown).
      for (std::size_t i = 0; i < gate.size(); ++i) {
        const GateNode& g = gate[i];
        GateSummary& out = sum[i];
        switch (g.kind) {
          case GateNode::Kind::kAtom:
            if (g.pattern < 0) break;
            if (static_cast<std::uint32_t>(g.pattern) < p->scanned_) {
              out.any.hits = TextSketch::HitBit(static_cast<std::uint32_t>(g.pattern));
              out.any_unknown = false;
            } else {
              out.any_unknown = !rarest(
                  p->short_patterns_[static_cast<std::uint32_t>(g.pattern) - p->scanned_],
                  &out.any);
            }
            break;
          case GateNode::Kind::kAnd: {
            // Every part is needed: keep the cheapest one-of summary among them.
            GateSummary best;
            auto consider = [&](const GateSummary& x) {
              if (any_cost(x) < any_cost(best)) best = x;
            };
            GateSummary part;
            part.any_unknown = !rarest(g.all, &part.any);
            consider(part);
            for (std::uint32_t pattern : g.scanned_atoms) {
              GateSummary h;
              h.any.hits = TextSketch::HitBit(pattern);
              h.any_unknown = false;
              consider(h);
            }
            for (std::int32_t c : g.nested) consider(sum[static_cast<std::size_t>(c)]);
            out = best;
            break;
          }
          case GateNode::Kind::kOr: {
            // One part is enough: the union of the parts' summaries.
            if (g.unknown) break;
            out.any_unknown = false;
            if (g.has_single) out.any.bytes.Merge(g.single_bytes);
            for (const TextSketch& need : g.alternatives) {
              if (!rarest(need, &out.any)) out.any_unknown = true;
            }
            for (std::uint32_t pattern : g.scanned_atoms) {
              out.any.hits |= TextSketch::HitBit(pattern);
            }
            for (std::int32_t c : g.nested) {
              const GateSummary& x = sum[static_cast<std::size_t>(c)];
              out.any_unknown |= x.any_unknown;
              out.any.Merge(x.any);
            }
            if (out.any_unknown) out.any = TextSketch{};
            break;
          }
        }
      }
      for (std::size_t i = 0; i < gate.size(); ++i) {
        const GateNode& g = gate[i];
        GateSummary& out = sum[i];
        switch (g.kind) {
          case GateNode::Kind::kAtom:
            if (g.pattern >= 0) {
              const auto pattern = static_cast<std::uint32_t>(g.pattern);
              out.need = pattern < p->scanned_ ? scanned_need(pattern)
                                               : p->short_patterns_[pattern - p->scanned_];
            }
            break;
          case GateNode::Kind::kAnd:
            out.need = g.all;
            for (std::uint32_t pattern : g.scanned_atoms) out.need.Merge(scanned_need(pattern));
            for (std::int32_t c : g.nested) out.need.Merge(sum[static_cast<std::size_t>(c)].need);
            break;
          case GateNode::Kind::kOr: {
            if (g.unknown) break;
            std::vector<TextSketch> alternatives = g.alternatives;
            for (int c = 0; c < 256; ++c) {
              const auto u = static_cast<unsigned char>(c);
              if (!g.has_single || !g.single_bytes.Has(u)) continue;
              TextSketch one;
              one.bytes.Add(u);
              alternatives.push_back(one);
            }
            for (std::uint32_t pattern : g.scanned_atoms) {
              alternatives.push_back(scanned_need(pattern));
            }
            for (std::int32_t c : g.nested) {
              alternatives.push_back(sum[static_cast<std::size_t>(c)].need);
            }
            if (alternatives.empty()) break;  // Holds() is false; claim nothing
            out.need = alternatives.front();
            for (std::size_t a = 1; a < alternatives.size(); ++a) {
              out.need.IntersectWith(alternatives[a]);
            }
            break;
          }
        }
      }
      p->regex_summaries_[e] = GateCheck::Of(sum.back());
    }
  }

  bool ok = p->plans_.size() <= 64;
  if (ok && !scanned.empty()) {
    std::vector<const char*> texts;
    std::vector<unsigned> ids;
    for (std::size_t i = 0; i < scanned.size(); ++i) {
      texts.push_back(scanned[i].c_str());
      ids.push_back(static_cast<unsigned>(i));
    }
    hs_compile_error_t* err = nullptr;
    ok = hs_compile_multi(texts.data(), flags.data(), ids.data(),
                          static_cast<unsigned>(texts.size()), HS_MODE_BLOCK, nullptr, &p->db_,
                          &err) == HS_SUCCESS &&
         hs_alloc_scratch(p->db_, &p->prototype_) == HS_SUCCESS;
    if (err != nullptr) hs_free_compile_error(err);
  }
  if (!ok) {
    // Never fail the set on account of the prefilter: evaluate everything, ungated.
    if (p->db_ != nullptr) hs_free_database(p->db_);
    if (p->prototype_ != nullptr) hs_free_scratch(p->prototype_);
    p->db_ = nullptr;
    p->prototype_ = nullptr;
    p->plans_.clear();
    p->regex_gates_.clear();
    p->regex_summaries_.clear();
    p->short_patterns_.clear();
    for (auto& m : p->class_plans_) m = 0;
    formulas.clear();
    roots.assign(n, -1);
    for (auto& policy : *policies) ClearGates(&policy.filter);
  }
  p->active_ = ok && !p->plans_.empty();

  // 5. The formulas as nodes over the slots, linked upwards for propagation.
  p->nodes_.resize(formulas.size());
  std::vector<std::vector<std::int32_t>> slot_leaves(p->slots_);
  for (std::size_t i = 0; i < formulas.size(); ++i) {
    const Formula& f = formulas[i];
    Node& node = p->nodes_[i];
    if (f.kind == Formula::Kind::kLeaf) {
      node.kind = Node::Kind::kLeaf;
      node.classes = f.classes;
      if (leaf_slot[i] >= 0) {
        slot_leaves[static_cast<std::size_t>(leaf_slot[i])].push_back(static_cast<std::int32_t>(i));
      }
    } else {
      node.kind = f.kind == Formula::Kind::kAnd ? Node::Kind::kAnd : Node::Kind::kOr;
      node.needed = static_cast<std::uint32_t>(f.children.size());
      for (std::int32_t c : f.children) {
        p->nodes_[static_cast<std::size_t>(c)].parents.push_back(static_cast<std::int32_t>(i));
      }
    }
  }
  p->roots_ = roots;
  const std::size_t node_count = p->nodes_.size();
  p->node_kind_.resize(node_count);
  p->node_classes_.resize(node_count);
  p->node_slot_.assign(node_count, -1);
  p->child_begin_.assign(node_count + 1, 0);
  for (std::size_t i = 0; i < node_count; ++i) {
    const Formula& f = formulas[i];
    p->node_kind_[i] = f.kind == Formula::Kind::kLeaf  ? 0
                       : f.kind == Formula::Kind::kAnd ? 1
                                                       : 2;
    p->node_classes_[i] = f.classes;
    if (f.kind == Formula::Kind::kLeaf) p->node_slot_[i] = leaf_slot[i];
    p->child_begin_[i] = static_cast<std::uint32_t>(p->children_.size());
    p->children_.insert(p->children_.end(), f.children.begin(), f.children.end());
  }
  p->child_begin_[node_count] = static_cast<std::uint32_t>(p->children_.size());
  {
    std::vector<std::vector<std::int32_t>> by_class(std::size_t{p->slots_} * kFieldClassCount);
    for (std::size_t slot = 0; slot < p->slots_; ++slot) {
      for (const std::int32_t leaf : slot_leaves[slot]) {
        const FieldClassSet classes = p->node_classes_[static_cast<std::size_t>(leaf)];
        for (int c = 0; c < kFieldClassCount; ++c) {
          if ((classes & ClassBit(static_cast<FieldClass>(c))) != 0) {
            by_class[slot * kFieldClassCount + static_cast<std::size_t>(c)].push_back(leaf);
          }
        }
      }
    }
    Flatten(by_class.size(), [&](std::size_t i) -> const auto& { return by_class[i]; },
            &p->slot_class_begin_, &p->slot_class_leaves_);
  }
  Flatten(node_count, [&](std::size_t i) -> const auto& { return p->nodes_[i].parents; },
          &p->parent_begin_, &p->parents_);
  std::vector<std::vector<PlanSlot>> pattern_slots(p->scanned_);
  for (std::size_t pi = 0; pi < p->plans_.size(); ++pi) {
    const ChainPlan& plan = p->plans_[pi];
    // Short patterns' slots are resolved from the byte sets (plan.short_slots).
    for (std::size_t pattern = 0; pattern < p->scanned_; ++pattern) {
      const std::int32_t slot = plan.slot[pattern];
      if (slot < 0) continue;
      pattern_slots[pattern].push_back(PlanSlot{.plan = static_cast<std::uint32_t>(pi),
                                                .slot = static_cast<std::uint32_t>(slot)});
    }
  }
  Flatten(p->scanned_, [&](std::size_t pattern) -> const auto& { return pattern_slots[pattern]; },
          &p->pattern_slot_begin_, &p->pattern_slots_);

  p->info_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    PrefilterInfo& info = p->info_[i];
    info.always = roots[i] < 0;
    if (info.always) {
      p->always_.push_back(static_cast<std::uint32_t>(i));
      std::vector<std::string> reasons;
      OpenBecause((*policies)[i].filter, 0, 0, &reasons);
      if (reasons.size() > PrefilterInfo::kMaxOpenReasons) {
        info.more_open = reasons.size() - PrefilterInfo::kMaxOpenReasons;
        reasons.resize(PrefilterInfo::kMaxOpenReasons);
      }
      info.open_because = std::move(reasons);
    }
    if (!info.always) {
      std::vector<std::int32_t> leaves;
      CollectLeaves(formulas, roots[i], &leaves);
      for (std::int32_t l : leaves) {
        const Formula& f = formulas[static_cast<std::size_t>(l)];
        info.patterns.push_back(DescribeLeaf(exprs[f.expr], f));
      }
    }
    for (std::uint32_t e : seen[i]) {
      if (exprs[e].usability == Usability::kApproximate) {
        info.approximate.push_back(Describe(exprs[e]));
      } else if (exprs[e].usability == Usability::kUnusable) {
        info.unusable.push_back(Describe(exprs[e]));
      }
    }
  }
  return p;
}

int Prefilter::OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long to,
                       unsigned int /*flags*/, void* context) {
  auto* ctx = static_cast<MatchContext*>(context);
  // The entry holding the match's last byte: the first whose end is past it.
  const auto& entries = *ctx->entries;
  std::size_t lo = 0;
  std::size_t hi = entries.size();
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    if (entries[mid].end < to) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo >= entries.size() || ctx->last_entry[id] == lo + 1) return 0;
  ctx->last_entry[id] = static_cast<std::uint32_t>(lo + 1);
  ctx->hits->emplace_back(static_cast<std::uint32_t>(lo), id);
  return 0;
}

bool Prefilter::Holds(const std::vector<GateNode>& gate, std::int32_t node,
                      const ScanScratch::Impl& s, const ScanScratch::Impl::ScanEntry& entry) const {
  const GateNode& g = gate[static_cast<std::size_t>(node)];
  // The text's hits, sorted by pattern id.
  const auto* hit_begin = s.prefilter_raw_hits.data() + entry.hits_begin;
  const auto* hit_end = s.prefilter_raw_hits.data() + entry.hits_end;
  auto hit = [&](std::uint32_t pattern) {
    return std::binary_search(hit_begin, hit_end, std::make_pair(entry.index, pattern));
  };
  switch (g.kind) {
    case GateNode::Kind::kAtom: {
      if (g.pattern < 0) return true;  // an atom without a pattern: nothing is known
      const auto pattern = static_cast<std::uint32_t>(g.pattern);
      if (pattern >= scanned_) return entry.sketch.Contains(short_patterns_[pattern - scanned_]);
      return hit(pattern);
    }
    case GateNode::Kind::kAnd:
      if (!g.all_need.HeldBy(entry.sketch)) return false;
      for (std::uint32_t pattern : g.scanned_atoms) {
        if (!hit(pattern)) return false;
      }
      for (std::int32_t c : g.nested) {
        if (!Holds(gate, c, s, entry)) return false;
      }
      return true;
    case GateNode::Kind::kOr:
      if (g.unknown) return true;
      if (g.has_single && entry.sketch.bytes.Intersects(g.single_bytes)) return true;
      for (const SparseSketch& need : g.alternative_needs) {
        if (need.HeldBy(entry.sketch)) return true;
      }
      // Few hits per text, often many atoms per OR: look the hits up in the atoms, unless no
      // hit has the bit of any.
      if ((entry.sketch.hits & g.scanned_bits) != 0) {
        for (const auto* h = hit_begin; h != hit_end; ++h) {
          if (std::binary_search(g.scanned_atoms.begin(), g.scanned_atoms.end(), h->second)) {
            return true;
          }
        }
      }
      for (std::int32_t c : g.nested) {
        if (Holds(gate, c, s, entry)) return true;
      }
      return false;
  }
  return true;
}

bool Prefilter::NodeHolds(std::int32_t node, ScanScratch::Impl& s) const {
  const auto n = static_cast<std::size_t>(node);
  bool holds = false;
  s.prefilter_truth_touched.push_back(node);
  switch (node_kind_[n]) {
    case 0: {  // leaf: its slot hit in one of its classes
      const std::int32_t slot = node_slot_[n];
      if (slot < 0) break;
      const auto sl = static_cast<std::size_t>(slot);
      holds = (s.prefilter_hits[sl] & node_classes_[n]) != 0;
      break;
    }
    case 1:  // AND: every child
      holds = true;
      for (std::uint32_t c = child_begin_[n]; c < child_begin_[n + 1] && holds; ++c) {
        holds = GateOpen(children_[c], s);
      }
      break;
    default:  // OR: some child
      for (std::uint32_t c = child_begin_[n]; c < child_begin_[n + 1] && !holds; ++c) {
        holds = GateOpen(children_[c], s);
      }
      break;
  }
  s.prefilter_truth[n] = holds ? 2 : 1;
  return holds;
}

bool Prefilter::GateHolds(std::int32_t regex, const ScanScratch::Impl::ScanEntry& entry,
                          const ScanScratch::Impl& s) const {
  const std::vector<GateNode>& gate = regex_gates_[static_cast<std::size_t>(regex)];
  if (gate.empty()) return true;
  return Holds(gate, static_cast<std::int32_t>(gate.size() - 1), s, entry);
}

bool Prefilter::MayMatchAny(std::int32_t regex, const ScanScratch::Impl::ListGates& list) const {
  if (!list.known || regex < 0 || static_cast<std::size_t>(regex) >= regex_summaries_.size()) {
    return true;
  }
  return regex_summaries_[static_cast<std::size_t>(regex)].AdmitsAll(list.bytes, list.hits);
}

void Prefilter::SortHits(std::size_t remembered, ScanScratch::Impl* s) {
  // Two sorted runs, mostly: the remembered texts' hits, added text by text (each text's
  // sorted), then Hyperscan's, by end offset, hence by text but not by pattern within a text.
  // Each text's run of the latter is sorted, and the two are merged. Should Hyperscan's not
  // come text by text, everything is sorted.
  auto& raw = s->prefilter_raw_hits;
  const auto scanned = raw.begin() + static_cast<std::ptrdiff_t>(remembered);
  auto by_text = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!std::is_sorted(scanned, raw.end(), by_text)) {
    std::sort(raw.begin(), raw.end());
  } else {
    for (auto it = scanned; it != raw.end();) {
      auto next = std::find_if(it, raw.end(), [&](const auto& h) { return h.first != it->first; });
      std::sort(it, next);
      it = next;
    }
    if (remembered != 0 && scanned != raw.end()) {
      auto& merged = s->prefilter_merged_hits;
      merged.clear();
      std::merge(raw.begin(), scanned, scanned, raw.end(), std::back_inserter(merged));
      raw.swap(merged);
    }
  }
  raw.erase(std::unique(raw.begin(), raw.end()), raw.end());
}

void Prefilter::Run(const View& view, ScanScratch::Impl* s,
                    std::vector<std::uint8_t>* candidates) const {
  // The gates' verdicts start unknown (0). Only the gates the previous scan computed are reset,
  // not all of them: most scans compute a few hundred of thousands.
  std::vector<std::uint8_t>& truth = s->prefilter_truth;
  std::vector<std::int32_t>& touched = s->prefilter_truth_touched;
  if (truth.size() != nodes_.size() || s->prefilter_truth_all_set) {
    truth.assign(nodes_.size(), 0);
  } else {
    for (std::int32_t n : touched) truth[static_cast<std::size_t>(n)] = 0;
  }
  touched.clear();
  s->prefilter_truth_all_set = false;
  auto all_open = [&] {
    std::fill(truth.begin(), truth.end(), 2);
    s->prefilter_truth_all_set = true;
  };
  s->text_gates_valid = false;
  for (std::uint32_t i : always_) (*candidates)[i] = 1;
  s->prefilter = this;
  if (!active_) {
    all_open();
    return;
  }
  if (db_ != nullptr && s->hs == nullptr) {
    // Never lose a finding: evaluate everything, every gate open.
    std::fill(candidates->begin(), candidates->end(), 1);
    all_open();
    return;
  }

  // 1. Every text some chain needs, once per distinct form (a text no chain changes stands for
  //    all of them), with the set of its bytes.
  std::string& buf = s->prefilter_buffer;
  auto& entries = s->prefilter_entries;
  buf.clear();
  entries.clear();
  s->text_index.Clear();
  s->verdicts.StartScan();
  s->ClearListGates();
  // The (entry, pattern) hits of this scan: remembered texts' hits as they are added, the
  // scanned texts' after the scan. prefilter_last_entry is zero but for the patterns of the
  // previous scan's hits.
  auto& raw = s->prefilter_raw_hits;
  std::vector<std::uint32_t>& last_entry = s->prefilter_last_entry;
  for (const auto& h : raw) {
    if (h.second < last_entry.size()) last_entry[h.second] = 0;
  }
  raw.clear();
  if (last_entry.size() != scanned_) last_entry.assign(scanned_, 0);
  auto add = [&](std::string_view text, FieldClass cls, std::uint64_t plans) {
    ScanScratch::Impl::ScanEntry& entry = entries.emplace_back();
    entry.index = static_cast<std::uint32_t>(entries.size() - 1);
    entry.text = text;
    entry.field_class = cls;
    entry.plans = plans;
    entry.memo_text = s->verdicts.Intern(text);
    if (const VerdictCache::Facts* known = s->verdicts.FactsOf(entry.memo_text)) {
      // Seen whole by an earlier scan: its sketch and hits are known. It is not scanned again:
      // its range of the buffer stays empty, so no hit of this scan lands in it.
      entry.sketch.bytes = known->bytes;
      entry.sketch.pairs = known->pairs;
      entry.remembered = true;
      for (std::uint32_t pattern : s->verdicts.HitsOf(*known)) {
        raw.emplace_back(entry.index, pattern);
      }
    } else {
      entry.sketch.AddText(text);
      buf.append(text);
      buf.push_back('\n');
    }
    // RE2 folds U+017F (long s) to 's' and U+212A (Kelvin) to 'k' under (?i); atoms are
    // matched with ASCII case folding only. A second copy with them spelled in ASCII lets the
    // atom scan see what RE2 sees.
    if (!entry.remembered && (entry.sketch.bytes.Has(0xC5) || entry.sketch.bytes.Has(0xE2)) &&
        (text.find("\xC5\xBF") != std::string_view::npos ||
         text.find("\xE2\x84\xAA") != std::string_view::npos)) {
      const std::size_t copy = buf.size();
      for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, "\xC5\xBF") == 0) {
          buf.push_back('s');
          i += 1;
        } else if (text.compare(i, 3, "\xE2\x84\xAA") == 0) {
          buf.push_back('k');
          i += 2;
        } else {
          buf.push_back(text[i]);
        }
      }
      entry.sketch.AddText(std::string_view(buf).substr(copy));
      buf.push_back('\n');
    }
    entry.end = buf.size();
    s->text_index.Insert(text, static_cast<std::int32_t>(entry.index));
  };
  auto add_text = [&](std::string_view text, TextFeatures features, FieldClass cls,
                      std::uint64_t plans) {
    if (text.empty()) return;
    // Most texts hold nothing any of the class's chains reacts to: one form for all.
    if ((features & class_triggers_[static_cast<int>(cls)]) == 0) {
      add(text, cls, plans);
      return;
    }
    // Each distinct form once, standing for every chain that yields it: chains that differ
    // only in steps that change nothing here (url_decode; url_decode,unicode_unescape) give
    // the same text, by address (the scratch shares a chain's result with its extensions).
    constexpr int kForms = 8;
    std::string_view forms[kForms];
    std::uint64_t form_plans[kForms] = {};
    int count = 0;
    forms[count++] = text;
    for (std::uint64_t rest = plans; rest != 0; rest &= rest - 1) {
      const int pi = __builtin_ctzll(rest);
      const std::string_view t =
          s->Transformed(text, plans_[static_cast<std::size_t>(pi)].chain, features);
      if (t.empty()) continue;
      int f = 0;
      while (f < count && !(forms[f].data() == t.data() && forms[f].size() == t.size())) ++f;
      if (f == count) {
        if (count == kForms) {
          add(t, cls, std::uint64_t{1} << pi);
          continue;
        }
        forms[count++] = t;
      }
      form_plans[f] |= std::uint64_t{1} << pi;
    }
    for (int f = 0; f < count; ++f) {
      if (form_plans[f] != 0) add(forms[f], cls, form_plans[f]);
    }
  };
  for (int ci = 0; ci < kFieldClassCount; ++ci) {
    const std::uint64_t plans = class_plans_[ci];
    if (plans == 0) continue;
    const FieldClass cls = static_cast<FieldClass>(ci);
    for (const Selector* sel : PrefilterSelectors(cls)) {
      for (const Candidate& c : s->CandidatesFor(sel, view)) {
        if (c.field_class != cls) continue;
        if (c.test_key) add_text(c.key, c.key_features, cls, plans);
        add_text(c.value, c.value_features, cls, plans);
      }
    }
  }
  s->FillEntries();

  // 2. One scan for the long patterns; each hit lands in its text, once.
  const std::size_t remembered_hits = raw.size();
  if (db_ != nullptr && !buf.empty()) {
    MatchContext ctx{
        .entries = &entries, .last_entry = s->prefilter_last_entry.data(), .hits = &raw};
    if (hs_scan(db_, buf.data(), static_cast<unsigned>(std::min<std::size_t>(buf.size(), ~0u)),
                0, s->hs, &Prefilter::OnMatch, &ctx) != HS_SUCCESS) {
      std::fill(candidates->begin(), candidates->end(), 1);
      all_open();
      return;
    }
  }
  SortHits(remembered_hits, s);

  // 3. Slot hits per class: scanned patterns from the hits, short ones from the byte sets.
  std::vector<FieldClassSet>& hits = s->prefilter_hits;
  std::vector<std::uint32_t>& hit_slots = s->prefilter_hit_slots;
  for (std::uint32_t slot : hit_slots) {
    if (slot < hits.size()) hits[slot] = 0;
  }
  hit_slots.clear();
  if (hits.size() != slots_) hits.assign(slots_, 0);
  for (std::size_t i = 0; i < raw.size();) {
    auto& entry = entries[raw[i].first];
    entry.hits_begin = static_cast<std::uint32_t>(i);
    const FieldClassSet bit = ClassBit(entry.field_class);
    for (; i < raw.size() && raw[i].first == entry.index; ++i) {
      const std::uint32_t pattern = raw[i].second;
      entry.sketch.hits |= TextSketch::HitBit(pattern);
      for (std::uint32_t k = pattern_slot_begin_[pattern]; k < pattern_slot_begin_[pattern + 1];
           ++k) {
        const PlanSlot ps = pattern_slots_[k];
        if (((entry.plans >> ps.plan) & 1) == 0) continue;
        FieldClassSet& h = hits[ps.slot];
        if (h == 0) hit_slots.push_back(ps.slot);
        h |= bit;
      }
    }
    entry.hits_end = static_cast<std::uint32_t>(i);
  }
  std::vector<ByteSet>& sets = s->prefilter_byte_sets;  // [plan * classes + class]
  sets.assign(plans_.size() * kFieldClassCount, ByteSet{});
  for (const auto& entry : entries) {
    for (std::uint64_t rest = entry.plans; rest != 0; rest &= rest - 1) {
      sets[static_cast<std::size_t>(__builtin_ctzll(rest)) * kFieldClassCount +
           static_cast<std::size_t>(entry.field_class)]
          .Merge(entry.sketch.bytes);
    }
  }
  // Short patterns hit a class when all their bytes are in its byte set (after the plan's chain).
  // Most name a byte few texts have, so most are turned away by the plan's bytes together.
  for (std::size_t pi = 0; pi < plans_.size(); ++pi) {
    const ChainPlan& plan = plans_[pi];
    if (plan.short_slots.empty()) continue;
    const ByteSet* class_sets = &sets[pi * kFieldClassCount];
    ByteSet keys;
    for (FieldClassSet rest = plan.classes; rest != 0; rest &= rest - 1) {
      keys.Merge(class_sets[__builtin_ctz(rest)]);
    }
    keys.IntersectWith(plan.short_keys);
    for (int key = keys.FirstBit(); key >= 0; key = keys.NextBit(key)) {
      for (std::uint32_t k = plan.short_begin[static_cast<std::size_t>(key)];
           k < plan.short_begin[static_cast<std::size_t>(key) + 1]; ++k) {
        const auto [pattern, slot] = plan.short_slots[k];
        // All its bytes in one class (not necessarily side by side, nor in one text).
        const ByteSet& need = short_patterns_[pattern - scanned_].bytes;
        FieldClassSet found = 0;
        for (FieldClassSet rest = plan.classes; rest != 0; rest &= rest - 1) {
          const int ci = __builtin_ctz(rest);
          if (class_sets[ci].Contains(need)) found |= ClassBit(static_cast<FieldClass>(ci));
        }
        if (found == 0) continue;
        const auto sl = static_cast<std::size_t>(slot);
        if (hits[sl] == 0) hit_slots.push_back(static_cast<std::uint32_t>(slot));
        hits[sl] |= found;
      }
    }
  }
  // What this scan found in texts it saw for the first time, for the scans that see them again.
  for (const auto& entry : entries) {
    if (entry.remembered || entry.memo_text < 0) continue;
    s->verdicts.SetFacts(
        entry.memo_text, entry.sketch,
        std::span<const std::pair<std::uint32_t, std::uint32_t>>(raw).subspan(
            entry.hits_begin, entry.hits_end - entry.hits_begin));
  }
  s->text_gates_valid = true;

  // 4. Gates are computed on demand (GateOpen): the policies' roots here, the nodes the
  //    evaluator reaches later. Short patterns are looked up in the byte sets then. A node
  //    without short patterns below holds only if a Hyperscan hit reaches it: mark those
  //    (few) nodes upwards from the hit leaves first.
  std::vector<std::uint8_t>& reach = s->prefilter_reach;
  std::vector<std::int32_t>& reached = s->prefilter_reached;
  for (std::int32_t node : reached) {
    if (static_cast<std::size_t>(node) < reach.size()) reach[static_cast<std::size_t>(node)] = 0;
  }
  reached.clear();
  if (reach.size() != nodes_.size()) reach.assign(nodes_.size(), 0);
  std::vector<std::int32_t>& stack = s->prefilter_stack;
  // Marks `leaf` and every node above it.
  auto mark = [&](std::int32_t leaf) {
    if (reach[static_cast<std::size_t>(leaf)] != 0) return;
    reach[static_cast<std::size_t>(leaf)] = 1;
    reached.push_back(leaf);
    stack.push_back(leaf);
    while (!stack.empty()) {
      auto at = static_cast<std::size_t>(stack.back());
      stack.pop_back();
      for (std::uint32_t i = parent_begin_[at]; i < parent_begin_[at + 1]; ++i) {
        const auto up = static_cast<std::size_t>(parents_[i]);
        if (reach[up] != 0) continue;
        reach[up] = 1;
        reached.push_back(parents_[i]);
        stack.push_back(parents_[i]);
      }
    }
  };
  for (std::uint32_t slot : hit_slots) {
    // The leaves of the classes the slot hit in (most of a slot's leaves are of other classes).
    for (FieldClassSet rest = hits[slot]; rest != 0; rest &= rest - 1) {
      const std::size_t group = std::size_t{slot} * kFieldClassCount +
                                static_cast<std::size_t>(__builtin_ctz(rest));
      for (std::uint32_t k = slot_class_begin_[group]; k < slot_class_begin_[group + 1]; ++k) {
        mark(slot_class_leaves_[k]);
      }
    }
  }
  for (std::size_t i = 0; i < roots_.size(); ++i) {
    if (roots_[i] >= 0 && GateOpen(roots_[i], *s)) (*candidates)[i] = 1;
  }
}

}  // namespace warden
