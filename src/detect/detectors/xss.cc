#include "detect/detectors/xss.h"

#include <array>
#include <cstdint>

#include "common/strings.h"
#include "detect/detectors/markup_decode.h"

namespace warden {

namespace {

using detectors::DecodeCharReference;
using detectors::DecodeMarkupEscapes;

struct Finding {
  std::string_view context;
  std::string_view reason;
};

// Browsers split tags on five whitespace bytes; older ones also on other controls, which
// payloads exploit, so every control byte separates here.
bool IsTagSpace(unsigned char c) { return c <= 0x20; }
bool IsJsIdentStart(unsigned char c) { return IsAsciiAlpha(c) || c == '_' || c == '$' || c >= 0x80; }
bool IsJsIdentByte(unsigned char c) { return IsJsIdentStart(c) || IsAsciiDigit(c); }

// ASCII-lowercases at most N bytes of `s` into `buf`.
template <std::size_t N>
std::string_view Lower(std::string_view s, char (&buf)[N]) {
  const std::size_t len = s.size() < N ? s.size() : N;
  for (std::size_t i = 0; i < len; ++i) buf[i] = AsciiLower(static_cast<unsigned char>(s[i]));
  return std::string_view(buf, len);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// True when a value (of an event handler reached by breaking out of an attribute) reads as
// code rather than a word: a call, a template call, an assignment or an index.
bool LooksLikeScript(std::string_view v) {
  for (const char c : v) {
    if (c == '(' || c == '`' || c == '=' || c == '[') return true;
  }
  return false;
}

bool IsEventHandlerName(std::string_view lowered) {
  if (lowered.size() < 5 || lowered[0] != 'o' || lowered[1] != 'n') return false;
  for (std::size_t i = 2; i < lowered.size(); ++i) {
    if (lowered[i] < 'a' || lowered[i] > 'z') return false;
  }
  return true;
}

// The start of a URL as a browser resolves its scheme: character references decoded,
// whitespace and control characters dropped, ASCII lowercased.
std::string_view SchemePrefix(std::string_view v, char (&buf)[40]) {
  std::size_t o = 0;
  for (std::size_t i = 0; i < v.size() && o < sizeof(buf);) {
    unsigned cp = static_cast<unsigned char>(v[i]);
    std::size_t used = 1;
    if (cp == '&') {
      unsigned decoded = 0;
      std::size_t n = 0;
      if (DecodeCharReference(v, i, &decoded, &n)) {
        cp = decoded;
        used = n;
      }
    }
    i += used;
    if (cp <= 0x20 || cp == 0x7f) continue;
    buf[o++] = cp < 0x80 ? AsciiLower(static_cast<unsigned char>(cp)) : '?';
  }
  return std::string_view(buf, o);
}

enum class UrlRisk : std::uint8_t { kNone, kScript, kDocument };

UrlRisk ClassifyUrl(std::string_view value) {
  char buf[40];
  const std::string_view p = SchemePrefix(value, buf);
  static constexpr std::string_view kScriptSchemes[] = {"javascript:", "vbscript:", "livescript:",
                                                        "mocha:"};
  for (const std::string_view s : kScriptSchemes) {
    if (StartsWith(p, s)) return UrlRisk::kScript;
  }
  if (!StartsWith(p, "data:")) return UrlRisk::kNone;
  // data: URLs that a browser renders as a document or runs as script.
  static constexpr std::string_view kDataTypes[] = {
      "text/html", "image/svg", "text/xml", "application/xhtml", "application/xml",
      "text/javascript", "application/javascript", "application/x-javascript",
      "text/ecmascript", "application/ecmascript", "text/vbscript"};
  const std::string_view type = p.substr(5);
  for (const std::string_view t : kDataTypes) {
    if (StartsWith(type, t)) return UrlRisk::kDocument;
  }
  return UrlRisk::kNone;
}

// Normalizes CSS the way a CSS parser sees it - character references and CSS escapes
// decoded, comments, quotes and whitespace dropped, lowercased - and looks for the constructs
// that run script or load behaviour.
bool DangerousCss(std::string_view v) {
  char buf[2048];
  std::size_t o = 0;
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < n && o < sizeof(buf);) {
    unsigned cp = static_cast<unsigned char>(v[i]);
    std::size_t used = 1;
    if (cp == '/' && i + 1 < n && v[i + 1] == '*') {
      const std::size_t close = v.find("*/", i + 2);
      i = close == std::string_view::npos ? n : close + 2;
      continue;
    }
    if (cp == '&') {
      unsigned decoded = 0;
      std::size_t k = 0;
      if (DecodeCharReference(v, i, &decoded, &k)) {
        cp = decoded;
        used = k;
      }
    } else if (cp == '\\' && i + 1 < n) {
      std::size_t p = i + 1;
      unsigned hex = 0;
      while (p < n && p - i <= 6 && IsHexDigit(static_cast<unsigned char>(v[p]))) {
        hex = hex * 16 + static_cast<unsigned>(HexValue(static_cast<unsigned char>(v[p])));
        ++p;
      }
      if (p > i + 1) {
        if (p < n && IsTagSpace(static_cast<unsigned char>(v[p]))) ++p;
        cp = hex;
      } else {
        cp = static_cast<unsigned char>(v[p]);
        ++p;
      }
      used = p - i;
    }
    i += used;
    if (cp <= 0x20 || cp == 0x7f) continue;
    // Quotes around a URL do not matter, but "@import'" must stay apart from "@importer".
    if ((cp == '\'' || cp == '"') && o > 0 && buf[o - 1] == '(') continue;
    buf[o++] = cp < 0x80 ? AsciiLower(static_cast<unsigned char>(cp)) : '?';
  }
  const std::string_view css(buf, o);
  static constexpr std::string_view kPatterns[] = {
      ":expression(", "url(javascript:", "url(vbscript:", "binding:url(", "behavior:url(",
      "behaviour:url(", "@import'",     "@import\"",     "@importurl("};
  for (const std::string_view p : kPatterns) {
    if (css.find(p) != std::string_view::npos) return true;
  }
  return false;
}

// Judges one attribute. `in_tag` is false when the attribute was reached by breaking out of an
// attribute value rather than inside a tag the value opened; such event handlers must look
// like code, so "I love onions=yes" stays text.
bool CheckAttribute(std::string_view tag, std::string_view name, std::string_view value,
                    bool has_value, bool in_tag, Finding* f) {
  if (!has_value) return false;
  char buf[40];
  const std::string_view lname = Lower(name, buf);
  if (in_tag && (lname == "datasrc" || lname == "dataformatas" || (tag == "xml" && lname == "src"))) {
    f->reason = "data-binding attribute";  // old IE renders the bound data as HTML
    return true;
  }
  if (IsEventHandlerName(lname) && name.size() <= sizeof(buf) && (in_tag || LooksLikeScript(value))) {
    f->reason = "event-handler attribute";
    return true;
  }
  if (ClassifyUrl(value) != UrlRisk::kNone) {
    f->reason = "script or document URL in an attribute";
    return true;
  }
  if (lname == "style" && DangerousCss(value)) {
    f->reason = "script in a style attribute";
    return true;
  }
  if (in_tag && lname == "srcdoc") {
    f->reason = "srcdoc attribute";
    return true;
  }
  return false;
}

// Reads attributes as the HTML tokenizer does, from `pos` up to the '>' that ends the tag or
// the end of the input, calling check(name, value, has_value) for each until it returns true.
// Returns true when check did.
template <typename Check>
bool ReadAttributes(std::string_view s, std::size_t pos, Check&& check) {
  const std::size_t n = s.size();
  while (pos < n) {
    while (pos < n && (IsTagSpace(static_cast<unsigned char>(s[pos])) || s[pos] == '/')) ++pos;
    if (pos >= n || s[pos] == '>') return false;
    const std::size_t name_start = pos;
    ++pos;  // the first byte belongs to the name even when it is '='
    while (pos < n && !IsTagSpace(static_cast<unsigned char>(s[pos])) && s[pos] != '/' &&
           s[pos] != '>' && s[pos] != '=') {
      ++pos;
    }
    const std::string_view name = s.substr(name_start, pos - name_start);
    while (pos < n && IsTagSpace(static_cast<unsigned char>(s[pos]))) ++pos;
    std::string_view value;
    bool has_value = false;
    if (pos < n && s[pos] == '=') {
      has_value = true;
      ++pos;
      while (pos < n && IsTagSpace(static_cast<unsigned char>(s[pos]))) ++pos;
      if (pos < n && (s[pos] == '"' || s[pos] == '\'')) {
        const std::size_t close = s.find(s[pos], pos + 1);
        const std::size_t end = close == std::string_view::npos ? n : close;
        value = s.substr(pos + 1, end - pos - 1);
        pos = close == std::string_view::npos ? n : close + 1;
      } else {
        const std::size_t start = pos;
        while (pos < n && !IsTagSpace(static_cast<unsigned char>(s[pos])) && s[pos] != '>') ++pos;
        value = s.substr(start, pos - start);
      }
    }
    if (check(name, value, has_value)) return true;
  }
  return false;
}

struct ElementRule {
  std::string_view name;
  std::string_view reason;
};

// Elements that run script, load a document or plugin, or restyle and redirect the page by
// merely appearing. Others (<svg>, <img>, <a>) need a dangerous attribute.
constexpr ElementRule kDangerousElements[] = {
    {"script", "script element"},       {"iframe", "frame element"},
    {"frame", "frame element"},         {"frameset", "frame element"},
    {"object", "plugin element"},       {"embed", "plugin element"},
    {"applet", "plugin element"},       {"base", "base element"},
    {"link", "link element"},           {"style", "style element"},
    {"meta", "meta element"},           {"isindex", "legacy active element"},
    {"portal", "frame element"},        {"layer", "legacy active element"},
    {"ilayer", "legacy active element"}, {"bgsound", "legacy active element"},
    {"import", "legacy active element"},
};

bool ScanTags(std::string_view s, Finding* f) {
  const std::size_t n = s.size();
  std::size_t pos = 0;
  for (;;) {
    const std::size_t lt = s.find('<', pos);
    if (lt == std::string_view::npos) return false;
    std::size_t j = lt + 1;
    if (j < n && s[j] == '?') {
      // <?xml-stylesheet ...?> and <?import ... implementation=...> load code in XML-aware and
      // old IE documents.
      char pi[16];
      const std::string_view target = Lower(s.substr(j + 1, 14), pi);
      if (StartsWith(target, "xml-stylesheet") || StartsWith(target, "import")) {
        f->context = "html";
        f->reason = "processing instruction that loads code";
        return true;
      }
      pos = j;
      continue;
    }
    if (j < n && s[j] == '!') {
      if (s.substr(j, 3) == "!--") {
        const std::size_t close = s.find("-->", j + 3);
        if (close == std::string_view::npos) return false;  // the rest is a comment
        pos = close + 3;
      } else {
        pos = j;
      }
      continue;
    }
    const bool closing = j < n && s[j] == '/';
    if (closing) ++j;
    if (j >= n || !IsAsciiAlpha(static_cast<unsigned char>(s[j]))) {
      pos = lt + 1;
      continue;
    }
    std::size_t e = j;
    while (e < n && !IsTagSpace(static_cast<unsigned char>(s[e])) && s[e] != '/' && s[e] != '>') ++e;
    std::string_view name = s.substr(j, e - j);
    if (const std::size_t colon = name.rfind(':'); colon != std::string_view::npos) {
      name = name.substr(colon + 1);  // <x:script xmlns:x=...>
    }
    char buf[16];
    const std::string_view lname = name.size() <= sizeof(buf) ? Lower(name, buf) : std::string_view();
    pos = e;
    f->context = "html";
    if (closing) {
      if (lname == "script") {
        f->reason = "closing script tag";
        return true;
      }
      continue;
    }
    if (ReadAttributes(s, e, [f, lname](std::string_view an, std::string_view av, bool has_value) {
          return CheckAttribute(lname, an, av, has_value, /*in_tag=*/true, f);
        })) {
      return true;
    }
    for (const ElementRule& rule : kDangerousElements) {
      if (lname == rule.name) {
        f->reason = rule.reason;
        return true;
      }
    }
  }
}

// The value closes the attribute value it was placed in (with `quote`, or with whitespace when
// quote is 0) and goes on writing attributes of the same tag.
bool ScanAttributeBreakout(std::string_view s, char quote, Finding* f) {
  std::size_t q = std::string_view::npos;
  if (quote != 0) {
    q = s.find(quote);
  } else {
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (IsTagSpace(static_cast<unsigned char>(s[i]))) {
        q = i;
        break;
      }
    }
  }
  if (q == std::string_view::npos) return false;
  f->context = "attribute";
  return ReadAttributes(s, q + 1, [f](std::string_view an, std::string_view av, bool has_value) {
    return CheckAttribute({}, an, av, has_value, /*in_tag=*/false, f);
  });
}

// The whole value used as a link or source.
bool ScanUrl(std::string_view s, Finding* f) {
  switch (ClassifyUrl(s)) {
    case UrlRisk::kScript:
      // "javascript: the good parts" is a book title, not a program.
      if (!LooksLikeScript(s)) return false;
      f->context = "url";
      f->reason = "javascript: or vbscript: URL";
      return true;
    case UrlRisk::kDocument:
      f->context = "url";
      f->reason = "data: URL with a document or script";
      return true;
    case UrlRisk::kNone:
      return false;
  }
  return false;
}

bool IsCallSink(std::string_view lowered) {
  static constexpr std::string_view kSinks[] = {
      "alert", "prompt", "confirm", "eval", "execscript", "settimeout", "setinterval",
      "fromcharcode", "function", "atob", "unescape", "fetch", "import", "write", "writeln",
      "open", "print", "constructor"};
  for (const std::string_view s : kSinks) {
    if (lowered == s) return true;
  }
  return false;
}

// Whether JavaScript `code`, which follows a string closed with `quote`, calls something that
// matters: a known sink, a method (a.b()), a computed member (x['y']()), the result of an
// expression ((f)()), or any function when the code is a statement that ends in a // comment,
// the way a breakout must (';go();//; SQL payloads end in -- or /*). Strings and comments are
// skipped.
bool JsCodeHasCall(std::string_view code) {
  enum class Prev : std::uint8_t { kNone, kIdent, kClose, kDot, kOther };
  Prev prev = Prev::kNone;
  bool ident_after_dot = false;
  bool ident_is_sink = false;
  bool dot_before = false;
  bool plain_call = false;
  bool tail_closed = false;  // the code ends in a // comment
  const std::size_t n = code.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(code[i]);
    if (c <= 0x20) {
      ++i;
      continue;
    }
    tail_closed = false;
    if (c == '/' && i + 1 < n && code[i + 1] == '/') {
      const std::size_t eol = code.find('\n', i);
      i = eol == std::string_view::npos ? n : eol;
      tail_closed = true;
      continue;
    }
    if (c == '/' && i + 1 < n && code[i + 1] == '*') {
      const std::size_t close = code.find("*/", i + 2);
      i = close == std::string_view::npos ? n : close + 2;
      continue;
    }
    const bool callable = (prev == Prev::kIdent && (ident_is_sink || ident_after_dot)) ||
                          prev == Prev::kClose;
    if (c == '\'' || c == '"' || c == '`') {
      if (c == '`' && callable) return true;  // tagged template: alert`1`
      std::size_t p = i + 1;
      while (p < n && code[p] != static_cast<char>(c) && code[p] != '\n') {
        p += code[p] == '\\' ? 2 : 1;
      }
      i = p + 1;
      prev = Prev::kOther;
      dot_before = false;
      continue;
    }
    if (IsJsIdentStart(c)) {
      const std::size_t start = i;
      while (i < n && IsJsIdentByte(static_cast<unsigned char>(code[i]))) ++i;
      char buf[16];
      const std::string_view ident = code.substr(start, i - start);
      ident_is_sink = ident.size() <= sizeof(buf) && IsCallSink(Lower(ident, buf));
      ident_after_dot = dot_before;
      prev = Prev::kIdent;
      dot_before = false;
      if (i < n && code[i] == '(') plain_call = true;
      continue;
    }
    if (c == '(' && callable) return true;
    dot_before = c == '.';
    prev = c == ')' || c == ']' ? Prev::kClose : (c == '.' ? Prev::kDot : Prev::kOther);
    ++i;
  }
  return plain_call && tail_closed && code[0] == ';';
}

// The value closes a JavaScript string literal delimited by `quote` and continues the
// expression: '-alert(1)-'  ";alert(1)//  `+fetch(x)+`.
bool ScanJsBreakout(std::string_view s, char quote, Finding* f) {
  const std::size_t q = s.find(quote);
  if (q == std::string_view::npos) return false;
  std::size_t p = q + 1;
  const std::size_t n = s.size();
  while (p < n && IsTagSpace(static_cast<unsigned char>(s[p]))) ++p;
  if (p >= n) return false;
  static constexpr std::string_view kContinuations = "+-*/%;,)]}|&^?:<>=!~.";
  if (kContinuations.find(s[p]) == std::string_view::npos) return false;
  if (s[p] == '/' && p + 1 < n && s[p + 1] == '/') return false;  // the rest is a comment
  if (!JsCodeHasCall(s.substr(p))) return false;
  f->context = "js-string";
  f->reason = "closes a JavaScript string and calls a function";
  return true;
}

// Whether `s` calls anything: a name or a closing bracket immediately followed by '('.
bool HasCall(std::string_view s) {
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] != '(') continue;
    const unsigned char before = static_cast<unsigned char>(s[i - 1]);
    if (IsJsIdentByte(before) || before == ')' || before == ']') return true;
  }
  return false;
}

// The value used directly as script: sink calls, cookie and document access, computed calls on
// the global object.
bool ScanJsSinks(std::string_view s, Finding* f) {
  const std::size_t n = s.size();
  f->context = "js";
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (!IsJsIdentStart(c) || (i > 0 && IsJsIdentByte(static_cast<unsigned char>(s[i - 1])))) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < n && IsJsIdentByte(static_cast<unsigned char>(s[i]))) ++i;
    if (i - start > 16) continue;
    char buf[16];
    const std::string_view id = Lower(s.substr(start, i - start), buf);
    const char next = i < n ? s[i] : '\0';
    static constexpr std::string_view kCalls[] = {
        "alert",      "prompt",      "confirm",       "eval",         "execscript",
        "fromcharcode", "settimeout", "setinterval", "createelement", "appendchild"};
    bool sink = false;
    for (const std::string_view k : kCalls) sink = sink || id == k;
    if (sink) {
      // alert(1)  alert`1`  alert?.(1)  alert.call(null,1)  (alert)(1)  [1].find(alert)
      std::size_t k = i;
      if (s.substr(k, 2) == "?.") k += 2;
      const char after = k < n ? s[k] : '\0';
      char member[8];
      const std::string_view dotted = after == '.' ? Lower(s.substr(k + 1, 6), member) : "";
      std::size_t close = k;
      while (close < n && s[close] == ')') ++close;
      const bool wrapped = start > 0 && s[start - 1] == '(' && close > k && close < n &&
                           (s[close] == '(' || s[close] == '`');
      const bool argument = start > 0 && (s[start - 1] == '(' || s[start - 1] == ',') &&
                            after == ')' && start >= 2 &&
                            IsJsIdentByte(static_cast<unsigned char>(s[start - 2]));
      if (after == '(' || after == '`' || StartsWith(dotted, "call(") ||
          StartsWith(dotted, "apply(") || StartsWith(dotted, "bind(") || wrapped || argument) {
        f->reason = "call of a script sink";
        return true;
      }
      // a=eval;b=alert;a(b(1)) : the sink is stored under another name and something is
      // called. "level=alert" alone stays text.
      std::size_t eq = start;
      while (eq > 0 && (s[eq - 1] == ' ' || s[eq - 1] == '\t')) --eq;
      if (eq >= 2 && s[eq - 1] == '=' && s[eq - 2] != '=' && s[eq - 2] != '!' &&
          s[eq - 2] != '<' && s[eq - 2] != '>' && HasCall(s)) {
        f->reason = "script sink assigned and called";
        return true;
      }
    }
    if (id == "document" && (next == '.' || next == '?' || next == '[')) {
      // document.cookie  document?.cookie  document["cookie"]
      std::size_t k = i + 1;
      while (k < n && k < i + 3 && (s[k] == '.' || s[k] == '?' || s[k] == '[' || s[k] == '"' ||
                                    s[k] == '\'')) {
        ++k;
      }
      char rest[8];
      const std::string_view member = Lower(s.substr(k, 8), rest);
      if (StartsWith(member, "cookie") || StartsWith(member, "domain") ||
          StartsWith(member, "write") || StartsWith(member, "location")) {
        f->reason = "document cookie, domain or write access";
        return true;
      }
    }
    if (id == "constructor" && start > 0 && s[start - 1] == '.' && (next == '(' || next == '.')) {
      f->reason = "constructor call";
      return true;
    }
    static constexpr std::string_view kGlobals[] = {"top",   "self",       "window", "parent",
                                                    "this",  "globalthis", "frames", "content"};
    if (next == '[') {
      for (const std::string_view g : kGlobals) {
        if (id != g) continue;
        const std::size_t close = s.find(']', i + 1);
        if (close != std::string_view::npos && close - i <= 80 && close + 1 < n &&
            (s[close + 1] == '(' || s[close + 1] == '`')) {
          f->reason = "computed call on the global object";
          return true;
        }
      }
    }
  }
  return false;
}

// Whether an expression calls something: name( name` )( ]( .
bool ExpressionHasCall(std::string_view e) {
  for (std::size_t i = 1; i < e.size(); ++i) {
    if (e[i] != '(' && e[i] != '`') continue;
    const unsigned char before = static_cast<unsigned char>(e[i - 1]);
    if (IsJsIdentByte(before) || before == ')' || before == ']') return true;
  }
  return false;
}

// ${...} in a template literal, {{...}} in a client-side template (AngularJS, Vue).
bool ScanTemplates(std::string_view s, Finding* f) {
  const std::size_t n = s.size();
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (s[i] == '$' && s[i + 1] == '{') {
      const std::size_t close = s.find('}', i + 2);
      const std::string_view inner = s.substr(i + 2, close == std::string_view::npos ? n : close - i - 2);
      if (ExpressionHasCall(inner)) {
        f->context = "template";
        f->reason = "template literal expression with a call";
        return true;
      }
    } else if (s[i] == '{' && s[i + 1] == '{') {
      const std::size_t close = s.find("}}", i + 2);
      const std::string_view inner = s.substr(i + 2, close == std::string_view::npos ? n : close - i - 2);
      char buf[12];
      bool constructor = false;
      for (std::size_t k = 0; k + 11 <= inner.size() && !constructor; ++k) {
        constructor = Lower(inner.substr(k, 11), buf) == "constructor";
      }
      if (constructor || ExpressionHasCall(inner)) {
        f->context = "template";
        f->reason = "client-side template expression with a call";
        return true;
      }
    }
  }
  return false;
}

bool ScanCss(std::string_view s, Finding* f) {
  if (s.find(':') == std::string_view::npos && s.find('@') == std::string_view::npos) return false;
  if (!DangerousCss(s)) return false;
  f->context = "css";
  f->reason = "script in CSS";
  return true;
}

// Which syntax bytes a value holds, found in one pass so each reader below runs only on values
// that could possibly enter its context.
struct Syntax {
  bool lt = false;      // <
  bool quote = false;   // " ' `
  bool eq = false;      // =
  bool colon = false;   // :
  bool call = false;    // ( ` [
  bool brace = false;   // {
  bool at = false;      // @
  bool ref = false;     // & (character reference)
  bool escape = false;  // & \ % NUL or a fullwidth lead byte: worth decoding

  explicit Syntax(std::string_view s) {
    for (const char ch : s) {
      switch (ch) {
        case '<': lt = true; break;
        case '"': case '\'': quote = true; break;
        case '`': quote = true; call = true; break;
        case '=': eq = true; break;
        case ':': colon = true; break;
        case '(': case '[': call = true; break;
        case '{': brace = true; break;
        case '@': at = true; break;
        case '&': ref = true; escape = true; break;
        case '\\': case '%': case '\0': escape = true; break;
        default:
          if (static_cast<unsigned char>(ch) == 0xef) escape = true;
          break;
      }
    }
  }
  bool Any() const { return lt || quote || eq || colon || call || brace || at || ref; }
};

bool Analyze(std::string_view s, const Syntax& x, Finding* f) {
  if (x.lt && ScanTags(s, f)) return true;
  // A breakout writes an attribute with a value.
  if (x.eq && (ScanAttributeBreakout(s, '"', f) || ScanAttributeBreakout(s, '\'', f) ||
               ScanAttributeBreakout(s, 0, f))) {
    return true;
  }
  if ((x.colon || x.ref) && ScanUrl(s, f)) return true;  // the colon may be &colon;
  if (x.quote && x.call &&
      (ScanJsBreakout(s, '\'', f) || ScanJsBreakout(s, '"', f) || ScanJsBreakout(s, '`', f))) {
    return true;
  }
  if (x.call && ScanJsSinks(s, f)) return true;
  if (x.brace && ScanTemplates(s, f)) return true;
  return (x.call || x.at) && ScanCss(s, f);
}

// Copies `s` without its tags (<x>, </b>, <!-- -->): what a sanitizer that deletes tags leaves,
// which is how autof<x>ocus o<x>nfocus=alert<x>(1) becomes an attribute. Returns the length,
// or 0 when `s` has no tag to strip.
std::size_t StripTags(std::string_view s, char* out) {
  std::size_t o = 0;
  bool stripped = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() &&
        (IsAsciiAlpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/' || s[i + 1] == '!')) {
      const std::size_t close = s.find('>', i + 1);
      if (close != std::string_view::npos) {
        i = close;
        stripped = true;
        continue;
      }
    }
    out[o++] = s[i];
  }
  return stripped ? o : 0;
}

bool Inspect(std::string_view value, XssMatch* result) {
  Finding f;
  const auto report = [&](bool normalized) {
    result->matched = true;
    result->context = f.context;
    result->reason = f.reason;
    result->normalized = normalized;
    return true;
  };
  const Syntax syntax(value);
  if (syntax.Any() && Analyze(value, syntax, &f)) return report(false);
  if (!syntax.lt && !syntax.escape) return false;
  std::array<char, kXssMaxInputBytes> buf;
  if (syntax.lt) {
    const std::size_t len = StripTags(value, buf.data());
    if (len > 0) {
      const std::string_view stripped(buf.data(), len);
      if (Analyze(stripped, Syntax(stripped), &f)) return report(true);
    }
  }
  std::string_view current = value;
  bool escapes = syntax.escape;
  for (int round = 0; round < 2 && escapes; ++round) {
    // Decoding only ever shrinks the text, so an unchanged length means nothing was decoded;
    // the second round decodes in place.
    const std::size_t len = DecodeMarkupEscapes(current, buf.data());
    if (len == current.size()) break;
    current = std::string_view(buf.data(), len);
    const Syntax decoded(current);
    if (decoded.Any() && Analyze(current, decoded, &f)) return report(true);
    escapes = decoded.escape;
  }
  return false;
}

}  // namespace

XssMatch DetectXss(std::string_view value) {
  XssMatch result;
  if (value.size() <= kXssMaxInputBytes) {
    Inspect(value, &result);
    return result;
  }
  // Padding a payload past an inspection limit is a known evasion, so a long value is read at
  // both ends.
  constexpr std::size_t kHalf = kXssMaxInputBytes / 2;
  if (!Inspect(value.substr(0, kHalf), &result)) Inspect(value.substr(value.size() - kHalf), &result);
  return result;
}

}  // namespace warden
