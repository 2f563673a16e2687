#include "normalize/xml.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/exchange.h"
#include "normalize/normalize.h"

namespace warden {
namespace {

// "key=value" per param, in order.
std::vector<std::string> Flatten(std::string_view xml, std::size_t max_params = 100,
                                 int max_depth = 32) {
  std::vector<Param> params;
  FlattenXml(xml, &params, max_params, max_depth);
  std::vector<std::string> out;
  for (const auto& p : params) {
    EXPECT_EQ(p.location, ParamLocation::kXml);
    out.push_back(p.key + "=" + p.value);
  }
  return out;
}

TEST(XmlTest, ElementsAttributesAndText) {
  struct Case {
    const char* name;
    const char* xml;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"nested", "<order><item id=\"7\" sku='a&amp;b'>shoes</item><qty>2</qty></order>",
       {"order/item/@id=7", "order/item/@sku=a&b", "order/item=shoes", "order/qty=2"}},
      {"declaration_comment_pi",
       "<?xml version=\"1.0\"?><!-- hi --><a><?pi x?>t</a>", {"a=t"}},
      {"predefined_and_numeric_entities", "<a>&lt;b&gt; &#60;&#x3e; &quot;&apos;</a>",
       {"a=<b> <> \"'"}},
      {"other_entities_not_expanded", "<a>&xxe;</a>", {"a=&xxe;"}},
      {"cdata_kept_raw", "<a><![CDATA[<script>&amp;]]></a>", {"a=<script>&amp;"}},
      {"mixed_content_split", "<p>one<b>two</b>three</p>", {"p=one", "p/b=two", "p=three"}},
      {"blank_text_skipped", "<a>\n  <b>x</b>\n</a>", {"a/b=x"}},
      {"self_closing", "<a><b c=\"1\"/><d>e</d></a>", {"a/b/@c=1", "a/d=e"}},
      {"unquoted_and_valueless_attributes", "<a x=1 y>t</a>", {"a/@x=1", "a/@y=", "a=t"}},
      {"namespaces_kept", "<s:Env><s:Body><m:Id>1 or 1=1</m:Id></s:Body></s:Env>",
       {"s:Env/s:Body/m:Id=1 or 1=1"}},
      {"stray_end_tag_ignored", "<a>x</b>y</a>", {"a=x", "a=y"}},
      {"unclosed_tail", "<a><b>text", {"a/b=text"}},
      {"doctype_exposed",
       "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>",
       {"!DOCTYPE=<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>", "r=&x;"}},
      {"doctype_quoted_bracket",
       "<!DOCTYPE r [<!ENTITY x \"]>\">]><r/>", {"!DOCTYPE=<!DOCTYPE r [<!ENTITY x \"]>\">]>"}},
      {"bom", "\xEF\xBB\xBF<a>1</a>", {"a=1"}},
      {"huge_char_ref", "<a>&#99999999;</a>", {"a=\xEF\xBF\xBD"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Flatten(c.xml), c.want) << c.name;
  }
}

TEST(XmlTest, BoundsAndNonXml) {
  // Depth: elements past the bound end the parse.
  EXPECT_EQ(Flatten("<a><b><c>deep</c></b><x>1</x></a>", 100, 2), std::vector<std::string>{});
  EXPECT_EQ(Flatten("<a><b>ok</b></a>", 100, 2), std::vector<std::string>{"a/b=ok"});
  // Parameter cap.
  EXPECT_EQ(Flatten("<a><b>1</b><b>2</b><b>3</b></a>", 2).size(), 2u);
  std::vector<Param> params;
  EXPECT_FALSE(FlattenXml("just text", &params, 10, 10));
  EXPECT_FALSE(FlattenXml("", &params, 10, 10));
  EXPECT_TRUE(FlattenXml("<a/>", &params, 10, 10));
}

TEST(XmlTest, MediaTypesAndSniffing) {
  EXPECT_TRUE(IsXmlMediaType("application/xml"));
  EXPECT_TRUE(IsXmlMediaType("Text/XML"));
  EXPECT_TRUE(IsXmlMediaType("application/soap+xml"));
  EXPECT_FALSE(IsXmlMediaType("application/json"));
  EXPECT_TRUE(LooksLikeXml("  <?xml version='1.0'?><a/>"));
  EXPECT_TRUE(LooksLikeXml("<a>"));
  EXPECT_TRUE(LooksLikeXml("\xEF\xBB\xBF<!DOCTYPE a>"));
  EXPECT_FALSE(LooksLikeXml("< a"));
  EXPECT_FALSE(LooksLikeXml("{\"a\":1}"));
  EXPECT_FALSE(LooksLikeXml("a<b"));
}

TEST(XmlTest, BuildViewFillsXmlParams) {
  Exchange ex;
  ex.method = "POST";
  ex.target = "/orders";
  ex.request_headers = {{"Content-Type", "application/xml; charset=utf-8"}};
  ex.request_body = "<order><item id=\"7\">shoes</item></order>";
  View v = BuildView(ex, NormalizeOptions{});
  std::vector<std::string> got;
  for (const auto& p : v.params) {
    if (p.location == ParamLocation::kXml) got.push_back(p.key + "=" + p.value);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"order/item/@id=7", "order/item=shoes"}));

  // Unlabelled and mislabelled XML are sniffed.
  ex.request_headers = {{"Content-Type", "text/plain"}};
  ex.request_body = "<?xml version=\"1.0\"?><a>1</a>";
  v = BuildView(ex, NormalizeOptions{});
  ASSERT_EQ(v.params.size(), 2u);  // the path segment, then the element
  EXPECT_EQ(v.params[1].location, ParamLocation::kXml);
  EXPECT_EQ(v.params[1].key, "a");
}

}  // namespace
}  // namespace warden
