#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warden {

// A necessary condition for a regex to match some text: an AND/OR tree of literal atoms, every
// one of which is compared ASCII-case-insensitively (the prefilter scans for them with
// HS_FLAG_CASELESS). kTrue means "nothing can be required". Plain value type.
struct AtomFormula {
  enum class Kind { kTrue, kAtom, kAnd, kOr };
  Kind kind = Kind::kTrue;
  std::string atom;                   // kAtom: ASCII lower-cased; other bytes as written
  std::vector<AtomFormula> children;  // kAnd / kOr: at least two

  static AtomFormula True() { return {}; }
  static AtomFormula Atom(std::string s);
  bool is_true() const { return kind == Kind::kTrue; }
};

// Reads an RE2 pattern and derives literal atoms that every match must contain (the idea of
// RE2's FilteredRE2, keeping atoms of any length: attack patterns are full of "(" and "'"). The guarantee: if the regex matches a text T, the formula holds on T
// under ASCII case folding, with U+017F and U+212A read as 's' and 'k' (RE2 folds them to ASCII
// letters under (?i); the prefilter scans an ASCII-folded copy of texts holding them). Unknown
// or unusual syntax yields kTrue, never a wrong requirement. Pure and thread-safe.
AtomFormula RegexAtoms(std::string_view pattern);

// Whether RE2's case folding under (?i) leaves code point `cp` alone: no other code point folds
// to it or from it. True only for some punctuation, symbol and ideograph blocks (Latin-1
// punctuation but the micro sign, spacing modifiers, general punctuation, CJK punctuation and
// ideographs, fullwidth and halfwidth punctuation); false for anything else, which may fold.
bool IsCaselessRune(std::uint32_t cp);

// "(a & (b | c))" for tests and lint.
std::string ToString(const AtomFormula& f);

}  // namespace warden
