#include "normalize/xml.h"

#include <cstdint>
#include <string>

#include "common/strings.h"

namespace warden {

namespace {

bool IsNameChar(unsigned char c) {
  return IsAsciiAlnum(c) || c == '_' || c == ':' || c == '-' || c == '.' || c >= 0x80;
}

bool IsNameStart(unsigned char c) { return IsAsciiAlpha(c) || c == '_' || c == ':' || c >= 0x80; }

void AppendCodePoint(std::uint32_t cp, std::string* out) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
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

// Appends `raw` with the predefined entities and character references decoded. Any other
// reference (&xxe;) is kept as written: entities are never expanded.
void AppendDecoded(std::string_view raw, std::string* out) {
  std::size_t i = 0;
  while (i < raw.size()) {
    char c = raw[i];
    if (c != '&') {
      out->push_back(c);
      ++i;
      continue;
    }
    std::size_t semi = raw.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 12) {
      out->push_back(c);
      ++i;
      continue;
    }
    std::string_view name = raw.substr(i + 1, semi - i - 1);
    bool done = true;
    if (name == "lt") {
      out->push_back('<');
    } else if (name == "gt") {
      out->push_back('>');
    } else if (name == "amp") {
      out->push_back('&');
    } else if (name == "quot") {
      out->push_back('"');
    } else if (name == "apos") {
      out->push_back('\'');
    } else if (name.size() >= 2 && name[0] == '#') {
      bool hex = name[1] == 'x' || name[1] == 'X';
      std::string_view digits = name.substr(hex ? 2 : 1);
      std::uint32_t v = 0;
      done = !digits.empty();
      for (char d : digits) {
        int x = hex ? HexValue(static_cast<unsigned char>(d))
                    : (IsAsciiDigit(static_cast<unsigned char>(d)) ? d - '0' : -1);
        if (x < 0) {
          done = false;
          break;
        }
        v = v * (hex ? 16 : 10) + static_cast<std::uint32_t>(x);
        if (v > 0x10FFFF) v = 0x110000;
      }
      if (done) AppendCodePoint(v, out);
    } else {
      done = false;
    }
    if (done) {
      i = semi + 1;
    } else {
      out->push_back(c);
      ++i;
    }
  }
}

class XmlFlattener {
 public:
  XmlFlattener(std::string_view text, std::vector<Param>* out, std::size_t max_params,
               int max_depth)
      : in_(text), out_(out), max_params_(max_params), max_depth_(max_depth) {}

  bool Run() {
    if (in_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    while (pos_ < in_.size() && !stop_) {
      if (in_[pos_] != '<') {
        std::size_t lt = in_.find('<', pos_);
        std::size_t end = lt == std::string_view::npos ? in_.size() : lt;
        if (!stack_.empty()) AppendDecoded(in_.substr(pos_, end - pos_), &text_);
        pos_ = end;
        continue;
      }
      if (Starts("<!--")) {
        SkipPast("-->");
      } else if (Starts("<![CDATA[")) {
        std::size_t close = in_.find("]]>", pos_ + 9);
        std::size_t end = close == std::string_view::npos ? in_.size() : close;
        if (!stack_.empty()) text_.append(in_.substr(pos_ + 9, end - pos_ - 9));
        pos_ = close == std::string_view::npos ? in_.size() : close + 3;
      } else if (Starts("<?")) {
        SkipPast("?>");
      } else if (Starts("<!")) {
        Declaration();
      } else if (Starts("</")) {
        EndTag();
      } else {
        StartTag();
      }
    }
    FlushText();
    return seen_element_;
  }

 private:
  bool Starts(std::string_view s) const { return in_.compare(pos_, s.size(), s) == 0; }

  void SkipPast(std::string_view close) {
    std::size_t at = in_.find(close, pos_);
    pos_ = at == std::string_view::npos ? in_.size() : at + close.size();
  }

  void Add(std::string key, std::string value) {
    if (out_->size() >= max_params_) {
      stop_ = true;
      return;
    }
    out_->push_back(Param{ParamLocation::kXml, std::move(key), std::move(value)});
  }

  // <!DOCTYPE ...> with an optional [internal subset]; other <!...> declarations outside a
  // DOCTYPE are skipped.
  void Declaration() {
    const std::size_t start = pos_;
    const bool doctype = in_.size() - pos_ >= 9 && EqualsIgnoreCase(in_.substr(pos_, 9), "<!DOCTYPE");
    int bracket = 0;
    char quote = 0;
    std::size_t i = pos_ + 2;
    for (; i < in_.size(); ++i) {
      char c = in_[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[') {
        ++bracket;
      } else if (c == ']') {
        if (bracket > 0) --bracket;
      } else if (c == '>' && bracket == 0) {
        break;
      }
    }
    pos_ = i < in_.size() ? i + 1 : in_.size();
    if (doctype) Add("!DOCTYPE", std::string(in_.substr(start, pos_ - start)));
  }

  std::string_view Name() {
    std::size_t start = pos_;
    while (pos_ < in_.size() && IsNameChar(static_cast<unsigned char>(in_[pos_]))) ++pos_;
    return in_.substr(start, pos_ - start);
  }

  void SkipSpace() {
    while (pos_ < in_.size() && IsAsciiSpace(static_cast<unsigned char>(in_[pos_]))) ++pos_;
  }

  std::string Path() const {
    std::string p;
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      if (i > 0) p.push_back('/');
      p.append(stack_[i]);
    }
    return p;
  }

  void FlushText() {
    std::string_view t = TrimSpace(text_);
    if (!t.empty() && !stack_.empty()) Add(Path(), std::string(t));
    text_.clear();
  }

  void StartTag() {
    if (pos_ + 1 >= in_.size() || !IsNameStart(static_cast<unsigned char>(in_[pos_ + 1]))) {
      // A stray '<' is text.
      if (!stack_.empty()) text_.push_back('<');
      ++pos_;
      return;
    }
    FlushText();
    ++pos_;
    std::string_view name = Name();
    if (static_cast<int>(stack_.size()) >= max_depth_) {
      stop_ = true;
      return;
    }
    seen_element_ = true;
    stack_.push_back(name);
    const std::string path = Path();
    bool self_closing = false;
    while (pos_ < in_.size() && !stop_) {
      SkipSpace();
      if (pos_ >= in_.size()) break;
      char c = in_[pos_];
      if (c == '>') {
        ++pos_;
        break;
      }
      if (c == '/') {
        ++pos_;
        if (pos_ < in_.size() && in_[pos_] == '>') {
          ++pos_;
          self_closing = true;
          break;
        }
        continue;
      }
      std::string_view attr = Name();
      if (attr.empty()) {
        ++pos_;  // junk inside the tag
        continue;
      }
      SkipSpace();
      std::string value;
      if (pos_ < in_.size() && in_[pos_] == '=') {
        ++pos_;
        SkipSpace();
        if (pos_ < in_.size() && (in_[pos_] == '"' || in_[pos_] == '\'')) {
          char q = in_[pos_++];
          std::size_t close = in_.find(q, pos_);
          std::size_t end = close == std::string_view::npos ? in_.size() : close;
          AppendDecoded(in_.substr(pos_, end - pos_), &value);
          pos_ = close == std::string_view::npos ? in_.size() : close + 1;
        } else {
          std::size_t start = pos_;
          while (pos_ < in_.size() && !IsAsciiSpace(static_cast<unsigned char>(in_[pos_])) &&
                 in_[pos_] != '>' && in_.compare(pos_, 2, "/>") != 0) {
            ++pos_;
          }
          AppendDecoded(in_.substr(start, pos_ - start), &value);
        }
      }
      Add(path + "/@" + std::string(attr), std::move(value));
    }
    if (self_closing) stack_.pop_back();
  }

  void EndTag() {
    FlushText();
    pos_ += 2;
    std::string_view name = Name();
    SkipPast(">");
    // Tolerant: close up to the innermost element of that name; ignore a stray end tag.
    for (std::size_t i = stack_.size(); i > 0; --i) {
      if (stack_[i - 1] == name) {
        stack_.resize(i - 1);
        return;
      }
    }
  }

  std::string_view in_;
  std::vector<Param>* out_;
  std::size_t max_params_;
  int max_depth_;
  std::size_t pos_ = 0;
  std::vector<std::string_view> stack_;
  std::string text_;  // text of the innermost open element since its last child
  bool seen_element_ = false;
  bool stop_ = false;
};

}  // namespace

bool FlattenXml(std::string_view text, std::vector<Param>* out, std::size_t max_params,
                int max_depth) {
  return XmlFlattener(text, out, max_params, max_depth < 1 ? 1 : max_depth).Run();
}

bool IsXmlMediaType(std::string_view media_type) {
  std::string lower = AsciiLowered(TrimSpace(media_type));
  return lower == "application/xml" || lower == "text/xml" ||
         (lower.size() > 4 && lower.compare(lower.size() - 4, 4, "+xml") == 0);
}

bool LooksLikeXml(std::string_view body) {
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  body = TrimSpace(body);
  if (body.size() < 2 || body[0] != '<') return false;
  unsigned char c = static_cast<unsigned char>(body[1]);
  return c == '?' || c == '!' || IsNameStart(c);
}

}  // namespace warden
