#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace warden {

// Per-term transforms (`transforms: [url_decode, lowercase]` inside a selector term): functions
// that rewrite a candidate's key and value before the term's data operators see them. Each is
// pure, thread-safe, linear in its input and accepts any bytes.
enum class TransformId : std::uint8_t {
  kNone = 0,
  kUrlDecode,
  kHtmlEntityDecode,
  kUnicodeUnescape,
  kBase64Decode,
  kLowercase,
  kCompressWhitespace,
  kRemoveComments,
  kNormalizePath,
  kRemoveNulls,
};

// Which bytes a text holds, as far as transforms care. A transform changes a text only when the
// text has one of the transform's trigger features, so most texts skip most chains unread.
using TextFeatures = std::uint16_t;
inline constexpr TextFeatures kHasPercent = 1 << 0;
inline constexpr TextFeatures kHasPlus = 1 << 1;
inline constexpr TextFeatures kHasAmpersand = 1 << 2;
inline constexpr TextFeatures kHasBackslash = 1 << 3;
inline constexpr TextFeatures kHasUpper = 1 << 4;
inline constexpr TextFeatures kHasSpace = 1 << 5;  // any ASCII whitespace
inline constexpr TextFeatures kHasSlash = 1 << 6;
inline constexpr TextFeatures kHasDash = 1 << 7;
inline constexpr TextFeatures kHasHash = 1 << 8;
inline constexpr TextFeatures kHasDot = 1 << 9;
inline constexpr TextFeatures kHasNul = 1 << 10;
inline constexpr TextFeatures kMaybeBase64 = 1 << 11;  // only base64 characters and spaces
inline constexpr TextFeatures kHasNonAscii = 1 << 12;  // a byte of 0x80 or more: maybe not UTF-8
inline constexpr TextFeatures kAllFeatures = 0xFFFF;
// One pass over `text`.
TextFeatures FeaturesOf(std::string_view text);

// A transform: returns false when `in` would come out unchanged (then `*out` is untouched), or
// true with the result in `*out`. Never fails.
using TransformFn = bool (*)(std::string_view in, std::string* out);

// One row of the transform table.
struct TransformDef {
  std::string_view name;  // the YAML name, e.g. "url_decode"
  TransformId id;
  TransformFn apply;
  TextFeatures triggers;  // `apply` leaves a text without any of these unchanged
};

// The table of transforms, in a fixed order. Thread-safe.
std::span<const TransformDef> Transforms();
// The transform named `name`, or nullptr.
const TransformDef* FindTransform(std::string_view name);
// The row of a known id (not kNone).
const TransformDef& GetTransform(TransformId id);

// An ordered list of at most kMaxLength transforms, packed into one integer so that it is a
// cheap cache key. Value type; the empty chain changes nothing.
class TransformChain {
 public:
  static constexpr int kMaxLength = 8;

  bool empty() const { return packed_ == 0; }
  int size() const;
  TransformId at(int i) const {
    return static_cast<TransformId>((packed_ >> (4 * i)) & 0xF);
  }
  // Appends a step; false when the chain is full.
  bool Append(TransformId id);
  // The first `n` steps (all of them when n >= size()).
  TransformChain Prefix(int n) const {
    TransformChain c;
    c.packed_ = n >= kMaxLength ? packed_ : packed_ & ((std::uint32_t{1} << (4 * n)) - 1);
    c.triggers_ = TriggersOf(c.packed_);
    return c;
  }
  std::uint32_t key() const { return packed_; }
  // "url_decode,lowercase"; empty for the empty chain.
  std::string ToString() const;
  // Features that may make the chain change a text: the union of its steps' triggers (a text
  // none of them changes comes out of every step as it went in).
  TextFeatures triggers() const { return triggers_; }

  friend bool operator==(TransformChain a, TransformChain b) { return a.packed_ == b.packed_; }

 private:
  static TextFeatures TriggersOf(std::uint32_t packed);

  std::uint32_t packed_ = 0;
  TextFeatures triggers_ = 0;  // of the steps in packed_, kept along (asked for every text)
};

// Applies every step of `chain` in order. Returns `in` itself when no step changed it, otherwise
// a view of `*storage`, which holds the result.
std::string_view ApplyChain(TransformChain chain, std::string_view in, std::string* storage);

// The transforms, one file each under transforms/.
//
// url_decode: %XX escapes and '+' as space, repeated until stable (at most 3 rounds).
bool UrlDecodeTransform(std::string_view in, std::string* out);
// html_entity_decode: &#NN; &#xHH; and named references (&lt; &colon; ...), in any ASCII case
// (a name in its own case wins), ";" optional.
bool HtmlEntityDecodeTransform(std::string_view in, std::string* out);
// unicode_unescape: \uXXXX (surrogate pairs joined), \u{X...}, \xXX and %uXXXX, as UTF-8.
bool UnicodeUnescapeTransform(std::string_view in, std::string* out);
// base64_decode: the decoded text when the whole (trimmed) value is base64 of at least 8
// characters whose decoding is mostly printable text; otherwise unchanged.
bool Base64DecodeTransform(std::string_view in, std::string* out);
// lowercase: ASCII letters.
bool LowercaseTransform(std::string_view in, std::string* out);
// compress_whitespace: every run of ASCII whitespace becomes one space.
bool CompressWhitespaceTransform(std::string_view in, std::string* out);
// remove_comments: /* ... */, -- and # to the end of the line, each folded to one space.
bool RemoveCommentsTransform(std::string_view in, std::string* out);
// normalize_path: backslashes to '/', '//' collapsed, '.' and '..' segments resolved.
bool NormalizePathTransform(std::string_view in, std::string* out);
// remove_nulls: NUL bytes removed.
bool RemoveNullsTransform(std::string_view in, std::string* out);

// Appends `code_point` as UTF-8 (U+FFFD for surrogates and values above U+10FFFF).
void AppendUtf8(std::uint32_t code_point, std::string* out);

}  // namespace warden
