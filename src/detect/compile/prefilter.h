#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "detect/engine.h"
#include "detect/policy/policy.h"
#include "detect/scratch.h"
#include "detect/selectors/selector.h"
#include "detect/transforms/transform.h"
#include "model/view.h"

struct hs_database;
struct hs_scratch;

namespace warden {

// The Hyperscan prefilter of a CompiledPolicySet: which policies a View can possibly match,
// and which condition nodes cannot match at all.
//
// Compiling: every positive data operator names Operator::Prefilter() patterns, one of which
// must pass for any text it accepts: a literal (contains_either, contains_all, eq) must occur in
// the text; for a regex, the literal atoms every match contains (an AND/OR tree read from the
// pattern by RegexAtoms(), matched case-insensitively) must occur. Walking a condition tree gives each
// node a requirement formula over these: a leaf needs one of its patterns (in the classes of its
// term, after the term's transforms); an AND needs all of its constrained children; an OR needs
// one child and is unconstrained as soon as one child is; `not`, negated operators, numbers,
// lengths, CIDRs, detectors and regexes without atoms constrain nothing. A policy whose filter
// has a formula is a candidate only when the formula holds; every node with a formula gets it
// as its gate (Condition::prefilter_gate), so the evaluator skips subtrees that cannot match,
// e.g. the regex branches of an OR whose other branch runs a detector.
//
// One Hyperscan database holds every regex atom (HS_FLAG_CASELESS) and every operator literal
// (byte-exact). Literals compile in milliseconds where the library's regexes themselves take
// Hyperscan tens of seconds (more with every policy added); RE2 confirms every candidate.
//
// Scanning: every text a chain in use needs (keys and values of each class's covering selectors,
// after the chain; a text no chain changes only once) is joined with '\n' into one buffer and
// scanned once; each hit is attributed to its text, hence its class and chains. Joining can only
// add hits (a literal across two texts), never lose one. Besides the gates, the scan leaves per
// text which regexes could match it at all (their atoms all occur in it): the evaluator runs a
// regex leaf (Condition::prefilter_regex) only on those texts.
//
// Immutable after Build(); Run() is thread-safe given a per-thread scratch.
class Prefilter {
 public:
  // Never fails: a pattern Hyperscan rejects only weakens the requirement of its policy. Sets
  // Condition::prefilter_gate on every node of every filter (the policies must then stay where
  // they are, or be moved as a whole vector).
  static std::unique_ptr<Prefilter> Build(std::vector<Policy>* policies);
  ~Prefilter();
  Prefilter(const Prefilter&) = delete;
  Prefilter& operator=(const Prefilter&) = delete;

  // Sets (*candidates)[i] to 1 for every policy i the scan must evaluate, and prepares
  // s->prefilter_truth for GateOpen(). `candidates` holds one
  // entry per policy, all 0 on entry. `s` has been reset for `view`; `s->hs` was cloned from
  // prototype() (when it is null every policy becomes a candidate and every gate stays open).
  void Run(const View& view, ScanScratch::Impl* s, std::vector<std::uint8_t>* candidates) const;

  // Whether regex `regex` (a Condition::prefilter_regex) may match the text of prefilter entry
  // `entry` of the scan `s` holds the results of: false only when some atom every match needs is
  // missing from the text. True for -1 (a text the scan did not see).
  bool MayMatch(std::int32_t regex, std::int32_t entry, const ScanScratch::Impl& s) const {
    if (entry < 0 || regex < 0 || static_cast<std::size_t>(regex) >= regex_summaries_.size()) {
      return true;
    }
    // Most texts are turned away by the summary, without a call. (A regex without a gate has
    // the empty summary, which admits every text.)
    const ScanScratch::Impl::ScanEntry& e = s.prefilter_entries[static_cast<std::size_t>(entry)];
    return regex_summaries_[static_cast<std::size_t>(regex)].Admits(e.sketch) &&
           GateHolds(regex, e, s);
  }
  // Whether regex `regex` may match some text of a candidate list: false only when even all
  // their texts together (`list`: bytes and hit bits) lack what every match needs. Lets the
  // evaluator skip a leaf without asking MayMatch() of each text.
  bool MayMatchAny(std::int32_t regex, const ScanScratch::Impl::ListGates& list) const;

  // Whether gate `gate` (a Condition::prefilter_gate) is open for the scan in `s`: false only
  // when the node cannot match. Evaluated lazily: only the gates a scan asks about are computed.
  bool GateOpen(std::int32_t gate, ScanScratch::Impl& s) const {
    const auto g = static_cast<std::size_t>(gate);
    if (g >= s.prefilter_truth.size()) return true;
    const std::uint8_t known = s.prefilter_truth[g];
    if (known != 0) return known == 2;
    // Most nodes are closed for want of a hit below, known without a call or a record.
    if (s.prefilter_reach[g] == 0) return false;
    return NodeHolds(gate, s);
  }

  // A scratch for the database, to clone per thread; nullptr without a database.
  const hs_scratch* prototype() const { return prototype_; }
  const PrefilterInfo& info(std::size_t policy) const { return info_[policy]; }
  std::size_t databases() const { return db_ == nullptr ? 0 : 1; }
  // Transform chains whose texts are scanned (the empty chain counts).
  std::size_t chains() const { return plans_.size(); }
  // Literals and atoms scanned for (per chain), and requirement formula nodes.
  std::size_t slots() const { return slots_; }
  std::size_t nodes() const { return nodes_.size(); }

 private:
  // What a scan of texts after one transform chain feeds.
  struct ChainPlan {
    TransformChain chain;
    FieldClassSet classes = 0;       // the classes whose texts are scanned
    std::vector<std::int32_t> slot;  // by pattern id: hit slot, or -1
    // (short pattern, slot), grouped by a byte the pattern needs (its rarest): the group of
    // byte b is short_slots[short_begin[b] .. short_begin[b + 1]). `short_keys`: the bytes
    // with a group.
    std::vector<std::pair<std::uint32_t, std::int32_t>> short_slots;
    std::vector<std::uint32_t> short_begin;
    ByteSet short_keys;
  };
  // A regex's atom formula over pattern ids, children before parents (the root is last).
  struct GateNode {
    enum class Kind { kAtom, kAnd, kOr };
    Kind kind = Kind::kAtom;
    std::int32_t pattern = -1;  // kAtom
    std::vector<std::int32_t> children;
    // kAnd / kOr, split by Build() so Holds() tests each kind of child the cheap way: atoms
    // scanned by Hyperscan (sorted pattern ids), short atoms (pattern ids, looked up in the
    // text's byte set), nested nodes; `unknown`: a child atom without a pattern (holds).
    std::vector<std::uint32_t> scanned_atoms;
    // kOr: the hit bits (TextSketch::HitBit) of scanned_atoms: a text whose hits share none
    // has none of them. (kAnd keeps its atoms' hit bits in `all`.)
    std::uint64_t scanned_bits = 0;
    std::vector<std::uint32_t> short_atoms;
    // Short atoms hold when all their bytes (and, for two bytes, the pair) are in the text.
    // kAnd: the requirements of all its short atoms and of nested ANDs made only of short
    // atoms, as one sketch (all needed); short_atoms and nested then hold the rest. kOr: its
    // one-byte atoms as one set (any one is enough), and its other short atoms and nested
    // short-only ANDs as sketches (one fully present is enough).
    TextSketch all;
    ByteSet single_bytes;
    bool has_single = false;
    std::vector<TextSketch> alternatives;
    // `all` and `alternatives` as Holds() reads them (the sketches are kept for Build()'s
    // summaries).
    SparseSketch all_need;
    std::vector<SparseSketch> alternative_needs;
    bool short_only = false;  // every leaf below is a short atom
    std::vector<std::int32_t> nested;
    bool unknown = false;
  };
  // A requirement formula node. A scan marks true the leaves whose slot hit in one of their
  // classes, and from there every OR above and every AND whose children all hold.
  struct Node {
    enum class Kind { kLeaf, kAnd, kOr };
    Kind kind = Kind::kLeaf;
    FieldClassSet classes = 0;  // kLeaf: classes in which a hit counts
    std::uint32_t needed = 0;   // kAnd: children
    std::vector<std::int32_t> parents;
  };
  struct MatchContext;

  Prefilter();
  // Sorts prefilter_raw_hits by (entry, pattern), without duplicates; the first `remembered`
  // are the remembered texts' hits, in that order already.
  static void SortHits(std::size_t remembered, ScanScratch::Impl* s);
  static int OnMatch(unsigned int id, unsigned long long from, unsigned long long to,
                     unsigned int flags, void* context);
  bool Holds(const std::vector<GateNode>& gate, std::int32_t node, const ScanScratch::Impl& s,
             const ScanScratch::Impl::ScanEntry& entry) const;
  // MayMatch() past the summary: the gate of regex `regex` on `entry` (true without a gate).
  bool GateHolds(std::int32_t regex, const ScanScratch::Impl::ScanEntry& entry,
                 const ScanScratch::Impl& s) const;
  // Whether requirement node `node` holds for the scan in `s`, computed on first use and
  // remembered in s->prefilter_truth (0 unknown, 1 false, 2 true). For a node some Hyperscan
  // hit reached or with a short pattern below (GateOpen() answers the others).
  bool NodeHolds(std::int32_t node, ScanScratch::Impl& s) const;

  hs_database* db_ = nullptr;  // the patterns of at least kMinScannedLength bytes
  hs_scratch* prototype_ = nullptr;
  bool active_ = false;        // there is something to look for
  std::uint32_t scanned_ = 0;  // pattern ids below this are in db_; the rest are short
  std::vector<TextSketch> short_patterns_;  // by pattern id - scanned_: bytes and pair
  std::vector<ChainPlan> plans_;
  std::uint64_t class_plans_[kFieldClassCount] = {};  // by class: plans that scan it
  TextFeatures class_triggers_[kFieldClassCount] = {};  // by class: what its plans react to
  std::vector<std::vector<GateNode>> regex_gates_;     // by expression (regexes only)
  // By expression: what every text a regex gate holds for has, whatever the gate's shape, so
  // that most texts are turned away without walking the gate. `need`: bytes, pairs and hit bits
  // every such text's sketch has. And, unless `any_unknown`: its sketch shares something with
  // `any`, built from one rare byte, pair or hit per alternative, so that a text without the
  // punctuation an OR of short atoms needs is turned away too.
  struct GateSummary {
    TextSketch need;
    TextSketch any;
    bool any_unknown = true;
  };
  // A GateSummary as scans read it.
  struct GateCheck {
    SparseSketch need;
    SparseSketch any;
    bool any_unknown = true;

    static GateCheck Of(const GateSummary& summary) {
      return GateCheck{.need = SparseSketch::Of(summary.need),
                       .any = SparseSketch::Of(summary.any),
                       .any_unknown = summary.any_unknown};
    }
    // Whether a text with this sketch may pass the gate.
    bool Admits(const TextSketch& text) const {
      return need.HeldBy(text) && (any_unknown || any.SharedWith(text));
    }
    // The same for texts known by their bytes and hit bits together: pairs are not asked.
    bool AdmitsAll(const ByteSet& bytes, std::uint64_t hits) const {
      return need.HeldBy(bytes, hits) && (any_unknown || any.SharedWith(bytes, hits));
    }
  };
  std::vector<GateCheck> regex_summaries_;
  std::uint32_t slots_ = 0;  // (chain, expression) pairs some leaf names
  // By (slot, class), at slot * kFieldClassCount + class: the leaf nodes naming the slot whose
  // classes include the class (slot_class_leaves_[slot_class_begin_[i] .. [i + 1])).
  std::vector<std::uint32_t> slot_class_begin_;
  std::vector<std::int32_t> slot_class_leaves_;
  // By scanned pattern: the (plan, slot) pairs it feeds
  // (pattern_slots_[pattern_slot_begin_[p] .. [p + 1])), so that a hit reads one short run
  // rather than one ChainPlan::slot table per plan.
  struct PlanSlot {
    std::uint32_t plan = 0;
    std::uint32_t slot = 0;
  };
  std::vector<std::uint32_t> pattern_slot_begin_;
  std::vector<PlanSlot> pattern_slots_;
  std::vector<Node> nodes_;
  // The nodes_ fields GateHolds() reads, packed: per node its kind (0 leaf, 1 AND, 2 OR), its
  // classes, its slot (leaves; -1: none) and its children (children_[child_begin_[i] ..
  // child_begin_[i + 1])).
  std::vector<std::uint8_t> node_kind_;
  std::vector<FieldClassSet> node_classes_;
  std::vector<std::int32_t> node_slot_;
  std::vector<std::uint32_t> child_begin_;
  std::vector<std::int32_t> children_;
  // Per node: its parents (parents_[parent_begin_[i] .. parent_begin_[i + 1]]). A node can only
  // hold when a hit (of a scanned pattern, or of a short one in the byte sets) reached it, which
  // Run() marks upwards from the hits.
  std::vector<std::uint32_t> parent_begin_;
  std::vector<std::int32_t> parents_;
  std::vector<std::int32_t> roots_;    // per policy: formula of its filter, or -1
  std::vector<std::uint32_t> always_;  // policies evaluated on every scan
  std::vector<PrefilterInfo> info_;
};

}  // namespace warden
