#include "detect/scratch.h"

#include <hs/hs.h>

#include <algorithm>
#include <cstring>
#include <functional>

#include "common/strings.h"

namespace warden {

namespace {

std::size_t HashKey(const char* data, std::size_t size, std::uint64_t chain) {
  std::uint64_t h = reinterpret_cast<std::uintptr_t>(data);
  h ^= (static_cast<std::uint64_t>(size) << 32) ^ chain ^ (chain >> 29);
  h *= 0x9E3779B97F4A7C15ull;
  return static_cast<std::size_t>(h ^ (h >> 29));
}

}  // namespace

std::string_view* TransformMemo::Slot(std::string_view text, std::uint64_t chain, bool* found) {
  if ((used_ + 1) * 2 > entries_.size()) Grow();
  const std::size_t mask = entries_.size() - 1;
  std::size_t i = HashKey(text.data(), text.size(), chain) & mask;
  while (true) {
    Entry& e = entries_[i];
    if (e.generation != generation_) {
      e = Entry{.data = text.data(),
                .size = text.size(),
                .chain = chain,
                .generation = generation_,
                .value = {}};
      ++used_;
      *found = false;
      return &e.value;
    }
    if (e.data == text.data() && e.size == text.size() && e.chain == chain) {
      *found = true;
      return &e.value;
    }
    i = (i + 1) & mask;
  }
}

void TransformMemo::Clear() {
  used_ = 0;
  if (++generation_ == 0) {
    // Wrapped: old entries could look current.
    for (auto& e : entries_) e.generation = 0;
    generation_ = 1;
  }
}

void TransformMemo::Grow() {
  std::vector<Entry> old;
  old.swap(entries_);
  entries_.assign(old.empty() ? 64 : old.size() * 2, Entry{});
  used_ = 0;
  const std::size_t mask = entries_.size() - 1;
  for (const Entry& e : old) {
    if (e.generation != generation_) continue;
    std::size_t i = HashKey(e.data, e.size, e.chain) & mask;
    while (entries_[i].generation == generation_) i = (i + 1) & mask;
    entries_[i] = e;
    ++used_;
  }
}

namespace {

std::size_t HashText(const char* data, std::size_t size) {
  std::uint64_t h = reinterpret_cast<std::uintptr_t>(data) ^ (static_cast<std::uint64_t>(size) << 40);
  h *= 0x9E3779B97F4A7C15ull;
  return static_cast<std::size_t>(h ^ (h >> 31));
}

}  // namespace

void VerdictCache::Reset(std::size_t slots) {
  slots_ = slots;
  words_ = (slots + 63) / 64;
  Forget();
  // A scan may pass the budget by its own texts before the next StartScan() forgets: room for
  // that without growing (and copying) step by step. Pages are touched only as texts come.
  bits_.reserve((kMaxTexts + 4096) * 2 * words_);
  facts_.reserve(kMaxTexts + 4096);
  bytes_.reserve(kMaxBytes + 4096 * kMaxText / 8);
}

std::int32_t VerdictCache::Intern(std::string_view text) {
  if (text.empty() || text.size() > kMaxText || slots_ == 0) return -1;
  if ((text_count_ + 1) * 2 > texts_.size()) GrowTexts();
  const std::uint64_t hash = std::hash<std::string_view>{}(text);
  const std::size_t mask = texts_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
    Text& t = texts_[i];
    if (t.id < 0) {
      t = Text{.hash = hash,
               .offset = static_cast<std::uint32_t>(bytes_.size()),
               .size = static_cast<std::uint32_t>(text.size()),
               .id = static_cast<std::int32_t>(text_count_)};
      bytes_.append(text);
      ++text_count_;
      bits_.resize(text_count_ * 2 * words_, 0);
      facts_.resize(text_count_);
      return t.id;
    }
    if (t.hash == hash && t.size == text.size() &&
        std::memcmp(bytes_.data() + t.offset, text.data(), text.size()) == 0) {
      return t.id;
    }
  }
}

void VerdictCache::StartScan() {
  if (text_count_ >= kMaxTexts || bytes_.size() >= kMaxBytes || hit_pool_.size() >= kMaxHits) {
    Forget();
  }
}

void VerdictCache::SetFacts(std::int32_t text, const TextSketch& sketch,
                            std::span<const std::pair<std::uint32_t, std::uint32_t>> hits) {
  if (text < 0 || static_cast<std::size_t>(text) >= text_count_) return;
  Facts& f = facts_[static_cast<std::size_t>(text)];
  f.bytes = sketch.bytes;
  f.pairs = sketch.pairs;
  f.hits_begin = static_cast<std::uint32_t>(hit_pool_.size());
  f.hits_count = static_cast<std::uint32_t>(hits.size());
  for (const auto& h : hits) hit_pool_.push_back(h.second);
  f.known = true;
}

void VerdictCache::Forget() {
  std::fill(texts_.begin(), texts_.end(), Text{});
  bytes_.clear();
  bits_.clear();
  facts_.clear();
  hit_pool_.clear();
  text_count_ = 0;
}

void VerdictCache::GrowTexts() {
  std::vector<Text> old;
  old.swap(texts_);
  texts_.assign(old.empty() ? 256 : old.size() * 2, Text{});
  const std::size_t mask = texts_.size() - 1;
  for (const Text& t : old) {
    if (t.id < 0) continue;
    std::size_t i = static_cast<std::size_t>(t.hash) & mask;
    while (texts_[i].id >= 0) i = (i + 1) & mask;
    texts_[i] = t;
  }
}

void TextSketch::AddText(std::string_view text) {
  if (text.empty()) return;
  // Local words: stores into the members could alias the text's bytes (char aliases
  // anything), which would make the compiler reload the text after every store.
  ByteSet::Words b = {};
  PairSet::Words p = {};
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  auto lower = [](unsigned char c) { return static_cast<unsigned char>(AsciiLower(c)); };
  unsigned char prev = lower(s[0]);
  b[prev >> 6] |= std::uint64_t{1} << (prev & 63);
  for (std::size_t i = 1; i < text.size(); ++i) {
    const unsigned char c = lower(s[i]);
    b[c >> 6] |= std::uint64_t{1} << (c & 63);
    const std::uint32_t bit = PairSet::Bit(prev, c);
    p[bit >> 6] |= std::uint64_t{1} << (bit & 63);
    prev = c;
  }
  bytes.MergeWords(b);
  pairs.MergeWords(p);
}

SparseSketch SparseSketch::Of(const TextSketch& sketch) {
  SparseSketch out;
  out.bytes = sketch.bytes;
  out.hits = sketch.hits;
  for (int bit = 0; bit < PairSet::kBits; ++bit) {
    if (!sketch.pairs.HasBit(static_cast<std::uint32_t>(bit))) continue;
    if (out.pair_count == kMaxPairs) {
      out.all_pairs = false;
      break;
    }
    out.pairs[out.pair_count++] = static_cast<std::uint16_t>(bit);
  }
  return out;
}

void TextIndex::Insert(std::string_view text, std::int32_t value) {
  if ((used_ + 1) * 2 > entries_.size()) Grow();
  const std::size_t mask = entries_.size() - 1;
  for (std::size_t i = HashText(text.data(), text.size()) & mask;; i = (i + 1) & mask) {
    Entry& e = entries_[i];
    if (e.generation != generation_) {
      e = Entry{.data = text.data(), .size = text.size(), .value = value, .generation = generation_};
      ++used_;
      return;
    }
    if (e.data == text.data() && e.size == text.size()) return;  // the first one stays
  }
}

std::int32_t TextIndex::Find(std::string_view text) const {
  if (entries_.empty()) return -1;
  const std::size_t mask = entries_.size() - 1;
  for (std::size_t i = HashText(text.data(), text.size()) & mask;; i = (i + 1) & mask) {
    const Entry& e = entries_[i];
    if (e.generation != generation_) return -1;
    if (e.data == text.data() && e.size == text.size()) return e.value;
  }
}

void TextIndex::Clear() {
  used_ = 0;
  if (++generation_ == 0) {
    for (auto& e : entries_) e.generation = 0;
    generation_ = 1;
  }
}

void TextIndex::Grow() {
  std::vector<Entry> old;
  old.swap(entries_);
  entries_.assign(old.empty() ? 64 : old.size() * 2, Entry{});
  used_ = 0;
  const std::size_t mask = entries_.size() - 1;
  for (const Entry& e : old) {
    if (e.generation != generation_) continue;
    std::size_t i = HashText(e.data, e.size) & mask;
    while (entries_[i].generation == generation_) i = (i + 1) & mask;
    entries_[i] = e;
    ++used_;
  }
}

ScanScratch::ScanScratch() : impl_(std::make_unique<Impl>()) {}
ScanScratch::~ScanScratch() = default;

ScanScratch::Impl::~Impl() {
  if (hs != nullptr) hs_free_scratch(hs);
}

void ScanScratch::Impl::Collect(const Selector* selector, const View& view,
                                std::vector<Candidate>* out) {
  std::size_t first = out->size();
  selector->Collect(view, &arena, out);
  // Operators see text as Akto (Java) does: invalid UTF-8 replaced by U+FFFD. Without this an
  // RE2 `.` or `[^>]` would not step over a stray byte, and one byte could hide a payload. The
  // prefilter (Hyperscan in UTF-8 mode) needs valid UTF-8 too.
  // Only a text with a byte of 0x80 or more can be invalid; its features are read again from
  // the sanitized copy.
  auto sanitize = [&](std::string_view* text, TextFeatures* features) {
    *features = FeaturesOf(*text);
    if ((*features & kHasNonAscii) == 0) return;
    const std::string_view clean = Sanitized(*text);
    if (clean.data() != text->data()) *features = FeaturesOf(clean);
    *text = clean;
  };
  for (std::size_t i = first; i < out->size(); ++i) {
    Candidate& c = (*out)[i];
    sanitize(&c.key, &c.key_features);
    sanitize(&c.value, &c.value_features);
  }
  if (entries_ready_) FillEntries(std::span<Candidate>(*out).subspan(first));
}

void ScanScratch::Impl::Reset() {
  gates_valid = false;
  text_gates_valid = false;
  arena.Clear();
  memo.Clear();
  auto table = Selectors();
  if (by_selector.size() != table.size()) {
    by_selector.clear();
    for (const Selector* s : table) by_selector.push_back({.selector = s, .collected = false, .candidates = {}});
  }
  for (auto& s : by_selector) {
    s.collected = false;
    s.candidates.clear();
  }
  for (std::size_t i = 0; i < by_chain_used_; ++i) by_chain[i].candidates.clear();
  by_chain_used_ = 0;
  chain_cache_.fill(-1);
  new_lists_used_ = 0;
  entries_ready_ = false;
}

void ScanScratch::Impl::ClearListGates() {
  list_index.Clear();
  list_gates.clear();
  last_list_at_ = -1;
  entries_ready_ = false;
}

std::int32_t ScanScratch::Impl::EntryOf(std::string_view text) const {
  return text.empty() ? -1 : text_index.Find(text);
}

std::int32_t ScanScratch::Impl::TextOf(std::int32_t entry) const {
  return entry < 0 ? -1 : prefilter_entries[static_cast<std::size_t>(entry)].memo_text;
}

void ScanScratch::Impl::FillEntries(std::span<Candidate> list) const {
  for (Candidate& c : list) {
    c.key_entry = c.test_key ? EntryOf(c.key) : -1;
    c.value_entry = EntryOf(c.value);
    c.key_text = TextOf(c.key_entry);
    c.value_text = TextOf(c.value_entry);
  }
}

void ScanScratch::Impl::FillEntries() {
  entries_ready_ = true;
  for (auto& s : by_selector) {
    if (s.collected) FillEntries(s.candidates);
  }
  // A list that is the raw one has no copy to fill (its candidates are empty).
  for (std::size_t i = 0; i < by_chain_used_; ++i) FillEntries(by_chain[i].candidates);
}

std::vector<Candidate>& ScanScratch::Impl::NewList() {
  if (new_lists_used_ == new_lists_.size()) new_lists_.emplace_back();
  std::vector<Candidate>& list = new_lists_[new_lists_used_++];
  list.clear();
  return list;
}

const ScanScratch::Impl::ListGates& ScanScratch::Impl::GatesOf(std::span<const Candidate> list) {
  // The leaves of a term ask about the same list one after the other.
  if (list.data() == last_list_.data() && list.size() == last_list_.size() && last_list_at_ >= 0) {
    return list_gates[static_cast<std::size_t>(last_list_at_)];
  }
  const std::string_view key(reinterpret_cast<const char*>(list.data()), list.size());
  std::int32_t at = list_index.Find(key);
  if (at < 0) {
    at = static_cast<std::int32_t>(list_gates.size());
    ListGates& g = list_gates.emplace_back();
    auto add = [&](std::string_view text, std::int32_t e) {
      if (e >= 0) {
        const TextSketch& sketch = prefilter_entries[static_cast<std::size_t>(e)].sketch;
        g.bytes.Merge(sketch.bytes);
        g.hits |= sketch.hits;
      } else if (!text.empty()) {
        g.known = false;
      }
    };
    for (const Candidate& c : list) {
      if (c.test_key) add(c.key, c.key_entry);
      add(c.value, c.value_entry);
    }
    list_index.Insert(key, at);
  }
  last_list_ = list;
  last_list_at_ = at;
  return list_gates[static_cast<std::size_t>(at)];
}

const std::vector<Candidate>& ScanScratch::Impl::CandidatesFor(const Selector* selector,
                                                               const View& view) {
  int index = SelectorIndex(selector);
  if (index >= 0 && static_cast<std::size_t>(index) < by_selector.size() &&
      by_selector[static_cast<std::size_t>(index)].selector == selector) {
    SelectorCandidates& s = by_selector[static_cast<std::size_t>(index)];
    if (!s.collected) {
      Collect(selector, view, &s.candidates);
      s.collected = true;
    }
    return s.candidates;
  }
  for (auto& s : by_selector) {
    if (s.selector == selector && s.collected) return s.candidates;
  }
  // A selector outside the table (tests may build one): collect once per scan.
  by_selector.push_back({.selector = selector, .collected = true, .candidates = {}});
  Collect(selector, view, &by_selector.back().candidates);
  return by_selector.back().candidates;
}

std::string_view ScanScratch::Impl::Sanitized(std::string_view text) {
  if (IsValidUtf8(text)) return text;
  // Through the memo, so that every selector yielding this text gets the same copy: the
  // prefilter identifies texts by address.
  constexpr std::uint32_t kSanitizeKey = 0xFFFFFFFF;  // no chain packs to this
  bool found = false;
  std::string_view* slot = memo.Slot(text, kSanitizeKey, &found);
  if (!found) *slot = arena.Keep(SanitizeUtf8(text));
  return *slot;
}

std::string_view ScanScratch::Impl::Unsanitized(std::string_view text, TransformChain chain) {
  // Tagged apart from the sanitized results, which Transformed() keeps under the chain's key:
  // a later step must see what the previous one produced, invalid UTF-8 included.
  const std::uint64_t key = (std::uint64_t{1} << 32) | chain.key();
  bool found = false;
  std::string_view* slot = memo.Slot(text, key, &found);
  if (found) return *slot;
  const int n = chain.size();
  const std::string_view in = n <= 1 ? text : Unsanitized(text, chain.Prefix(n - 1));
  std::string_view out = in;
  std::string storage;
  if (n >= 1 && GetTransform(chain.at(n - 1)).apply(in, &storage)) {
    out = arena.Keep(std::move(storage));
  }
  // The recursion may have grown the memo: look the slot up again.
  *memo.Slot(text, key, &found) = out;
  return out;
}

std::string_view ScanScratch::Impl::Transform(std::string_view text, TransformChain chain) {
  bool found = false;
  std::string_view* slot = memo.Slot(text, chain.key(), &found);
  if (found) return *slot;
  std::string_view out = Unsanitized(text, chain);
  if (out.data() != text.data() && !IsValidUtf8(out)) out = arena.Keep(SanitizeUtf8(out));
  // Unsanitized() may have grown the memo: look the slot up again.
  *memo.Slot(text, chain.key(), &found) = out;
  return out;
}

const std::vector<Candidate>& ScanScratch::Impl::CandidatesFor(const Selector* selector,
                                                               TransformChain chain,
                                                               const View& view) {
  if (chain.empty()) return CandidatesFor(selector, view);
  // Terms ask for the same few lists over and over: a direct-mapped cache of list positions,
  // then the lists in use (a prefix of by_chain).
  const std::uint64_t h = (reinterpret_cast<std::uintptr_t>(selector) ^
                           (std::uint64_t{chain.key()} << 17)) * 0x9E3779B97F4A7C15ull;
  std::int32_t& cached = chain_cache_[h >> (64 - kChainCacheBits)];
  // Every list made this scan set its slot: an empty slot means a list not made yet, another
  // list in it a collision.
  auto is_it = [&](const ChainCandidates& c) {
    return c.selector == selector && c.chain == chain.key();
  };
  if (cached >= 0) {
    if (is_it(by_chain[static_cast<std::size_t>(cached)])) {
      return *by_chain[static_cast<std::size_t>(cached)].list;
    }
    for (std::size_t i = 0; i < by_chain_used_; ++i) {
      if (!is_it(by_chain[i])) continue;
      cached = static_cast<std::int32_t>(i);
      return *by_chain[i].list;
    }
  }
  const std::vector<Candidate>& raw = CandidatesFor(selector, view);
  if (by_chain_used_ == by_chain.size()) by_chain.emplace_back();
  cached = static_cast<std::int32_t>(by_chain_used_);
  ChainCandidates* slot = &by_chain[by_chain_used_++];
  slot->selector = selector;
  slot->chain = chain.key();
  slot->candidates.clear();
  slot->list = &raw;
  // The raw texts' entries are filled once the prefilter has indexed the texts. A text the
  // chain left as it was is the same string (by address), hence the same entry and features;
  // only a changed text is looked up. When the chain changes no text, the list is the raw one
  // (and so are its prefilter gates, GatesOf() going by address): the common case.
  auto same = [](std::string_view a, std::string_view b) {
    return a.data() == b.data() && a.size() == b.size();
  };
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const Candidate& c = raw[i];
    const std::string_view key = c.test_key ? Transformed(c.key, chain, c.key_features) : c.key;
    const std::string_view value = Transformed(c.value, chain, c.value_features);
    const bool key_same = same(key, c.key);
    const bool value_same = same(value, c.value);
    if (slot->list == &raw) {
      if (key_same && value_same) continue;
      // The first text the chain changes: the list becomes a copy.
      slot->candidates.assign(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(i));
      slot->list = &slot->candidates;
    }
    Candidate t = c;
    t.key = key;
    t.value = value;
    if (!key_same) {
      t.key_features = kAllFeatures;
      t.key_entry = entries_ready_ && t.test_key ? EntryOf(t.key) : -1;
      t.key_text = TextOf(t.key_entry);
    }
    if (!value_same) {
      t.value_features = kAllFeatures;
      t.value_entry = entries_ready_ ? EntryOf(t.value) : -1;
      t.value_text = TextOf(t.value_entry);
    }
    slot->candidates.push_back(t);
  }
  return *slot->list;
}

}  // namespace warden
