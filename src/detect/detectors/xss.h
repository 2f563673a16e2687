#pragma once

#include <cstddef>
#include <string_view>

// Built-in cross-site scripting detector, exposed to policies as the `xss` operator. It is
// applied to one already-decoded parameter value and answers whether that value, reflected
// into a page, would run script in one of the places a value usually lands:
//   "html"       as markup: a tag that runs or loads script (<script>, <iframe>, <svg onload=>,
//                an event-handler or javascript: attribute, a style with expression());
//   "attribute"  inside a quoted or unquoted attribute value it closes (" onfocus=alert(1) x=");
//   "url"        as a whole href/src: javascript:, vbscript:, data:text/html;
//   "js-string"  inside a JavaScript string it closes ('-alert(1)-', ";alert(1)//);
//   "js"         as script: calls of alert/eval/..., document.cookie, top['x'](...);
//   "template"   as a ${...} or {{...}} expression that calls something;
//   "css"        as a style: expression(), url(javascript:), -moz-binding, behavior.
// The value is read with an HTML-aware tag and attribute tokenizer (the WHATWG rules for tag
// names and attributes, so <svg/onload=..> and <img src=x onerror=..> parse as browsers do),
// not a list of regular expressions. When nothing is found, the value is read again as a
// tag-stripping sanitizer would leave it (autof<x>ocus -> autofocus) and, when it holds HTML
// character references, JS, percent or fullwidth escapes, after decoding them (two rounds).
namespace warden {

// Work per call is bounded: a value longer than this is examined only in its first and last
// kXssMaxInputBytes / 2 bytes, so a payload padded to sit at either end is still seen but one
// hidden in the middle of a long value is not.
inline constexpr std::size_t kXssMaxInputBytes = 8192;

struct XssMatch {
  bool matched = false;
  // One of the contexts above. Points to static storage.
  std::string_view context;
  // Why it matched, in a few words. Points to static storage.
  std::string_view reason;
  // True when the finding needed the value normalized first (escapes decoded or tags stripped).
  bool normalized = false;
};

// Pure and thread-safe; linear in the input; never throws; allocates nothing (it uses about
// 16 KiB of stack). Accepts any bytes, including NUL and invalid UTF-8.
XssMatch DetectXss(std::string_view value);

}  // namespace warden
