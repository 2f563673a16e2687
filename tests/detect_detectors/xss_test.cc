#include "detect/detectors/xss.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace warden {
namespace {

struct Case {
  const char* name;
  std::string_view value;
  std::string_view context;  // expected context for attacks; empty for benign values
};

std::string CaseName(const testing::TestParamInfo<Case>& info) { return info.param.name; }

// One value per technique, written for these tests.
const Case kAttacks[] = {
    // elements
    {"script_element", "<script>fetch('/x')</script>", "html"},
    {"script_mixed_case_src", "<ScRiPt SRC=//cdn.evil.test/a.js></sCrIpT>", "html"},
    {"script_unclosed", "hello <script", "html"},
    {"script_namespaced", "<h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">go()</h:script>", "html"},
    {"iframe", "<iframe src=//evil.test/phish></iframe>", "html"},
    {"object_data", "<object data=x.swf></object>", "html"},
    {"embed", "<embed src=x.swf>", "html"},
    {"base_href", "<base href=//evil.test/>", "html"},
    {"meta_refresh", "<meta http-equiv=refresh content=\"0;url=//evil.test\">", "html"},
    {"link_stylesheet", "<link rel=stylesheet href=//evil.test/x.css>", "html"},
    {"style_element", "<style>body{background:red}</style>", "html"},
    {"isindex", "<isindex type=image src=1 onerror=go()>", "html"},
    {"closing_script_breakout", "</script><b>x</b>", "html"},
    {"xml_stylesheet_pi", "<?xml-stylesheet type=\"text/xsl\" href=\"#\"?>", "html"},
    {"ie_data_binding", "<span datasrc=#d datafld=x dataformatas=html></span>", "html"},
    // event handlers in tags
    {"svg_slash_onload", "<svg/onload=go()>", "html"},
    {"img_onerror", "<img src=x onerror=go()>", "html"},
    {"img_onerror_tab", "<img src=x\tonerror=go()>", "html"},
    {"img_onerror_newline_before_eq", "<img src=x onerror\n=go()>", "html"},
    {"body_onload_upper", "<BODY ONLOAD=go()>", "html"},
    {"details_ontoggle", "<details open ontoggle=go()>", "html"},
    {"custom_tag_onfocus", "<x-widget tabindex=1 onfocus=go() autofocus>", "html"},
    {"svg_animate_onbegin", "<svg><animate onbegin=go() attributeName=x dur=1s>", "html"},
    {"handler_unclosed_tag", "<img src=x onerror=go()//", "html"},
    {"nul_inside_tag_name", std::string_view("<scr\0ipt>go()</script>", 22), "html"},
    // URLs in attributes
    {"href_javascript", "<a href=\"javascript:go()\">x</a>", "html"},
    {"href_javascript_entities", "<a href=\"&#x6A;avascript&colon;go()\">x</a>", "html"},
    {"href_javascript_tab", "<a href=\"java\tscript:go()\">x</a>", "html"},
    {"src_vbscript", "<img src=\"vbscript:msgbox(1)\">", "html"},
    {"object_data_html", "<object data=\"data:text/html;base64,PGI+\"></object>", "html"},
    {"svg_xlink_href", "<svg><a xlink:href=\"javascript:go()\"><text>x</text></a></svg>", "html"},
    {"animate_to_javascript", "<svg><set attributeName=href to=javascript:go()>", "html"},
    // CSS in attributes
    {"style_expression", "<div style=\"width:expression(go())\">", "html"},
    {"style_commented_expression", "<p style=\"x:expr/**/ession(go())\">", "html"},
    {"style_url_javascript", "<p style=\"background:url('javascript:go()')\">", "html"},
    {"style_moz_binding", "<p style=\"-moz-binding:url(//evil.test/x.xml#a)\">", "html"},
    // attribute breakouts
    {"double_quote_breakout", "x\" onmouseover=\"go()", "attribute"},
    {"single_quote_breakout", "x' autofocus onfocus='go()", "attribute"},
    {"unquoted_breakout", "x onfocus=go() autofocus", "attribute"},
    {"breakout_style", "x\" style=\"width:expression(go())", "attribute"},
    {"breakout_href", "x\" href=\"javascript:go()", "attribute"},
    // whole-value URLs
    {"javascript_url", "javascript:go(document.domain)", "url"},
    {"javascript_url_spaced_case", "  JaVaScRiPt:go()", "url"},
    {"javascript_url_control_chars", "\x01java\nscript:go()", "url"},
    {"data_url_html", "data:text/html,<b>x</b>", "url"},
    {"data_url_svg", "data:image/svg+xml;base64,PHN2Zz4=", "url"},
    // JavaScript contexts
    {"js_single_quote_breakout", "';go();//", "js-string"},
    {"js_double_quote_minus", "\"-alert(1)-\"", "js-string"},
    {"js_template_breakout", "`+fetch(x)+`", "js-string"},
    {"js_sink_call", "alert(document.domain)", "js"},
    {"js_sink_template_call", "alert`1`", "js"},
    {"js_sink_optional_call", "confirm?.(1)", "js"},
    {"js_sink_call_method", "prompt.call(null,1)", "js"},
    {"js_sink_wrapped", "(alert)(1)", "js"},
    {"js_computed_global", "top['al'+'ert'](1)", "js"},
    {"js_constructor", "[].map.constructor('go()')()", "js"},
    {"js_cookie_bracket", "document[\"cookie\"]", "js"},
    {"js_sink_assigned_and_called", "a=eval;b=alert;a(b(1))", "js"},
    {"js_dom_script_injection", "with(document)body.appendChild(createElement('script'))", "js"},
    // templates
    {"template_literal_call", "${fetch('//evil.test')}", "template"},
    {"angular_sandbox_escape", "{{constructor.constructor('go()')()}}", "js"},
    {"angular_call", "{{$on.curry.call(this)}}", "template"},
    // CSS values
    {"css_expression_value", "width: expression(go())", "css"},
    {"css_import", "@import 'https://evil.test/x.css';", "css"},
    {"css_behaviour", "behaviour: url(x.htc)", "css"},
    // encodings
    {"entity_encoded_tag", "&lt;script&gt;go()&lt;/script&gt;", "html"},
    {"numeric_entities_no_semicolon", "&#60img src=x onerror=go()&#62", "attribute"},
    {"js_hex_escapes", "\\x3csvg/onload=go()\\x3e", "html"},
    {"js_unicode_escapes", "\\u003ciframe src=//evil.test\\u003e", "html"},
    {"percent_encoded", "%3Cscript%3Ego()%3C%2Fscript%3E", "html"},
    {"double_entity", "&amp;lt;script&amp;gt;go()", "html"},
    {"fullwidth_brackets", "\xef\xbc\x9cscript\xef\xbc\x9ego()", "html"},
    {"stripped_tags_breakout", "\"autof<x>ocus onf<x>ocus=go<x>()", "attribute"},
};

const Case kBenign[] = {
    {"less_greater_prose", "a < b and c > d", ""},
    {"heart", "<3", ""},
    {"heart_sentence", "I <3 you", ""},
    {"x_less_y", "x<y", ""},
    {"math_chain", "2 < 3 > 1", ""},
    {"formula", "f(x) = x^2 + (y * 3)", ""},
    {"email_in_brackets", "John <john@example.com>", ""},
    {"markdown_autolink", "<https://example.com>", ""},
    {"markdown", "**bold** and _italic_ [link](https://example.com/a?b=c)", ""},
    {"onions", "I love onions=yes", ""},
    {"url_with_on_param", "https://example.com/y?onload=1&onerror=2", ""},
    {"javascript_tutorial", "javascript tutorial", ""},
    {"javascript_book", "javascript: the good parts", ""},
    {"onion", "onion", ""},
    {"online", "online", ""},
    {"contraction", "it's fine", ""},
    {"quoted_text", "\"quoted\" text", ""},
    {"height", "Don't stop; it's 5'-6\"", ""},
    {"json_object", "{\"a\":\"b\",\"onclick\":\"x\"}", ""},
    {"template_placeholder", "${price}", ""},
    {"mustache_placeholder", "{{ user.name }}", ""},
    {"query_string", "a=b&c=d", ""},
    {"percent", "50% off", ""},
    {"encoded_percent", "100%25 pure", ""},
    {"entities", "Tom &amp; Jerry &lt;3", ""},
    {"confirm_prose", "Please confirm (yes/no)", ""},
    {"alert_prose", "alert (daily)", ""},
    {"bold_markup", "<b>bold</b> and <i>it</i><br>", ""},
    {"plain_link", "<a href=\"https://example.com\">link</a>", ""},
    {"plain_image", "<img src=\"cat.png\" alt=\"cat\">", ""},
    {"plain_style", "<p style=\"color:red\">hi</p>", ""},
    {"mailto", "mailto:john@example.com", ""},
    {"data_png", "data:image/png;base64,iVBORw0KGgo=", ""},
    {"windows_path", "C:\\Users\\john\\file.txt", ""},
    {"user_agent",
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)", ""},
    {"accept_header", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ""},
    {"code_snippet", "if (a < b) { return c > d; }", ""},
    {"possessive_parens", "The boys' (and girls') rooms", ""},
    {"nested_quotes", "O'Brien said: \"hello (world)\"", ""},
    {"expression_prose", "regular expression(s)", ""},
    {"css_url", "background: url(image.png)", ""},
    {"html_comment", "<!-- note -->", ""},
    {"xml_declaration", "<?xml version=\"1.0\"?><order id=\"1\"/>", ""},
    {"svg_plain", "<svg width=\"10\" height=\"10\"><rect width=\"5\"/></svg>", ""},
    {"document_prose", "the document was written", ""},
    {"level_alert", "level=alert", ""},
    {"email_importers", "sales@importers.example", ""},
    {"css_behaviour_prose", "behaviour: good (mostly)", ""},
    {"empty", "", ""},
};

class XssAttackTest : public testing::TestWithParam<Case> {};

TEST_P(XssAttackTest, Matches) {
  const XssMatch m = DetectXss(GetParam().value);
  EXPECT_TRUE(m.matched) << GetParam().value;
  EXPECT_EQ(m.context, GetParam().context) << GetParam().value << " -> " << m.reason;
  if (m.matched) {
    EXPECT_FALSE(m.reason.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Techniques, XssAttackTest, testing::ValuesIn(kAttacks), CaseName);

class XssBenignTest : public testing::TestWithParam<Case> {};

TEST_P(XssBenignTest, DoesNotMatch) {
  const XssMatch m = DetectXss(GetParam().value);
  EXPECT_FALSE(m.matched) << GetParam().value << " -> " << m.context << " " << m.reason;
}

INSTANTIATE_TEST_SUITE_P(Values, XssBenignTest, testing::ValuesIn(kBenign), CaseName);

TEST(XssTest, SaysWhenNormalizationWasNeeded) {
  EXPECT_FALSE(DetectXss("<svg/onload=go()>").normalized);
  EXPECT_TRUE(DetectXss("&lt;svg/onload=go()&gt;").normalized);
  EXPECT_TRUE(DetectXss("\"o<b>nfocus=go()").normalized);
}

TEST(XssTest, AcceptsAnyBytes) {
  EXPECT_FALSE(DetectXss(std::string("\xff\xfe\x00<\x80>", 6)).matched);
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes.push_back(static_cast<char>(c));
  DetectXss(all_bytes);  // must not crash; the verdict does not matter
  DetectXss("&#");
  DetectXss("&#x");
  DetectXss("\\u{");
  DetectXss("<");
  DetectXss("<a ");
  DetectXss("<a b=");
  DetectXss("<a b=\"");
}

TEST(XssTest, LongValuesAreReadAtBothEnds) {
  const std::string padding(3 * kXssMaxInputBytes, 'A');
  EXPECT_TRUE(DetectXss("<script>go()</script>" + padding).matched);
  EXPECT_TRUE(DetectXss(padding + ";<script>go()</script>").matched);
  EXPECT_FALSE(DetectXss(padding + "<script>go()</script>" + padding).matched);
  EXPECT_FALSE(DetectXss(padding).matched);
  const std::string escapes(3 * kXssMaxInputBytes, '&');
  EXPECT_FALSE(DetectXss(escapes).matched);
}

}  // namespace
}  // namespace warden
