#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "detect/transforms/transform.h"
#include "model/view.h"

namespace warden {

// Groups the texts that the Hyperscan prefilter scans with one database (per transform chain).
// Every candidate belongs to exactly one class; a selector may yield candidates of several.
enum class FieldClass : std::uint8_t {
  kUrl,              // request target (raw and decoded), path segments
  kParams,           // query, form, JSON, XML and multipart keys and values
  kHeaders,          // request header names and values (the Cookie header as sent)
  kCookies,          // decoded cookie names and values
  kRequestBody,      // the raw request body, but a JSON document read whole
  kResponseHeaders,  // response header names and values
  kResponseBody,     // response JSON keys and values, the raw response body
  kRequestJsonText,  // the raw text of a request body that is JSON read whole (View)
  kContext,          // method, status, collection id, addresses, country: never prefiltered
};
inline constexpr int kFieldClassCount = 9;
std::string_view FieldClassName(FieldClass c);  // "url", "params", ...

// A set of field classes.
using FieldClassSet = std::uint32_t;
constexpr FieldClassSet ClassBit(FieldClass c) { return FieldClassSet{1} << static_cast<int>(c); }

// One part of a View that data operators test: where it is, its key (a parameter key path or a
// header name; empty for whole-field values such as the URL or the raw body) and its value.
// The views point into the View, its Exchange or a CandidateArena; valid for one scan.
struct Candidate {
  std::string_view location;  // "url", "query", "header", "cookie", "json", "body", ...
  std::string_view key;
  std::string_view value;
  FieldClass field_class = FieldClass::kContext;
  // False when the key is positional (a path segment's index): operators then test the value
  // only, and the key only names the location.
  bool test_key = true;
  // What transforms could change in the key and the value (FeaturesOf); filled when the scan
  // collects the candidate, all bits until then.
  TextFeatures key_features = kAllFeatures;
  TextFeatures value_features = kAllFeatures;
  // The prefilter's entries for the tested key and the value in this scan
  // (ScanScratch::Impl::prefilter_entries), -1 for none: an empty text, a positional key, a text
  // the prefilter did not see; and the ids of their texts in the scratch's VerdictCache (-1:
  // none). Filled by the scan once its prefilter has indexed the texts.
  std::int32_t key_entry = -1;
  std::int32_t value_entry = -1;
  std::int32_t key_text = -1;
  std::int32_t value_text = -1;

  // Forgets the entries and text ids: for a candidate whose texts are no longer the ones the
  // prefilter indexed (transformed, or cut by `length:`).
  void ForgetEntries() { key_entry = value_entry = key_text = value_text = -1; }

  // "query:q", "header:user-agent", "json:user.name", "url", "body".
  std::string Location() const;
};

// Owns strings that selectors derive from a View (a decoded URL, a status code as text) for the
// duration of one scan. Addresses of kept strings are stable until Clear(). Not thread-safe; it
// lives in a ScanScratch.
class CandidateArena {
 public:
  std::string_view Keep(std::string s) { return strings_.emplace_back(std::move(s)); }
  void Clear() { strings_.clear(); }

 private:
  std::deque<std::string> strings_;
};

// A Selector is an Akto "term" (`url`, `query_param`, ...): it turns a View into the candidates
// its data operators test. Stateless singletons registered in a table; thread-safe.
//
// Prefilter contract: every candidate a selector yields, of class C, is also yielded (same
// key, value, class and test_key) by the class's covering selector (see PrefilterSelectors());
// the prefilter scans only those, so a narrower selector (request_json) needs no scan of its own.
class Selector {
 public:
  virtual ~Selector() = default;

  virtual std::string_view name() const = 0;
  // The classes of the candidates this selector can yield.
  virtual FieldClassSet field_classes() const = 0;
  // True for selectors that describe the request rather than carry its content (method,
  // response code): a finding names a content location when the filter matched one.
  virtual bool context_only() const { return false; }

  // Appends the candidates of `view` to `out`. Derived strings go into `arena`. Never fails.
  virtual void Collect(const View& view, CandidateArena* arena,
                       std::vector<Candidate>* out) const = 0;
};

// The table of selectors, in a fixed order. Thread-safe.
std::span<const Selector* const> Selectors();
// The selector named `name`, or nullptr.
const Selector* FindSelector(std::string_view name);
// Position of `selector` in Selectors(), or -1.
int SelectorIndex(const Selector* selector);

// The selectors whose candidates of class `c`, together, cover the candidates of class `c` of
// every selector, without overlap. Empty for kContext.
std::span<const Selector* const> PrefilterSelectors(FieldClass c);

// The built-in selectors, one file each under selectors/.
const Selector& UrlSelector();
const Selector& MethodSelector();
const Selector& ApiCollectionIdSelector();
const Selector& QueryParamSelector();
const Selector& RequestHeadersSelector();
const Selector& RequestPayloadSelector();
const Selector& RequestBodyFieldsSelector();
const Selector& ResponseHeadersSelector();
const Selector& ResponsePayloadSelector();
const Selector& ResponseCodeSelector();
const Selector& SourceIpSelector();
const Selector& DestinationIpSelector();
const Selector& CountryCodeSelector();
const Selector& RequestCookiesSelector();
const Selector& PathSegmentsSelector();
const Selector& RequestJsonSelector();
const Selector& RequestXmlSelector();
const Selector& RequestMultipartSelector();

}  // namespace warden
