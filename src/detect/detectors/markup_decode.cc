#include "detect/detectors/markup_decode.h"

#include "common/strings.h"

namespace warden::detectors {

namespace {

struct NamedReference {
  std::string_view name;
  unsigned code_point;
  bool legacy;  // browsers also accept it without the ';'
};

// The references that matter for markup and script syntax; matched ignoring ASCII case.
constexpr NamedReference kNamed[] = {
    {"amp", '&', true},      {"apos", '\'', false},  {"bsol", '\\', false},
    {"colon", ':', false},   {"comma", ',', false},  {"equals", '=', false},
    {"excl", '!', false},    {"grave", '`', false},  {"gt", '>', true},
    {"lcub", '{', false},    {"lpar", '(', false},   {"lsqb", '[', false},
    {"lt", '<', true},       {"nbsp", 0xa0, true},   {"newline", '\n', false},
    {"num", '#', false},     {"percnt", '%', false}, {"period", '.', false},
    {"plus", '+', false},    {"quot", '"', true},    {"rcub", '}', false},
    {"rpar", ')', false},    {"rsqb", ']', false},   {"semi", ';', false},
    {"sol", '/', false},     {"tab", '\t', false},
};

bool IsOctal(unsigned char c) { return c >= '0' && c <= '7'; }

}  // namespace

std::size_t EncodeUtf8(unsigned cp, char* out) {
  if (cp > 0x10ffff) cp = 0xfffd;
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xc0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xe0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out[2] = static_cast<char>(0x80 | (cp & 0x3f));
    return 3;
  }
  out[0] = static_cast<char>(0xf0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
  out[3] = static_cast<char>(0x80 | (cp & 0x3f));
  return 4;
}

bool DecodeCharReference(std::string_view in, std::size_t pos, unsigned* code_point,
                         std::size_t* consumed) {
  const std::size_t n = in.size();
  std::size_t p = pos + 1;
  if (p < n && in[p] == '#') {
    ++p;
    const bool hex = p < n && (in[p] == 'x' || in[p] == 'X');
    if (hex) ++p;
    const std::size_t digits_start = p;
    unsigned long long value = 0;
    while (p < n) {
      const unsigned char c = static_cast<unsigned char>(in[p]);
      int d = -1;
      if (hex) {
        d = HexValue(c);
      } else if (IsAsciiDigit(c)) {
        d = c - '0';
      }
      if (d < 0) break;
      if (value <= 0x10ffff) value = value * (hex ? 16 : 10) + static_cast<unsigned>(d);
      ++p;
    }
    if (p == digits_start) return false;
    if (p < n && in[p] == ';') ++p;
    *code_point = value > 0x10ffff ? 0xfffd : static_cast<unsigned>(value);
    *consumed = p - pos;
    return true;
  }
  // Named: letters only, at most 8 of them.
  std::size_t q = p;
  while (q < n && q - p < 8 && IsAsciiAlpha(static_cast<unsigned char>(in[q]))) ++q;
  if (q == p) return false;
  // Try the longest name first so "&lpar" is not read as "&lt" + "par".
  for (std::size_t len = q - p; len > 0; --len) {
    const std::string_view name = in.substr(p, len);
    for (const NamedReference& ref : kNamed) {
      if (ref.name.size() != len || !EqualsIgnoreCase(ref.name, name)) continue;
      const bool semicolon = p + len < n && in[p + len] == ';';
      if (!semicolon && !ref.legacy) continue;
      *code_point = ref.code_point;
      *consumed = 1 + len + (semicolon ? 1 : 0);
      return true;
    }
  }
  return false;
}

std::size_t DecodeMarkupEscapes(std::string_view in, char* out) {
  const std::size_t n = in.size();
  std::size_t o = 0;
  std::size_t i = 0;
  auto at = [&](std::size_t k) -> unsigned char {
    return k < n ? static_cast<unsigned char>(in[k]) : 0;
  };
  while (i < n) {
    const unsigned char c = at(i);
    if (c == 0) {
      ++i;
      continue;
    }
    unsigned cp = 0;
    std::size_t used = 0;
    if (c == '&' && DecodeCharReference(in, i, &cp, &used)) {
      // A decoded NUL is dropped like a literal one.
    } else if (c == '%' && IsHexDigit(at(i + 1)) && IsHexDigit(at(i + 2))) {
      cp = static_cast<unsigned>(HexValue(at(i + 1)) * 16 + HexValue(at(i + 2)));
      used = 3;
    } else if (c == '\\' && (at(i + 1) == 'x' || at(i + 1) == 'X') && IsHexDigit(at(i + 2)) &&
               IsHexDigit(at(i + 3))) {
      cp = static_cast<unsigned>(HexValue(at(i + 2)) * 16 + HexValue(at(i + 3)));
      used = 4;
    } else if (c == '\\' && at(i + 1) == 'u' && at(i + 2) == '{') {
      std::size_t p = i + 3;
      unsigned long long v = 0;
      while (p < n && p - i < 12 && IsHexDigit(at(p))) {
        v = v * 16 + static_cast<unsigned>(HexValue(at(p)));
        ++p;
      }
      if (p > i + 3 && at(p) == '}') {
        cp = v > 0x10ffff ? 0xfffd : static_cast<unsigned>(v);
        used = p + 1 - i;
      }
    } else if (c == '\\' && at(i + 1) == 'u' && IsHexDigit(at(i + 2)) && IsHexDigit(at(i + 3)) &&
               IsHexDigit(at(i + 4)) && IsHexDigit(at(i + 5))) {
      cp = static_cast<unsigned>((HexValue(at(i + 2)) << 12) | (HexValue(at(i + 3)) << 8) |
                                 (HexValue(at(i + 4)) << 4) | HexValue(at(i + 5)));
      used = 6;
    } else if (c == '\\' && IsOctal(at(i + 1)) && at(i + 1) != '0') {
      std::size_t p = i + 1;
      unsigned v = 0;
      while (p < n && p - i <= 3 && IsOctal(at(p)) && v * 8 + (at(p) - '0') <= 0xff) {
        v = v * 8 + (at(p) - '0');
        ++p;
      }
      cp = v;
      used = p - i;
    }
    if (used == 0 && c == 0xef && (at(i + 1) == 0xbc || at(i + 1) == 0xbd) && at(i + 2) >= 0x80 &&
        at(i + 2) <= 0xbf) {
      // Fullwidth forms U+FF01..U+FF5E (＜script＞): servers that "best-fit" text to ASCII turn
      // them into their ASCII twins.
      const unsigned wide = 0xff00u | ((at(i + 1) & 0x03u) << 6) | (at(i + 2) & 0x3fu);
      if (wide >= 0xff01 && wide <= 0xff5e) {
        cp = wide - 0xfee0;
        used = 3;
      }
    }
    if (used == 0) {
      out[o++] = static_cast<char>(c);
      ++i;
      continue;
    }
    i += used;
    if (cp == 0) continue;
    // Every escape above is at least as long as the UTF-8 it stands for.
    o += EncodeUtf8(cp, out + o);
  }
  return o;
}

}  // namespace warden::detectors
