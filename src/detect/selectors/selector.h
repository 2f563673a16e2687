#pragma once

#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/view.h"

namespace warden {

// One part of a View that data operators test: where it is, its key (a parameter key path or a
// header name; empty for whole-field values such as the URL or the raw body) and its value.
// The views point into the View, its Exchange or a CandidateArena; valid for one scan.
struct Candidate {
  std::string_view location;  // "url", "query", "header", "cookie", "json", "body", ...
  std::string_view key;
  std::string_view value;

  // "query:q", "header:user-agent", "json:user.name", "url", "body".
  std::string Location() const;
};

// Groups selectors whose candidates a prefilter scans with one Hyperscan database.
enum class FieldClass {
  kUrl,
  kMethod,
  kQuery,
  kRequestHeaders,
  kRequestBody,
  kResponseCode,
  kResponseBody,
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
class Selector {
 public:
  virtual ~Selector() = default;

  virtual std::string_view name() const = 0;
  virtual FieldClass field_class() const = 0;
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

// The built-in selectors, one file each under selectors/.
const Selector& UrlSelector();
const Selector& MethodSelector();
const Selector& QueryParamSelector();
const Selector& RequestHeadersSelector();
const Selector& RequestPayloadSelector();
const Selector& ResponseCodeSelector();
const Selector& ResponsePayloadSelector();

}  // namespace warden
