#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detect/engine.h"
#include "detect/selectors/selector.h"
#include "detect/transforms/transform.h"

struct hs_scratch;

namespace warden {

// Remembers, for one scan, the result of applying a transform chain to a text, keyed by the
// text's address, length and a 64-bit key (the chain's, possibly tagged by the caller): a value
// that several selectors yield (a JSON field is in `request_payload` and `request_json`) is
// transformed once. Open addressing; Clear() is O(1). Not thread-safe.
class TransformMemo {
 public:
  // The slot for (text, key). `*found` says whether it already held a value. The pointer is
  // valid until the next call.
  std::string_view* Slot(std::string_view text, std::uint64_t chain, bool* found);
  void Clear();

 private:
  struct Entry {
    const char* data = nullptr;
    std::size_t size = 0;
    std::uint64_t chain = 0;
    std::uint32_t generation = 0;
    std::string_view value;
  };
  void Grow();

  std::vector<Entry> entries_;
  std::size_t used_ = 0;
  std::uint32_t generation_ = 1;
};

// A bit set of kWords 64-bit words, with the set algebra ByteSet and PairSet share. `Self` keeps
// the two apart: a set merges or compares only with its own kind. Value type.
template <typename Self, int kWords>
class WordBits {
 public:
  static constexpr int kBits = 64 * kWords;
  using Words = std::uint64_t[kWords];

  void AddBit(std::uint32_t bit) { bits_[bit >> 6] |= std::uint64_t{1} << (bit & 63); }
  bool HasBit(std::uint32_t bit) const { return (bits_[bit >> 6] >> (bit & 63)) & 1; }
  int Count() const {
    int n = 0;
    for (std::uint64_t w : bits_) n += __builtin_popcountll(w);
    return n;
  }
  // The lowest bit set, or -1.
  int FirstBit() const { return NextBit(-1); }
  // The lowest bit set above `bit`, or -1.
  int NextBit(int bit) const {
    int i = (bit + 1) >> 6;
    if (i >= kWords) return -1;
    std::uint64_t w = bits_[i] & (~std::uint64_t{0} << ((bit + 1) & 63));
    while (w == 0) {
      if (++i == kWords) return -1;
      w = bits_[i];
    }
    return i * 64 + __builtin_ctzll(w);
  }
  void Merge(const Self& o) { MergeWords(WordsOf(o)); }
  // Adds the bits of a set given as its words (bit b of word w: bit 64 * w + b).
  void MergeWords(const Words& words) {
    for (int i = 0; i < kWords; ++i) bits_[i] |= words[i];
  }
  // Whether some bit is in both sets.
  bool Intersects(const Self& o) const {
    const Words& w = WordsOf(o);
    std::uint64_t common = 0;
    for (int i = 0; i < kWords; ++i) common |= bits_[i] & w[i];
    return common != 0;
  }
  // Whether every bit of `o` is in this set.
  bool Contains(const Self& o) const {
    const Words& w = WordsOf(o);
    std::uint64_t missing = 0;
    for (int i = 0; i < kWords; ++i) missing |= w[i] & ~bits_[i];
    return missing == 0;
  }
  // Keeps only the bits `o` has too.
  void IntersectWith(const Self& o) {
    const Words& w = WordsOf(o);
    for (int i = 0; i < kWords; ++i) bits_[i] &= w[i];
  }

 private:
  static const Words& WordsOf(const Self& o) { return static_cast<const WordBits&>(o).bits_; }

  Words bits_ = {};
};

// A set of byte values. Value type.
class ByteSet : public WordBits<ByteSet, 4> {
 public:
  void Add(unsigned char c) { AddBit(c); }
  bool Has(unsigned char c) const { return HasBit(c); }
};

// The two-byte strings a text contains, hashed into kBits (1,024) bits: "has xy" is answered
// with no false negatives and few false positives. A text reaching a regex gate holds some 70
// distinct pairs: in 256 bits a quarter of all pairs would then seem present, in 1,024 one in
// fourteen. Value type.
inline constexpr int kPairWords = 16;
class PairSet : public WordBits<PairSet, kPairWords> {
 public:
  static std::uint32_t Bit(unsigned char a, unsigned char b) {
    static_assert(kBits == 1024, "the hash below keeps 10 bits");
    return ((std::uint32_t{a} << 8 | b) * 0x9E3779B1u) >> 22;
  }
  void Add(unsigned char a, unsigned char b) { AddBit(Bit(a, b)); }
};

// What the prefilter knows of a text, or of several texts merged: its bytes and two-byte strings
// (ASCII lower-cased) and which scanned patterns hit it (bit: pattern id mod 64). Read as a
// requirement, every byte, pair and hit bit it holds must be in the text's sketch. Value type.
struct TextSketch {
  ByteSet bytes;
  PairSet pairs;
  std::uint64_t hits = 0;

  static std::uint64_t HitBit(std::uint32_t pattern) { return std::uint64_t{1} << (pattern & 63); }
  // Adds the bytes of `text` and its adjacent pairs, lower-cased.
  void AddText(std::string_view text);
  void Merge(const TextSketch& o) {
    bytes.Merge(o.bytes);
    pairs.Merge(o.pairs);
    hits |= o.hits;
  }
  // Whether this sketch has everything `need` has.
  bool Contains(const TextSketch& need) const {
    return (need.hits & ~hits) == 0 && bytes.Contains(need.bytes) && pairs.Contains(need.pairs);
  }
  // Whether this sketch shares a byte, a pair or a hit bit with `any`.
  bool Intersects(const TextSketch& any) const {
    return (hits & any.hits) != 0 || bytes.Intersects(any.bytes) || pairs.Intersects(any.pairs);
  }
  void IntersectWith(const TextSketch& o) {
    bytes.IntersectWith(o.bytes);
    pairs.IntersectWith(o.pairs);
    hits &= o.hits;
  }
};

// A sketch of requirements as per-text checks read it: the bytes and hit bits as sets, the pairs
// as a short list of bits (a requirement names few pairs, while a text's pair set is large). At
// most kMaxPairs are listed; `all_pairs` says whether that is all of them.
struct SparseSketch {
  static constexpr int kMaxPairs = 6;
  ByteSet bytes;
  std::uint64_t hits = 0;
  std::uint8_t pair_count = 0;
  std::uint16_t pairs[kMaxPairs] = {};
  bool all_pairs = true;

  static SparseSketch Of(const TextSketch& sketch);
  // Read as "needs all": true for every text whose sketch contains the sketch this was made
  // from (an unlisted pair is not asked, which only lets more texts through).
  bool HeldBy(const TextSketch& text) const {
    if (!HeldBy(text.bytes, text.hits)) return false;
    for (int i = 0; i < pair_count; ++i) {
      if (!text.pairs.HasBit(pairs[i])) return false;
    }
    return true;
  }
  // The same for texts known only by their bytes and hit bits: pairs are not asked.
  bool HeldBy(const ByteSet& text_bytes, std::uint64_t text_hits) const {
    return (hits & ~text_hits) == 0 && text_bytes.Contains(bytes);
  }
  // Read as "needs one": true for every text whose sketch intersects the sketch this was made
  // from (every text when some pair is unlisted).
  bool SharedWith(const TextSketch& text) const {
    if (!all_pairs || (hits & text.hits) != 0 || text.bytes.Intersects(bytes)) return true;
    for (int i = 0; i < pair_count; ++i) {
      if (text.pairs.HasBit(pairs[i])) return true;
    }
    return false;
  }
  // The same for texts known only by their bytes and hit bits: true whenever a pair is named.
  bool SharedWith(const ByteSet& text_bytes, std::uint64_t text_hits) const {
    return pair_count > 0 || !all_pairs || (hits & text_hits) != 0 ||
           text_bytes.Intersects(bytes);
  }
};

// Maps texts (by address and length) to small integers for one scan. Open addressing; Clear()
// is O(1). Not thread-safe.
class TextIndex {
 public:
  void Insert(std::string_view text, std::int32_t value);
  // The value stored for `text`, or -1.
  std::int32_t Find(std::string_view text) const;
  void Clear();

 private:
  struct Entry {
    const char* data = nullptr;
    std::size_t size = 0;
    std::int32_t value = -1;
    std::uint32_t generation = 0;
  };
  void Grow();

  std::vector<Entry> entries_;
  std::size_t used_ = 0;
  std::uint32_t generation_ = 1;
};

// What costly operators (regexes, the SQL and XSS detectors) answered for texts of earlier
// scans, kept per thread: header values, cookies and parameters recur from one exchange to the
// next, and a text answered before is not run through RE2, its gate or a tokenizer again.
// Exact: a text is found by its bytes (hash, then compared); an operator by its slot
// (Condition::memo_slot: leaves whose operators answer alike share one). Each text keeps two
// bits per slot (known, value) side by side, so the leaves that test one text read one record.
// Bounded: only texts of up to kMaxText bytes are kept, and everything is forgotten between
// scans once the texts pass kMaxTexts or kMaxBytes, and when the number of slots changes (the
// scratch moved to another policy set). Not thread-safe.
//
// It also keeps what the prefilter found in each text (Facts: its sketch and the Hyperscan
// patterns that hit it), so that a text seen before is neither sketched nor scanned again.
class VerdictCache {
 public:
  static constexpr std::size_t kMaxText = 512;
  static constexpr std::size_t kMaxTexts = std::size_t{1} << 16;
  static constexpr std::size_t kMaxBytes = std::size_t{1} << 22;
  static constexpr std::size_t kMaxHits = std::size_t{1} << 18;

  // Forgets everything and makes room for `slots` operators per text.
  void Reset(std::size_t slots);
  // The id of `text`, interned on first sight; -1 when it is empty or longer than kMaxText.
  // Valid until StartScan() or Reset() forgets.
  std::int32_t Intern(std::string_view text);
  // What the operator of `slot` answered for text `text`: -1 unknown, 0 false, 1 true.
  int Find(std::int32_t slot, std::int32_t text) const {
    std::size_t known = 0;
    std::uint64_t bit = 0;
    if (!Locate(slot, text, &known, &bit) || (bits_[known] & bit) == 0) return -1;
    return (bits_[known + words_] & bit) != 0 ? 1 : 0;
  }
  void Put(std::int32_t slot, std::int32_t text, bool verdict) {
    std::size_t known = 0;
    std::uint64_t bit = 0;
    if (!Locate(slot, text, &known, &bit)) return;
    bits_[known] |= bit;
    if (verdict) bits_[known + words_] |= bit;
  }
  // Before a scan interns its texts: forgets everything when over budget.
  void StartScan();
  std::size_t texts() const { return text_count_; }

  // What the prefilter found in a text: the bytes and pairs of its sketch, and the scanned
  // patterns that hit it (sorted, once each). A scan that saw the text whole records them.
  struct Facts {
    ByteSet bytes;
    PairSet pairs;
    std::uint32_t hits_begin = 0;  // in the hit pool
    std::uint32_t hits_count = 0;
    bool known = false;
  };
  // The facts of text `text`, or nullptr when none are recorded.
  const Facts* FactsOf(std::int32_t text) const {
    if (text < 0 || static_cast<std::size_t>(text) >= text_count_) return nullptr;
    const Facts& f = facts_[static_cast<std::size_t>(text)];
    return f.known ? &f : nullptr;
  }
  std::span<const std::uint32_t> HitsOf(const Facts& f) const {
    return std::span<const std::uint32_t>(hit_pool_).subspan(f.hits_begin, f.hits_count);
  }
  // Records the facts of text `text`: `sketch` (its hit bits are not kept) and `patterns`.
  void SetFacts(std::int32_t text, const TextSketch& sketch,
                std::span<const std::pair<std::uint32_t, std::uint32_t>> hits);

 private:
  struct Text {
    std::uint64_t hash = 0;
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
    std::int32_t id = -1;  // -1: empty slot
  };
  // Where the "known" bit of (slot, text) lies: bits_[*known] & *bit (the value bit is words_
  // further on). False when either is out of range.
  bool Locate(std::int32_t slot, std::int32_t text, std::size_t* known,
              std::uint64_t* bit) const {
    // A negative id converts to a size beyond any count.
    if (static_cast<std::size_t>(text) >= text_count_ ||
        static_cast<std::size_t>(slot) >= slots_) {
      return false;
    }
    *known = static_cast<std::size_t>(text) * 2 * words_ + (static_cast<std::size_t>(slot) >> 6);
    *bit = std::uint64_t{1} << (slot & 63);
    return true;
  }
  void Forget();
  void GrowTexts();

  std::size_t slots_ = 0;
  std::size_t words_ = 0;      // 64-bit words per half record
  std::vector<Text> texts_;    // open addressing, a power of two
  std::string bytes_;          // the interned texts, back to back
  std::vector<std::uint64_t> bits_;  // per text: known words, then value words
  std::vector<Facts> facts_;          // per text
  std::vector<std::uint32_t> hit_pool_;
  std::size_t text_count_ = 0;
};

class Prefilter;

// Per-thread state of one scan: the candidates of each selector (raw, and per transform chain),
// collected on first use and reused by every policy and by the prefilter; the transformed texts
// and strings derived for them; the Hyperscan scratch and the prefilter's buffer and verdicts.
struct ScanScratch::Impl {
  struct SelectorCandidates {
    const Selector* selector = nullptr;
    bool collected = false;
    std::vector<Candidate> candidates;
  };
  struct ChainCandidates {
    const Selector* selector = nullptr;
    std::uint32_t chain = 0;
    std::vector<Candidate> candidates;  // the transformed copy, when the chain changed a text
    // The list: &candidates, or the selector's raw list when the chain changed no text.
    const std::vector<Candidate>* list = nullptr;
  };

  Impl() = default;
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  CandidateArena arena;
  // Deques: a returned candidate list stays valid while later lists are added.
  std::deque<SelectorCandidates> by_selector;  // one slot per entry of Selectors(), then extras
  std::deque<ChainCandidates> by_chain;        // slots reused across scans
  TransformMemo memo;
  VerdictCache verdicts;  // kept across scans (only Prepare() and its own budget clear it)

  // One text in the prefilter's buffer: where it ends there, which class it belongs to and
  // which chains (plan bits) it stands for.
  struct ScanEntry {
    std::uint32_t index = 0;  // position in prefilter_entries
    std::size_t end = 0;      // offset just past it (and its separator) in the buffer
    std::string_view text;
    FieldClass field_class = FieldClass::kContext;
    std::uint64_t plans = 0;  // bit i: the text as chain plan i sees it
    TextSketch sketch;        // its bytes and pairs, ASCII lower-cased; its hits
    std::uint32_t hits_begin = 0;  // its (entry, pattern) hits in prefilter_raw_hits
    std::uint32_t hits_end = 0;
    std::int32_t memo_text = -1;  // its id in `verdicts`, or -1
    // Its sketch and hits come from `verdicts` (it is not in the buffer: `end` is that of the
    // entry before it, so no hit lands in it).
    bool remembered = false;
  };

  // Hyperscan scratch, cloned from the prototype of the set it was last used with.
  hs_scratch* hs = nullptr;
  std::uint64_t hs_set_id = 0;
  std::string prefilter_buffer;
  std::vector<ScanEntry> prefilter_entries;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> prefilter_raw_hits;  // (entry, pattern)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> prefilter_merged_hits;  // Run()'s own
  // Per scanned pattern; non-zero only for the patterns of prefilter_raw_hits.
  std::vector<std::uint32_t> prefilter_last_entry;
  std::vector<ByteSet> prefilter_byte_sets;         // per (plan, class)
  // Per slot: classes in which it occurred. Only the slots in prefilter_hit_slots are non-zero.
  std::vector<std::uint32_t> prefilter_hits;
  std::vector<std::uint32_t> prefilter_hit_slots;
  TextIndex text_index;                             // text -> its entry
  // What the prefilter knows of one candidate list: the bytes and hit bits of its keys' and
  // values' entries together (not their pairs: merging those cost more than it turned away),
  // meaningful when every non-empty text is an entry (`known`).
  struct ListGates {
    ByteSet bytes;
    std::uint64_t hits = 0;
    bool known = true;
  };
  TextIndex list_index;  // candidate list (by address and length) -> its ListGates
  // Clears list_index and list_gates for a new scan; candidates get no entries until
  // FillEntries().
  void ClearListGates();
  std::vector<ListGates> list_gates;
  // Once text_index holds every text of the scan: sets the entries of the candidates collected
  // so far (Candidate::key_entry, value_entry, key_text, value_text), and of those collected
  // later as they are.
  void FillEntries();
  const Prefilter* prefilter = nullptr;             // the one whose results these are
  bool text_gates_valid = false;  // the entries belong to this scan (Reset() clears)
  std::vector<std::uint8_t> prefilter_truth;  // per gate: 0 unknown, 1 cannot match, 2 may
  // The gates whose verdict this scan computed (the rest are 0), unless prefilter_truth_all_set:
  // every gate was set open.
  std::vector<std::int32_t> prefilter_truth_touched;
  bool prefilter_truth_all_set = false;
  // Per gate: a Hyperscan hit lies below it. Only the nodes in prefilter_reached are non-zero.
  std::vector<std::uint8_t> prefilter_reach;
  std::vector<std::int32_t> prefilter_reached;
  std::vector<std::int32_t> prefilter_stack;
  bool gates_valid = false;  // prefilter_truth belongs to this scan (Reset() clears)
  std::vector<std::uint8_t> candidate_policies;  // one flag per policy of the set

  // An empty candidate list of its own for this scan (a part of another list, e.g. the
  // candidates an OR has not answered for before): its address is not reused until Reset(), so
  // GatesOf() may key it by address. Valid until Reset().
  std::vector<Candidate>& NewList();

  // The ListGates of `list` (whose texts are this scan's), computed once per list and scan. An
  // empty text adds nothing to the merged sketch: no regex gate that requires something holds
  // for it. Valid until the next call.
  const ListGates& GatesOf(std::span<const Candidate> list);
  // Forgets the previous scan, keeping allocated capacity.
  void Reset();
  // The candidates `selector` yields for `view` (invalid UTF-8 replaced), collected on first
  // use within a scan.
  const std::vector<Candidate>& CandidatesFor(const Selector* selector, const View& view);
  // The same with `chain` applied to every value and tested key.
  const std::vector<Candidate>& CandidatesFor(const Selector* selector, TransformChain chain,
                                              const View& view);
  // `text` after `chain` (valid UTF-8), computed once per scan. Empty chain, or `features` (of
  // `text`) that the chain does not react to: `text` itself.
  std::string_view Transformed(std::string_view text, TransformChain chain,
                               TextFeatures features = kAllFeatures) {
    // Inline: most texts hold nothing the chain reacts to.
    if (chain.empty() || text.empty() || (features & chain.triggers()) == 0) return text;
    return Transform(text, chain);
  }

 private:
  void Collect(const Selector* selector, const View& view, std::vector<Candidate>* out);
  // Transformed() for a text the chain may change.
  std::string_view Transform(std::string_view text, TransformChain chain);
  // `text` after the non-empty `chain`, exactly as ApplyChain() gives it (not sanitized), computed
  // once per scan from the memoized result of the chain without its last step: the chains of a
  // set share prefixes (url_decode; url_decode,html_entity_decode; ...), so a text is
  // URL-decoded once, not once per chain.
  std::string_view Unsanitized(std::string_view text, TransformChain chain);
  // `text` with invalid UTF-8 replaced; the same copy for every caller within a scan.
  std::string_view Sanitized(std::string_view text);

  // The list GatesOf() answered last, and its ListGates (-1: none this scan).
  std::span<const Candidate> last_list_;
  std::int32_t last_list_at_ = -1;
  bool entries_ready_ = false;  // FillEntries() ran this scan
  void FillEntries(std::span<Candidate> list) const;
  // The prefilter entry of a text of this scan (by address), -1 for none; and the VerdictCache
  // id of an entry's text (-1 for none).
  std::int32_t EntryOf(std::string_view text) const;
  std::int32_t TextOf(std::int32_t entry) const;
  std::deque<std::vector<Candidate>> new_lists_;  // reused across scans
  std::size_t new_lists_used_ = 0;
  std::size_t by_chain_used_ = 0;  // this scan's lists: by_chain[0 .. used)
  // Position in by_chain of a (selector, chain) list by hash, -1: none (a hint, checked).
  static constexpr int kChainCacheBits = 6;
  using ChainCache = std::array<std::int32_t, std::size_t{1} << kChainCacheBits>;
  ChainCache chain_cache_ = [] {
    ChainCache c;
    c.fill(-1);
    return c;
  }();
};

}  // namespace warden
