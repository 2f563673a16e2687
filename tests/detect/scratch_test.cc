#include "detect/scratch.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace warden {
namespace {

std::string RandomText(std::mt19937_64& rng, std::size_t max_size) {
  static constexpr char kAlphabet[] = "abcXYZ019 ;'\"()<>/\\%&$-_.=";
  std::string s(rng() % (max_size + 1), ' ');
  for (char& c : s) c = kAlphabet[rng() % (sizeof(kAlphabet) - 1)];
  return s;
}

TextSketch SketchOf(const std::string& text, std::uint64_t hits) {
  TextSketch s;
  s.AddText(text);
  s.hits = hits;
  return s;
}

// A text's sketch holds the pairs of its bytes, lower-cased, and nothing of another text's
// beyond hash collisions.
TEST(ScratchTest, SketchRecordsBytesAndPairs) {
  TextSketch s = SketchOf("aB/", 0);
  EXPECT_TRUE(s.bytes.Has('a'));
  EXPECT_TRUE(s.bytes.Has('b'));
  EXPECT_FALSE(s.bytes.Has('B'));
  EXPECT_TRUE(s.pairs.HasBit(PairSet::Bit('a', 'b')));
  EXPECT_TRUE(s.pairs.HasBit(PairSet::Bit('b', '/')));
  EXPECT_TRUE(s.Contains(SketchOf("ab", 0)));
  EXPECT_TRUE(s.Contains(SketchOf("b/", 0)));
}

// The requirements scans read must never turn away a text the sketch they were made from admits:
// read as a need, a subset of the pairs is asked; read as a one-of, every text passes when some
// pair is not listed.
TEST(ScratchTest, SparseRequirementsAreImpliedBySketches) {
  std::mt19937_64 rng(11);
  int held = 0;
  int shared = 0;
  for (int round = 0; round < 20000; ++round) {
    const TextSketch text = SketchOf(RandomText(rng, 40), rng());
    // A requirement from a piece of the text, so that many hold; and one from another text.
    const std::string other = RandomText(rng, 12);
    const TextSketch reqs[] = {SketchOf(other, rng() & rng()), SketchOf(other.substr(0, 3), 0)};
    for (const TextSketch& req : reqs) {
      const SparseSketch sparse = SparseSketch::Of(req);
      if (text.Contains(req)) {
        ++held;
        EXPECT_TRUE(sparse.HeldBy(text)) << other;
      }
      if (text.Intersects(req)) {
        ++shared;
        EXPECT_TRUE(sparse.SharedWith(text)) << other;
      }
    }
  }
  // The cases above are not vacuous.
  EXPECT_GT(held, 1000);
  EXPECT_GT(shared, 1000);
}

TEST(ScratchTest, SparseRequirementsStillTurnTextsAway) {
  const TextSketch text = SketchOf("plain words only", 0);
  EXPECT_FALSE(SparseSketch::Of(SketchOf("<script", 0)).HeldBy(text));
  EXPECT_FALSE(SparseSketch::Of(SketchOf("<", 0)).SharedWith(text));
  // A pair neither text byte order has: "wp" is not in the text though 'w' and 'p' are.
  TextSketch pair_only;
  pair_only.pairs.AddBit(PairSet::Bit('w', 'p'));
  EXPECT_FALSE(text.pairs.HasBit(PairSet::Bit('w', 'p')));
  EXPECT_FALSE(SparseSketch::Of(pair_only).HeldBy(text));
  EXPECT_FALSE(SparseSketch::Of(pair_only).SharedWith(text));
  // Too many pairs to list: a one-of requirement lets every text through.
  TextSketch many;
  for (const char* p : {"ab", "cd", "ef", "gh", "ij", "kl", "mn", "op"}) {
    many.pairs.AddBit(PairSet::Bit(p[0], p[1]));
  }
  EXPECT_TRUE(SparseSketch::Of(many).SharedWith(text));
}

}  // namespace
}  // namespace warden
