#pragma once

#include <vector>

#include "detect/engine.h"
#include "detect/selectors/selector.h"

namespace warden {

// Per-thread state of one scan: the candidates of each selector, collected on first use and
// reused by every policy of the scan, and the strings derived for them. A Hyperscan scratch and
// the per-scan prefilter hit set join this struct when the prefilter lands.
struct ScanScratch::Impl {
  struct SelectorCandidates {
    const Selector* selector = nullptr;
    bool collected = false;
    std::vector<Candidate> candidates;
  };

  CandidateArena arena;
  std::vector<SelectorCandidates> by_selector;  // one slot per entry of Selectors()

  // Forgets the previous scan, keeping allocated capacity.
  void Reset();
  // The candidates `selector` yields for `view`, collected on first use within a scan.
  const std::vector<Candidate>& CandidatesFor(const Selector* selector, const View& view);

 private:
  void Collect(const Selector* selector, const View& view, std::vector<Candidate>* out);
};

}  // namespace warden
