#include "detect/compile/regex_atoms.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "common/strings.h"

namespace warden {

namespace {

// Exact sets stay small and short; beyond that a node only keeps what it requires.
constexpr std::size_t kMaxExact = 16;
constexpr std::size_t kMaxExactLength = 64;
constexpr std::size_t kMaxClassChars = 8;
// A class may hold up to this many characters when all but kMaxClassChars are control
// characters (U+0000 to U+001F and U+007F).
constexpr std::size_t kMaxClassControls = 40;
constexpr int kMaxDepth = 64;

// Whether every character from `lo` to `hi` is a control character.
bool IsControl(std::uint32_t lo, std::uint32_t hi) {
  return hi < 0x20 || (lo == 0x7F && hi == 0x7F);
}

// Whether a string can serve as an atom: any non-empty one. Short atoms cost little: the
// prefilter checks them against each text's set of bytes instead of scanning for them.
bool Qualifies(std::string_view s) { return !s.empty(); }

AtomFormula And(std::vector<AtomFormula> fs) {
  std::vector<AtomFormula> out;
  for (auto& f : fs) {
    if (f.kind == AtomFormula::Kind::kTrue) continue;
    if (f.kind == AtomFormula::Kind::kAnd) {
      for (auto& c : f.children) out.push_back(std::move(c));
    } else {
      out.push_back(std::move(f));
    }
  }
  if (out.empty()) return AtomFormula::True();
  if (out.size() == 1) return std::move(out.front());
  AtomFormula f;
  f.kind = AtomFormula::Kind::kAnd;
  f.children = std::move(out);
  return f;
}

AtomFormula Or(std::vector<AtomFormula> fs) {
  std::vector<AtomFormula> out;
  for (auto& f : fs) {
    if (f.kind == AtomFormula::Kind::kTrue) return AtomFormula::True();
    if (f.kind == AtomFormula::Kind::kOr) {
      for (auto& c : f.children) out.push_back(std::move(c));
    } else {
      out.push_back(std::move(f));
    }
  }
  if (out.empty()) return AtomFormula::True();
  if (out.size() == 1) return std::move(out.front());
  AtomFormula f;
  f.kind = AtomFormula::Kind::kOr;
  f.children = std::move(out);
  return f;
}

// What is known about a sub-pattern: either the exact set of strings it matches (each match is
// one of them), or a formula every match satisfies and, when known, strings one of which
// starts every match (`prefixes`, non-empty strings; empty when unknown).
struct Info {
  bool exact = false;
  std::vector<std::string> strings;
  AtomFormula match;
  std::vector<std::string> prefixes;
};

Info Exact(std::vector<std::string> strings) {
  std::sort(strings.begin(), strings.end());
  strings.erase(std::unique(strings.begin(), strings.end()), strings.end());
  Info i;
  i.exact = true;
  i.strings = std::move(strings);
  return i;
}

Info Match(AtomFormula f) {
  Info i;
  i.match = std::move(f);
  return i;
}

// Strings one of which starts every match of `info`: its exact strings, or its prefixes; empty
// when unknown (or when the empty string is among them, which says nothing).
std::vector<std::string> PrefixesOf(const Info& info) {
  if (!info.exact) return info.prefixes;
  for (const auto& s : info.strings) {
    if (s.empty()) return {};
  }
  return info.strings;
}

// Every a + b, or nothing (empty) when there would be more than kMaxExact strings or one longer
// than kMaxExactLength.
std::vector<std::string> Product(const std::vector<std::string>& as,
                                 const std::vector<std::string>& bs) {
  if (as.size() * bs.size() > kMaxExact) return {};
  std::vector<std::string> out;
  for (const auto& a : as) {
    for (const auto& b : bs) {
      out.push_back(a + b);
      if (out.back().size() > kMaxExactLength) return {};
    }
  }
  return out;
}

Info Empty() { return Exact({std::string()}); }
Info Anything() { return Match(AtomFormula::True()); }

AtomFormula ToMatch(const Info& info) {
  if (!info.exact) return info.match;
  std::vector<AtomFormula> alts;
  for (const auto& s : info.strings) {
    if (!Qualifies(s)) return AtomFormula::True();
    alts.push_back(AtomFormula::Atom(s));
  }
  return Or(std::move(alts));
}

// A concatenation: runs of exact parts multiply out while small; everything else is required
// side by side. A run followed by a part whose every match starts with one of a few known
// strings is required joined to them: \.e(?:\.[a-z]|\() requires ".e." or ".e(".
Info Concat(std::vector<Info> parts) {
  // What starts every match: the leading exact parts multiplied out, joined to the prefixes of
  // the first inexact part.
  std::vector<std::string> head = {std::string()};
  for (const auto& p : parts) {
    std::vector<std::string> next = Product(head, p.exact ? p.strings : PrefixesOf(p));
    if (next.empty()) break;
    head = std::move(next);
    if (!p.exact) break;
  }
  std::vector<AtomFormula> required;
  std::optional<Info> run;  // exact
  bool broken = false;      // something was flushed: the result is not exact
  auto flush = [&] {
    if (run.has_value()) required.push_back(ToMatch(*run));
    run.reset();
    broken = true;
  };
  for (auto& p : parts) {
    if (!p.exact) {
      if (run.has_value()) {
        std::vector<std::string> joined = Product(run->strings, PrefixesOf(p));
        if (!joined.empty()) run = Exact(std::move(joined));
      }
      flush();
      required.push_back(std::move(p.match));
      continue;
    }
    if (!run.has_value()) {
      run = std::move(p);
      continue;
    }
    if (std::vector<std::string> product = Product(run->strings, p.strings); !product.empty()) {
      run = Exact(std::move(product));
      continue;
    }
    flush();
    run = std::move(p);
  }
  if (!broken) return run.has_value() ? std::move(*run) : Empty();
  if (run.has_value()) required.push_back(ToMatch(*run));
  Info out = Match(And(std::move(required)));
  out.prefixes = PrefixesOf(Exact(std::move(head)));
  return out;
}

Info Alternate(std::vector<Info> branches) {
  bool all_exact = true;
  std::size_t total = 0;
  for (const auto& b : branches) {
    all_exact = all_exact && b.exact;
    total += b.exact ? b.strings.size() : 0;
  }
  if (all_exact && total <= kMaxExact) {
    std::vector<std::string> all;
    for (auto& b : branches) all.insert(all.end(), b.strings.begin(), b.strings.end());
    return Exact(std::move(all));
  }
  std::vector<AtomFormula> alts;
  std::vector<std::string> prefixes;
  bool prefixed = true;
  for (const auto& b : branches) {
    alts.push_back(ToMatch(b));
    std::vector<std::string> p = PrefixesOf(b);
    prefixed = prefixed && !p.empty() && prefixes.size() + p.size() <= kMaxExact;
    if (prefixed) prefixes.insert(prefixes.end(), p.begin(), p.end());
  }
  Info out = Match(Or(std::move(alts)));
  if (prefixed) out.prefixes = Exact(std::move(prefixes)).strings;
  return out;
}

}  // namespace

bool IsCaselessRune(std::uint32_t cp) {
  return (cp >= 0xA0 && cp <= 0xBF && cp != 0xB5) || cp == 0xD7 || cp == 0xF7 ||
         (cp >= 0x2B0 && cp <= 0x2FF) || (cp >= 0x2000 && cp <= 0x206F) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xFF01 && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
         (cp >= 0xFF5B && cp <= 0xFF65);
}

namespace {

void AppendUtf8(std::uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Recursive-descent reader of RE2 syntax. Any construct it does not know sets failed_, and the
// caller then requires nothing.
class Reader {
 public:
  Reader(std::string_view re, bool icase) : re_(re), icase_(icase) {}

  std::optional<Info> Read() {
    Info i = Alternation(0);
    if (failed_ || pos_ != re_.size()) return std::nullopt;
    return i;
  }

 private:
  bool AtEnd() const { return pos_ >= re_.size(); }
  char Peek() const { return re_[pos_]; }

  Info Fail() {
    failed_ = true;
    return Anything();
  }

  // A literal character (code point) as an exact one-character set. Non-ASCII characters of a
  // case-insensitive pattern fold in ways a byte scan cannot follow: they require nothing,
  // unless RE2 folds them to nothing else (IsCaselessRune).
  Info Literal(std::uint32_t cp) {
    if (cp < 0x80) {
      return Exact({std::string(1, AsciiLower(static_cast<unsigned char>(cp)))});
    }
    if (icase_ && !IsCaselessRune(cp)) return Anything();
    std::string s;
    AppendUtf8(cp, &s);
    return Exact({s});
  }

  Info Alternation(int depth) {
    if (depth > kMaxDepth) return Fail();
    std::vector<Info> branches;
    branches.push_back(Concatenation(depth));
    while (!failed_ && !AtEnd() && Peek() == '|') {
      ++pos_;
      branches.push_back(Concatenation(depth));
    }
    if (branches.size() == 1) return std::move(branches.front());
    return Alternate(std::move(branches));
  }

  Info Concatenation(int depth) {
    std::vector<Info> parts;
    while (!failed_ && !AtEnd() && Peek() != '|' && Peek() != ')') {
      Info atom = Atom(depth);
      if (failed_) break;
      parts.push_back(Repeat(std::move(atom)));
    }
    if (parts.empty()) return Empty();
    return Concat(std::move(parts));
  }

  // Parses "{n}", "{n,}", "{n,m}" at pos_; false (pos_ unchanged) when it is not one.
  bool Braces(int* min, int* max) {
    std::size_t p = pos_ + 1;
    auto number = [&](int* out) {
      std::size_t start = p;
      long v = 0;
      while (p < re_.size() && IsAsciiDigit(static_cast<unsigned char>(re_[p])) && p - start < 6) {
        v = v * 10 + (re_[p] - '0');
        ++p;
      }
      *out = static_cast<int>(v);
      return p > start;
    };
    if (!number(min)) return false;
    *max = *min;
    if (p < re_.size() && re_[p] == ',') {
      ++p;
      if (!number(max)) *max = -1;
    }
    if (p >= re_.size() || re_[p] != '}') return false;
    pos_ = p + 1;
    return true;
  }

  Info Repeat(Info atom) {
    while (!AtEnd()) {
      char c = Peek();
      int min = 0;
      int max = 0;
      if (c == '*' || c == '?') {
        ++pos_;
        min = 0;
        max = c == '?' ? 1 : -1;
      } else if (c == '+') {
        ++pos_;
        min = 1;
        max = -1;
      } else if (c == '{' && Braces(&min, &max)) {
        // parsed
      } else {
        break;
      }
      if (!AtEnd() && Peek() == '?') ++pos_;  // non-greedy: the same strings match
      if (min == 0) {
        atom = Anything();
      } else if (!(min == 1 && max == 1)) {
        // Every match starts with a match of the repeated part.
        std::vector<std::string> prefixes = PrefixesOf(atom);
        atom = Match(ToMatch(atom));
        atom.prefixes = std::move(prefixes);
      }
    }
    return atom;
  }

  // Reads one (possibly multi-byte) character of the pattern; nullopt on invalid UTF-8.
  std::optional<std::uint32_t> Char() {
    unsigned char c = static_cast<unsigned char>(re_[pos_]);
    if (c < 0x80) {
      ++pos_;
      return c;
    }
    int len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || pos_ + len > re_.size()) return std::nullopt;
    std::uint32_t cp = c & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(re_[pos_ + k]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3F);
    }
    pos_ += len;
    return cp;
  }

  // After a backslash (pos_ at the escaped character). Sets *cp for an escaped literal;
  // returns false for a class escape (\d, \pL, ...), which matches one of many characters.
  // Zero-width escapes are reported through *zero_width.
  bool Escape(std::uint32_t* cp, bool* zero_width, bool in_class) {
    *zero_width = false;
    if (AtEnd()) {
      failed_ = true;
      return false;
    }
    char e = re_[pos_++];
    switch (e) {
      case 'd': case 'D': case 'w': case 'W': case 's': case 'S': case 'C':
        return false;
      case 'p':
      case 'P':
        if (!AtEnd() && Peek() == '{') {
          std::size_t close = re_.find('}', pos_);
          if (close == std::string_view::npos) {
            failed_ = true;
            return false;
          }
          pos_ = close + 1;
        } else if (!AtEnd()) {
          ++pos_;
        }
        return false;
      case 'b': case 'B': case 'A': case 'z':
        if (in_class) failed_ = true;
        *zero_width = true;
        return false;
      case 'a': *cp = 7; return true;
      case 'f': *cp = 12; return true;
      case 't': *cp = 9; return true;
      case 'n': *cp = 10; return true;
      case 'r': *cp = 13; return true;
      case 'v': *cp = 11; return true;
      case 'x': {
        std::uint32_t v = 0;
        if (!AtEnd() && Peek() == '{') {
          std::size_t close = re_.find('}', pos_);
          if (close == std::string_view::npos || close == pos_ + 1 || close - pos_ > 9) {
            failed_ = true;
            return false;
          }
          for (std::size_t k = pos_ + 1; k < close; ++k) {
            int h = HexValue(static_cast<unsigned char>(re_[k]));
            if (h < 0) {
              failed_ = true;
              return false;
            }
            v = v * 16 + static_cast<std::uint32_t>(h);
          }
          pos_ = close + 1;
        } else {
          for (int k = 0; k < 2; ++k) {
            int h = AtEnd() ? -1 : HexValue(static_cast<unsigned char>(Peek()));
            if (h < 0) {
              failed_ = true;
              return false;
            }
            v = v * 16 + static_cast<std::uint32_t>(h);
            ++pos_;
          }
        }
        *cp = v;
        return true;
      }
      default:
        break;
    }
    if (e >= '0' && e <= '7') {
      std::uint32_t v = static_cast<std::uint32_t>(e - '0');
      for (int k = 0; k < 2 && !AtEnd() && Peek() >= '0' && Peek() <= '7'; ++k) {
        v = v * 8 + static_cast<std::uint32_t>(re_[pos_++] - '0');
      }
      *cp = v;
      return true;
    }
    if (IsAsciiAlnum(static_cast<unsigned char>(e))) {
      failed_ = true;  // an escape this reader does not know
      return false;
    }
    *cp = static_cast<unsigned char>(e);
    return true;
  }

  // A bracketed class, pos_ after '['.
  Info Class() {
    bool negated = false;
    if (!AtEnd() && Peek() == '^') {
      negated = true;
      ++pos_;
    }
    std::vector<std::string> chars;
    bool big = negated;
    bool first = true;
    while (true) {
      if (AtEnd()) return Fail();
      if (Peek() == ']' && !first) {
        ++pos_;
        break;
      }
      first = false;
      if (re_.compare(pos_, 2, "[:") == 0) {
        std::size_t close = re_.find(":]", pos_ + 2);
        if (close == std::string_view::npos) return Fail();
        pos_ = close + 2;
        big = true;
        continue;
      }
      std::uint32_t lo = 0;
      if (Peek() == '\\') {
        ++pos_;
        bool zero_width = false;
        if (!Escape(&lo, &zero_width, true)) {
          if (failed_) return Anything();
          big = true;
          continue;
        }
      } else {
        auto c = Char();
        if (!c.has_value()) return Fail();
        lo = *c;
      }
      std::uint32_t hi = lo;
      if (pos_ + 1 < re_.size() && Peek() == '-' && re_[pos_ + 1] != ']') {
        ++pos_;
        if (Peek() == '\\') {
          ++pos_;
          bool zero_width = false;
          if (!Escape(&hi, &zero_width, true)) return Fail();
        } else {
          auto c = Char();
          if (!c.has_value()) return Fail();
          hi = *c;
        }
        if (hi < lo) return Fail();
      }
      // Control characters are few and rare in texts: a class of them is kept whole.
      if (hi - lo >= kMaxClassChars && !IsControl(lo, hi)) {
        big = true;
        continue;
      }
      for (std::uint32_t c = lo; c <= hi; ++c) {
        if (c < 0x80) {
          chars.push_back(std::string(1, AsciiLower(static_cast<unsigned char>(c))));
        } else if (icase_ && !IsCaselessRune(c)) {
          big = true;
        } else {
          AppendUtf8(c, &chars.emplace_back());
        }
      }
    }
    if (big) return Anything();
    const auto others = static_cast<std::size_t>(
        std::count_if(chars.begin(), chars.end(), [](const std::string& c) {
          return c.size() != 1 || !IsControl(static_cast<unsigned char>(c[0]),
                                             static_cast<unsigned char>(c[0]));
        }));
    Info i = Exact(std::move(chars));
    if (others > kMaxClassChars || i.strings.size() > kMaxClassControls) return Anything();
    return i;
  }

  // A group, pos_ after '('.
  Info Group(int depth) {
    if (!AtEnd() && Peek() == '?') {
      ++pos_;
      if (AtEnd()) return Fail();
      if (Peek() == 'P' || Peek() == '<') {
        if (Peek() == 'P') ++pos_;
        if (AtEnd() || Peek() != '<') return Fail();
        std::size_t close = re_.find('>', pos_);
        if (close == std::string_view::npos) return Fail();
        pos_ = close + 1;
      } else {
        // Flags: (?i) (?s-m) set them for the rest of the group; (?i:...) scopes them. Case
        // folding was settled for the whole pattern before reading.
        while (!AtEnd() && (IsAsciiAlpha(static_cast<unsigned char>(Peek())) || Peek() == '-')) {
          ++pos_;
        }
        if (AtEnd()) return Fail();
        if (Peek() == ')') {
          ++pos_;
          return Empty();
        }
        if (Peek() != ':') return Fail();
        ++pos_;
      }
    }
    Info inner = Alternation(depth + 1);
    if (failed_ || AtEnd() || Peek() != ')') return Fail();
    ++pos_;
    return inner;
  }

  Info Atom(int depth) {
    char c = Peek();
    switch (c) {
      case '(':
        ++pos_;
        return Group(depth);
      case '[':
        ++pos_;
        return Class();
      case '.':
        ++pos_;
        return Anything();
      case '^':
      case '$':
        ++pos_;
        return Empty();
      case '*':
      case '+':
      case '?':
        return Fail();  // a repetition of nothing
      case '\\': {
        ++pos_;
        if (!AtEnd() && Peek() == 'Q') {
          ++pos_;
          std::size_t end = re_.find("\\E", pos_);
          std::string_view quoted =
              re_.substr(pos_, end == std::string_view::npos ? std::string_view::npos : end - pos_);
          pos_ = end == std::string_view::npos ? re_.size() : end + 2;
          std::vector<Info> parts;
          Reader inner(quoted, icase_);
          while (!inner.AtEnd()) {
            auto cp = inner.Char();
            if (!cp.has_value()) return Fail();
            parts.push_back(Literal(*cp));
          }
          // The last quoted character may take a quantifier; keep it separate.
          if (parts.empty()) return Empty();
          Info last = std::move(parts.back());
          parts.pop_back();
          if (parts.empty()) return last;
          Info head = Concat(std::move(parts));
          Info tail = Repeat(std::move(last));
          return Concat({std::move(head), std::move(tail)});
        }
        std::uint32_t cp = 0;
        bool zero_width = false;
        if (Escape(&cp, &zero_width, false)) return Literal(cp);
        if (failed_) return Anything();
        return zero_width ? Empty() : Anything();
      }
      default: {
        auto cp = Char();
        if (!cp.has_value()) return Fail();
        return Literal(*cp);
      }
    }
  }

  std::string_view re_;
  bool icase_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

// Whether the pattern turns on case folding anywhere: "(?i)", "(?si:", ... A literal "(?"
// only makes this answer yes more often, which is safe.
bool MayFoldCase(std::string_view re) {
  for (std::size_t at = re.find("(?"); at != std::string_view::npos; at = re.find("(?", at + 2)) {
    for (std::size_t i = at + 2; i < re.size(); ++i) {
      char c = re[i];
      if (c == 'i') return true;
      if (c == '-') break;  // flags after '-' are turned off
      if (!IsAsciiAlpha(static_cast<unsigned char>(c))) break;
    }
  }
  return false;
}

std::size_t Size(const AtomFormula& f) {
  std::size_t n = 1;
  for (const auto& c : f.children) n += Size(c);
  return n;
}

}  // namespace

AtomFormula AtomFormula::Atom(std::string s) {
  AtomFormula f;
  f.kind = Kind::kAtom;
  f.atom = std::move(s);
  return f;
}

AtomFormula RegexAtoms(std::string_view pattern) {
  constexpr std::size_t kMaxFormulaNodes = 512;
  std::optional<Info> info = Reader(pattern, MayFoldCase(pattern)).Read();
  if (!info.has_value()) return AtomFormula::True();
  AtomFormula f = ToMatch(*info);
  if (Size(f) > kMaxFormulaNodes) return AtomFormula::True();
  return f;
}

std::string ToString(const AtomFormula& f) {
  switch (f.kind) {
    case AtomFormula::Kind::kTrue:
      return "true";
    case AtomFormula::Kind::kAtom:
      return "\"" + f.atom + "\"";
    case AtomFormula::Kind::kAnd:
    case AtomFormula::Kind::kOr: {
      std::string out = "(";
      for (std::size_t i = 0; i < f.children.size(); ++i) {
        if (i > 0) out += f.kind == AtomFormula::Kind::kAnd ? " & " : " | ";
        out += ToString(f.children[i]);
      }
      return out + ")";
    }
  }
  return "?";
}

}  // namespace warden
