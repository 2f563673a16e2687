#include "detect/compile/regex_atoms.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "common/strings.h"

namespace warden {
namespace {

// Whether `f` holds on `text` the way the prefilter checks it: atoms found ASCII-case-
// insensitively.
bool Holds(const AtomFormula& f, const std::string& lowered) {
  switch (f.kind) {
    case AtomFormula::Kind::kTrue:
      return true;
    case AtomFormula::Kind::kAtom:
      return lowered.find(f.atom) != std::string::npos;
    case AtomFormula::Kind::kAnd:
      for (const auto& c : f.children) {
        if (!Holds(c, lowered)) return false;
      }
      return true;
    case AtomFormula::Kind::kOr:
      for (const auto& c : f.children) {
        if (Holds(c, lowered)) return true;
      }
      return false;
  }
  return true;
}

TEST(RegexAtomsTest, Formulas) {
  struct Case {
    const char* re;
    const char* want;
  };
  const Case cases[] = {
      {"union", "\"union\""},
      {"(?i)UNION\\s+SELECT", "(\"union\" & \"select\")"},
      {"union|select", "(\"select\" | \"union\")"},
      {"a(b|c)d", "(\"abd\" | \"acd\")"},
      {"ab", "\"ab\""},  // atoms of any length: the prefilter looks short ones up by byte
      {"\\)\\s*\\(", "(\")\" & \"(\")"},     // short punctuation is kept
      {"['\"]\\s*or", "((\"\"\" | \"'\") & \"or\")"},
      {"x*", "true"},
      {"(?:abc)?def", "\"def\""},
      {"(?:abc)+", "\"abc\""},
      {"abc{2}", "(\"abc\" & \"c\")"},  // "ab" joined to what starts c{2}
      // An exact run joined to the strings that start the next part's matches.
      {"x(?:ab+|cd*)", "((\"xab\" | \"xc\") & ((\"ab\" & \"b\") | \"c\"))"},
      {"\\.e(?:\\.[a-z_]|\\()", "((\".e(\" | \".e.\") & (\".\" | \"(\"))"},
      {"a(?:b|c*)d", "(\"a\" & \"d\")"},  // c* may be empty: nothing starts every match
      {"abc{1}d", "\"abcd\""},
      {"a.b.c", "(\"a\" & \"b\" & \"c\")"},
      {"[ab]cd", "(\"acd\" | \"bcd\")"},
      {"[^ab]cd", "\"cd\""},
      {"[a-z]+select", "\"select\""},
      {"\\Qa.b*\\E", "\"a.b*\""},
      {"\\x41\\x{42}C", "\"abc\""},
      {"^admin$", "\"admin\""},
      {"\\badmin\\b", "\"admin\""},
      {"(a|)bcd", "(\"abcd\" | \"bcd\")"},
      {"(?P<x>sel)ect", "\"select\""},
      {"caf\xc3\xa9", "\"caf\xc3\xa9\""},
      {"(?i)caf\xc3\xa9", "\"caf\""},  // non-ASCII folds: dropped under (?i)
      // ...but for characters that fold to nothing else (typographic quotes, CJK full stops)
      {"(?i)[\\x{2018}\\x{2019}]\\s*OR", "((\"\xe2\x80\x98\" | \"\xe2\x80\x99\") & \"or\")"},
      {"(?i)1\xe3\x80\x82" "2", "\"1\xe3\x80\x82" "2\""},
      {"(?i)[\xc2\xb5x]y", "\"y\""},  // the micro sign folds to Greek mu
      {"[\xc2\xb5x]y", "(\"xy\" | \"\xc2\xb5y\")"},
      {"[\\r\\n]", "(\"\n\" | \"\r\")"},
      // A class of more than 8 characters is kept when all but 8 are control characters.
      {"[\\x01-\\x0a]", "(\"\x01\" | \"\x02\" | \"\x03\" | \"\x04\" | \"\x05\" | \"\x06\" | "
                        "\"\x07\" | \"\x08\" | \"\t\" | \"\n\")"},
      // Past 16 strings, the class and what follows it are two requirements.
      {"[\\x01-\\x0aabcdefgh]x", "((\"\x01\" | \"\x02\" | \"\x03\" | \"\x04\" | \"\x05\" | \"\x06\" | "
                                 "\"\x07\" | \"\x08\" | \"\t\" | \"\n\" | \"a\" | \"b\" | \"c\" | \"d\" | "
                                 "\"e\" | \"f\" | \"g\" | \"h\") & \"x\")"},
      {"[\\x01-\\x0aabcdefghi]", "true"},
      {"[\\x00-\\x1f\\x7fabcdefgh]", "true"},  // over 40 characters
      {"[[:alpha:]]+x", "\"x\""},
      {"\\pLabc", "\"abc\""},
      {"a{,3}", "\"a{,3}\""},  // not a repetition: literal braces
      {"(unbalanced", "true"},
      {"\\9", "true"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ToString(RegexAtoms(c.re)), c.want) << c.re;
  }
}

// Whatever RE2 matches, the formula must allow.
TEST(RegexAtomsTest, NecessaryForEveryMatch) {
  const char* const regexes[] = {
      "(?i)\\bunion(?:\\s|/\\*.*?\\*/)+select\\b",
      "(?i)(?:^|[^a-z])(?:sleep|benchmark)\\s*\\(",
      "(?i)<\\s*script[^>]*>",
      "(?i)(?:\\.\\./|\\.\\.\\\\)+(?:etc|windows)",
      "[;|&`]\\s*(?:cat|id|whoami)\\b",
      "(?i)select.{1,60}?from",
      "(?i)k[e3]y|s[e3]cret",
      "\\)\\s*\\(\\s*[|&!]",
      "(?i)\\bor\\b\\s+\\d+\\s*=\\s*\\d+",
      "(?:ab|cd)(?:ef|gh)(?:ij|kl)(?:mn|op)(?:qr|st)",
      "a+b+c+def",
      "\\Qx{1,3}\\E",
      "^[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]{1,4}/?$",
  };
  const char* const texts[] = {
      "1 UNION SELECT 2", "1 uNiOn/**/sElEcT 2", "1 \xc5\xbf" "elect", "x' or 1=1", "' OR 7 = 7",
      "sleep(5)", "BENCHMARK (1,2)", "<script>", "< SCRIPT src=x>", "../../etc/passwd",
      "..\\..\\Windows", "; cat /etc", "|id", "select a from b", "SELECT * FROM t",
      "\xe2\x84\xaa" "ey", "secret", "s3cret", "*)(|(a=b))", "abegiknpqr", "cdfhjlnprt",
      "aaabbbcdef", "abcdef", "x{1,3}", "", "plain text", "\x01", "\x1f\x7f/", "\x0b\x0c\x0e\x10",
  };
  for (const char* re : regexes) {
    RE2 compiled(re);
    ASSERT_TRUE(compiled.ok()) << re;
    AtomFormula f = RegexAtoms(re);
    EXPECT_FALSE(f.is_true()) << re;
    for (const char* t : texts) {
      if (!RE2::PartialMatch(t, compiled)) continue;
      // The prefilter scans texts holding U+017F / U+212A also with them spelled in ASCII.
      std::string folded = t;
      for (auto [from, to] : {std::pair<std::string, std::string>{"\xc5\xbf", "s"},
                              std::pair<std::string, std::string>{"\xe2\x84\xaa", "k"}}) {
        for (std::size_t at = folded.find(from); at != std::string::npos;
             at = folded.find(from)) {
          folded.replace(at, from.size(), to);
        }
      }
      EXPECT_TRUE(Holds(f, AsciiLowered(t)) || Holds(f, AsciiLowered(folded)))
          << re << " matches '" << t << "' but " << ToString(f) << " does not hold";
    }
  }
}

// No code point outside IsCaselessRune() folds into it under RE2's (?i), and none inside folds
// out of it (folding is symmetric): the class of all of them matches nothing else.
TEST(RegexAtomsTest, CaselessRunesFoldToNothingElse) {
  auto utf8 = [](std::uint32_t cp) {
    std::string s;
    if (cp < 0x80) {
      s.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    return s;
  };
  std::string cls = "(?i)^[";
  std::size_t runs = 0;
  for (std::uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (!IsCaselessRune(cp)) continue;
    std::uint32_t end = cp;
    while (end + 1 <= 0x10FFFF && IsCaselessRune(end + 1)) ++end;
    char buf[40];
    std::snprintf(buf, sizeof buf, "\\x{%X}-\\x{%X}", cp, end);
    cls += buf;
    ++runs;
    cp = end;
  }
  cls += "]$";
  ASSERT_GT(runs, 5u);
  RE2 re(cls);
  ASSERT_TRUE(re.ok()) << re.error();
  std::size_t inside = 0;
  for (std::uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const bool matched = RE2::FullMatch(utf8(cp), re);
    EXPECT_EQ(matched, IsCaselessRune(cp)) << "U+" << std::hex << cp;
    inside += matched ? 1 : 0;
  }
  EXPECT_GT(inside, 20000u);
}

}  // namespace
}  // namespace warden
