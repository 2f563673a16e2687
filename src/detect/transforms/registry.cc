#include <algorithm>
#include <array>

#include "common/strings.h"
#include "detect/transforms/transform.h"

namespace warden {

namespace {

// Adding a transform: write transforms/<name>.cc, declare it in transform.h, add an id, one row
// here and one table row to tests/detect/transforms_test.cc.
constexpr TransformDef kTransforms[] = {
    {"url_decode", TransformId::kUrlDecode, &UrlDecodeTransform, kHasPercent | kHasPlus},
    {"html_entity_decode", TransformId::kHtmlEntityDecode, &HtmlEntityDecodeTransform,
     kHasAmpersand},
    {"unicode_unescape", TransformId::kUnicodeUnescape, &UnicodeUnescapeTransform,
     kHasBackslash | kHasPercent},
    {"base64_decode", TransformId::kBase64Decode, &Base64DecodeTransform, kMaybeBase64},
    {"lowercase", TransformId::kLowercase, &LowercaseTransform, kHasUpper},
    {"compress_whitespace", TransformId::kCompressWhitespace, &CompressWhitespaceTransform,
     kHasSpace},
    {"remove_comments", TransformId::kRemoveComments, &RemoveCommentsTransform,
     kHasSlash | kHasDash | kHasHash},
    {"normalize_path", TransformId::kNormalizePath, &NormalizePathTransform,
     kHasSlash | kHasBackslash | kHasDot},
    {"remove_nulls", TransformId::kRemoveNulls, &RemoveNullsTransform, kHasNul},
};

// Triggers by TransformId, for TransformChain::triggers(), which runs for every text and chain.
constexpr std::array<TextFeatures, 16> kTriggersById = [] {
  std::array<TextFeatures, 16> t{};
  for (const auto& d : kTransforms) t[static_cast<std::size_t>(d.id)] = d.triggers;
  return t;
}();

}  // namespace

std::span<const TransformDef> Transforms() { return kTransforms; }

const TransformDef* FindTransform(std::string_view name) {
  auto it = std::find_if(std::begin(kTransforms), std::end(kTransforms),
                         [&](const TransformDef& d) { return d.name == name; });
  return it == std::end(kTransforms) ? nullptr : &*it;
}

const TransformDef& GetTransform(TransformId id) {
  for (const auto& d : kTransforms) {
    if (d.id == id) return d;
  }
  return kTransforms[0];  // unreachable for ids in the table
}

int TransformChain::size() const {
  int n = 0;
  while (n < kMaxLength && at(n) != TransformId::kNone) ++n;
  return n;
}

bool TransformChain::Append(TransformId id) {
  int n = size();
  if (n >= kMaxLength || id == TransformId::kNone) return false;
  packed_ |= static_cast<std::uint32_t>(id) << (4 * n);
  triggers_ = TriggersOf(packed_);
  return true;
}

std::string TransformChain::ToString() const {
  std::string out;
  for (int i = 0; i < size(); ++i) {
    if (i > 0) out += ',';
    out += GetTransform(at(i)).name;
  }
  return out;
}

TextFeatures TransformChain::TriggersOf(std::uint32_t packed) {
  TextFeatures t = 0;
  for (std::uint32_t p = packed; p != 0; p >>= 4) t |= kTriggersById[p & 0xF];
  return t;
}

namespace {

// Per byte: the features it shows (low 16 bits), and kNotBase64 when no base64 text holds it
// (letters, digits, '+', '/', '-', '_', '=' and ASCII whitespace may).
constexpr std::uint32_t kNotBase64 = std::uint32_t{1} << 16;
constexpr std::array<std::uint32_t, 256> kByteFeatures = [] {
  std::array<std::uint32_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const auto b = static_cast<unsigned char>(c);
    std::uint32_t f = 0;
    if (IsAsciiAlnum(b)) {
      f = b >= 'A' && b <= 'Z' ? kHasUpper : 0;
    } else if (IsAsciiSpace(b)) {
      f = kHasSpace;
    } else {
      switch (b) {
        case '%': f = kHasPercent | kNotBase64; break;
        case '+': f = kHasPlus; break;
        case '&': f = kHasAmpersand | kNotBase64; break;
        case '\\': f = kHasBackslash | kNotBase64; break;
        case '/': f = kHasSlash; break;
        case '-': f = kHasDash; break;
        case '#': f = kHasHash | kNotBase64; break;
        case '.': f = kHasDot | kNotBase64; break;
        case '\0': f = kHasNul | kNotBase64; break;
        case '_':
        case '=':
          break;
        default:
          f = b >= 0x80 ? kHasNonAscii | kNotBase64 : kNotBase64;
      }
    }
    t[static_cast<std::size_t>(c)] = f;
  }
  return t;
}();

}  // namespace

TextFeatures FeaturesOf(std::string_view text) {
  std::uint32_t f = 0;
  for (char ch : text) f |= kByteFeatures[static_cast<unsigned char>(ch)];
  TextFeatures out = static_cast<TextFeatures>(f & 0xFFFF);
  if (text.size() >= 8 && (f & kNotBase64) == 0) out |= kMaybeBase64;
  return out;
}

std::string_view ApplyChain(TransformChain chain, std::string_view in, std::string* storage) {
  std::string_view current = in;
  std::string next;
  bool changed = false;
  for (int i = 0; i < chain.size(); ++i) {
    next.clear();
    if (GetTransform(chain.at(i)).apply(current, &next)) {
      storage->swap(next);
      current = *storage;
      changed = true;
    }
  }
  return changed ? current : in;
}

void AppendUtf8(std::uint32_t cp, std::string* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
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

}  // namespace warden
