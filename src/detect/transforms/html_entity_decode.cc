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
  // Longest name that matches here; ';' after it is optional.
  const NamedReference* best = nullptr;
  for (const auto& ref : kNamed) {
    if (in.substr(i, ref.name.size()) == ref.name &&
        (best == nullptr || ref.name.size() > best->name.size())) {
      best = &ref;
    }
  }
  if (best == nullptr) return 0;
  i += best->name.size();
  if (i < in.size() && in[i] == ';') ++i;
  AppendUtf8(best->code_point, out);
  return i - pos;
}

}  // namespace

bool HtmlEntityDecodeTransform(std::string_view in, std::string* out) {
  std::size_t amp = in.find('&');
  if (amp == std::string_view::npos) return false;
  std::string result(in.substr(0, amp));
  bool changed = false;
  std::size_t i = amp;
  while (i < in.size()) {
    if (in[i] == '&') {
      std::size_t used = DecodeAt(in, i, &result);
      if (used > 0) {
        i += used;
        changed = true;
        continue;
      }
    }
    result.push_back(in[i]);
    ++i;
  }
  if (changed) *out = std::move(result);
  return changed;
}

}  // namespace warden
