#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <string>

#include "detect/operators/operand.h"
#include "detect/operators/operator.h"

namespace warden {

namespace {

// `regex`: an RE2 pattern searched anywhere in the input (unanchored, like Java's find()).
// RE2 runs in linear time, so a hostile input cannot make a match backtrack. Features RE2 does
// not have (look-around, back-references) are rejected when the policy loads.
//
// RE2 objects are thread-safe, but every search takes a reader lock on the object's DFA cache:
// threads sharing one RE2 contend on that lock's cache line on every call. Each thread searches
// its own copy instead (one per slot, made on the slot's first use; threads beyond kSlots share).
class RegexOperator final : public Operator {
 public:
  explicit RegexOperator(std::unique_ptr<RE2> re)
      : re_(std::move(re)), matches_empty_(RE2::PartialMatch("", *re_)) {}
  ~RegexOperator() override {
    for (auto& slot : copies_) delete slot.load(std::memory_order_acquire);
  }
  RegexOperator(const RegexOperator&) = delete;
  RegexOperator& operator=(const RegexOperator&) = delete;

  bool Match(std::string_view input, std::string_view* matched) const override {
    // Empty values are common (`?a=`, empty fields) and never remembered; a search of nothing
    // still costs RE2 a few thousand cycles of setup.
    if (input.empty()) {
      if (matches_empty_ && matched != nullptr) *matched = input;
      return matches_empty_;
    }
    const RE2& re = ForThisThread();
    const re2::StringPiece text(input.data(), input.size());
    // The DFA-only match answers most inputs; submatch extraction runs only on hits.
    if (!re.Match(text, 0, text.size(), RE2::UNANCHORED, nullptr, 0)) return false;
    if (matched != nullptr) {
      re2::StringPiece whole;
      if (re.Match(text, 0, text.size(), RE2::UNANCHORED, &whole, 1) && whole.data() != nullptr) {
        *matched = std::string_view(whole.data(), whole.size());
      } else {
        *matched = input;
      }
    }
    return true;
  }

  // Every regex operator compiles its pattern with the same options: two leaves with the same
  // pattern answer alike, and the evaluator may share their verdicts.
  bool Memoizable() const override { return true; }
  std::string MemoKey() const override { return "regex\n" + re_->pattern(); }

  std::size_t ProgramSize() const override {
    return static_cast<std::size_t>(std::max(re_->ProgramSize(), 0));
  }

  std::vector<PrefilterPattern> Prefilter() const override {
    return {PrefilterPattern{.expression = re_->pattern(), .literal = false}};
  }

 private:
  static constexpr std::size_t kSlots = 16;

  // The copy of re_ this thread searches with. Slot 0 is re_ itself.
  const RE2& ForThisThread() const {
    static std::atomic<std::size_t> next_thread{0};
    thread_local const std::size_t slot = next_thread.fetch_add(1) % kSlots;
    if (slot == 0) return *re_;
    std::atomic<RE2*>& copy = copies_[slot];
    RE2* re = copy.load(std::memory_order_acquire);
    if (re != nullptr) return *re;
    auto fresh = std::make_unique<RE2>(re_->pattern(), re_->options());
    if (!fresh->ok()) return *re_;
    RE2* expected = nullptr;
    if (copy.compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel)) {
      return *fresh.release();
    }
    return *expected;  // another thread of this slot made it first
  }

  std::unique_ptr<RE2> re_;
  const bool matches_empty_;  // whether the empty text matches
  mutable std::array<std::atomic<RE2*>, kSlots> copies_{};
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
