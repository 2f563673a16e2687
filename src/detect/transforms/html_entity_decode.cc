#include <array>
#include <cstdint>

#include "common/strings.h"
#include "detect/transforms/transform.h"

namespace warden {

namespace {

struct NamedReference {
  std::string_view name;
  std::uint32_t code_point;
};

// The references payloads use to hide markup and script punctuation. Names are case-sensitive
// as in HTML.
constexpr NamedReference kNamed[] = {
    {"lt", '<'},       {"LT", '<'},        {"gt", '>'},       {"GT", '>'},
    {"amp", '&'},      {"AMP", '&'},       {"quot", '"'},     {"QUOT", '"'},
    {"apos", '\''},    {"nbsp", 0xA0},     {"colon", ':'},    {"semi", ';'},
    {"comma", ','},    {"period", '.'},    {"sol", '/'},      {"bsol", '\\'},
    {"lpar", '('},     {"rpar", ')'},      {"lsqb", '['},     {"rsqb", ']'},
    {"lbrack", '['},   {"rbrack", ']'},    {"lcub", '{'},     {"rcub", '}'},
    {"lbrace", '{'},   {"rbrace", '}'},    {"excl", '!'},     {"quest", '?'},
    {"num", '#'},      {"dollar", '$'},    {"percnt", '%'},   {"ast", '*'},
    {"midast", '*'},   {"plus", '+'},      {"equals", '='},   {"grave", '`'},
    {"Hat", '^'},      {"lowbar", '_'},    {"verbar", '|'},   {"vert", '|'},
    {"VerticalLine", '|'}, {"Tab", '\t'},  {"NewLine", '\n'}, {"commat", '@'},
    {"tilde", '~'},    {"hyphen", '-'},    {"dash", '-'},
};

// kNamed's positions by the ASCII-lower-cased first letter of the name: a reference is compared
// with the few names that can match it.
constexpr std::size_t kMaxPerLetter = 12;
struct ByLetter {
  std::uint8_t count = 0;
  std::uint8_t at[kMaxPerLetter] = {};
};
constexpr std::array<ByLetter, 26> kByLetter = [] {
  std::array<ByLetter, 26> t{};
  for (std::size_t k = 0; k < std::size(kNamed); ++k) {
    ByLetter& l = t[static_cast<std::size_t>(AsciiLower(kNamed[k].name[0]) - 'a')];
    // A name not starting with a letter, or too many for one letter, fails the build here.
    l.at[l.count++] = static_cast<std::uint8_t>(k);
  }
  return t;
}();

// Reads a reference starting at in[pos] == '&'. On success appends the character and returns
// the number of bytes consumed; returns 0 when there is no reference here.
std::size_t DecodeAt(std::string_view in, std::size_t pos, std::string* out) {
  std::size_t i = pos + 1;
  if (i < in.size() && in[i] == '#') {
    ++i;
    bool hex = i < in.size() && (in[i] == 'x' || in[i] == 'X');
    if (hex) ++i;
    std::size_t digits_start = i;
    std::uint32_t value = 0;
    bool overflow = false;
    while (i < in.size()) {
      unsigned char c = static_cast<unsigned char>(in[i]);
      int d = hex ? HexValue(c) : (IsAsciiDigit(c) ? c - '0' : -1);
      if (d < 0) break;
      value = value * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
      if (value > 0x10FFFF) overflow = true;
      if (overflow) value = 0x110000;
      ++i;
    }
    if (i == digits_start) return 0;
    if (i < in.size() && in[i] == ';') ++i;
    AppendUtf8(value == 0 ? 0xFFFD : value, out);
    return i - pos;
  }
  // Longest name that matches here in its case, else the longest that matches ignoring ASCII
  // case (&LBRACE;, &Colon; are read as their lower-case names, as a decoder that lower-cases
  // first would); ';' after it is optional. Every name starts with an ASCII letter: only names
  // starting with this one can match.
  if (i >= in.size() || !IsAsciiAlpha(static_cast<unsigned char>(in[i]))) return 0;
  const NamedReference* best = nullptr;
  const NamedReference* caseless = nullptr;
  const ByLetter& letter = kByLetter[static_cast<std::size_t>(AsciiLower(in[i]) - 'a')];
  for (std::size_t k = 0; k < letter.count; ++k) {
    const NamedReference& ref = kNamed[letter.at[k]];
    const std::string_view here = in.substr(i, ref.name.size());
    if (here == ref.name) {
      if (best == nullptr || ref.name.size() > best->name.size()) best = &ref;
    } else if (EqualsIgnoreCase(here, ref.name) &&
               (caseless == nullptr || ref.name.size() > caseless->name.size())) {
      caseless = &ref;
    }
  }
  if (best == nullptr) best = caseless;
  if (best == nullptr) return 0;
  i += best->name.size();
  if (i < in.size() && in[i] == ';') ++i;
  AppendUtf8(best->code_point, out);
  return i - pos;
}

}  // namespace

bool HtmlEntityDecodeTransform(std::string_view in, std::string* out) {
  // Runs between references are copied whole, and only once some reference decodes: most
  // texts with a '&' (query strings, form bodies) hold none.
  std::string result;
  std::string decoded;
  std::size_t copied = 0;  // in[0, copied) is in result
  bool changed = false;
  for (std::size_t amp = in.find('&'); amp != std::string_view::npos;) {
    decoded.clear();
    const std::size_t used = DecodeAt(in, amp, &decoded);
    if (used == 0) {
      amp = in.find('&', amp + 1);
      continue;
    }
    result.append(in.substr(copied, amp - copied));
    result += decoded;
    copied = amp + used;
    changed = true;
    amp = in.find('&', copied);
  }
  if (!changed) return false;
  result.append(in.substr(copied));
  *out = std::move(result);
  return true;
}

}  // namespace warden
