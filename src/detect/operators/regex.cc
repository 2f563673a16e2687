#include <re2/re2.h>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "detect/operators/operand.h"
#include "detect/operators/operator.h"

namespace warden {

namespace {

// `regex`: an RE2 pattern searched anywhere in the input (unanchored, like Java's find()).
// RE2 runs in linear time, so a hostile input cannot make a match backtrack. Features RE2 does
// not have (look-around, back-references) are rejected when the policy loads.
class RegexOperator final : public Operator {
 public:
  explicit RegexOperator(std::unique_ptr<RE2> re) : re_(std::move(re)) {}

  bool Match(std::string_view input, std::string_view* matched) const override {
    static long calls = 0;
    static const bool dbg = getenv("WARDEN_RE_DEBUG") != nullptr;
    if (dbg && ++calls % 100000 == 0) fprintf(stderr, "re2 calls %ld\n", calls);
    if (dbg && calls % 20000 == 0) fprintf(stderr, "sample: /%.70s/ on [%.60s]\n", re_->pattern().c_str(), std::string(input).c_str());
    const re2::StringPiece text(input.data(), input.size());
    // The DFA-only match answers most inputs; submatch extraction runs only on hits.
    if (!re_->Match(text, 0, text.size(), RE2::UNANCHORED, nullptr, 0)) return false;
    if (matched != nullptr) {
      re2::StringPiece whole;
      if (re_->Match(text, 0, text.size(), RE2::UNANCHORED, &whole, 1) && whole.data() != nullptr) {
        *matched = std::string_view(whole.data(), whole.size());
      } else {
        *matched = input;
      }
    }
    return true;
  }

  std::vector<PrefilterPattern> Prefilter() const override {
    return {PrefilterPattern{.expression = re_->pattern(), .literal = false}};
  }

 private:
  std::unique_ptr<RE2> re_;
};

}  // namespace

Result<std::unique_ptr<Operator>> MakeRegexOperator(const Operand& operand) {
  auto pattern = SingleScalar(operand, "regex");
  if (!pattern.ok()) return pattern.status();
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(*pattern, options);
  if (!re->ok()) {
    return Status::InvalidArgument("invalid regex '" + *pattern + "': " + re->error() +
                                   " (RE2 syntax: no look-around or back-references)");
  }
  return std::unique_ptr<Operator>(std::make_unique<RegexOperator>(std::move(re)));
}

}  // namespace warden
