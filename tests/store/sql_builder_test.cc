#include "store/sqlite/sql_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <utility>

namespace warden::sqlite {
namespace {

using ::testing::ElementsAre;

TEST(ConditionsTest, EmptyHasNoClause) {
  Conditions c;
  c.AddIn("a", std::vector<std::string>{});
  c.AddContains({"a"}, "");
  EXPECT_EQ(c.WhereClause(), "");
  EXPECT_EQ(c.AndClause(), "");
  EXPECT_TRUE(c.values().empty());
}

TEST(ConditionsTest, InListsArePaddedToPowersOfTwo) {
  EXPECT_EQ(Conditions::InPlaceholders(1), "(?)");
  EXPECT_EQ(Conditions::InPlaceholders(2), "(?,?)");
  EXPECT_EQ(Conditions::InPlaceholders(3), "(?,?,?,?)");
  EXPECT_EQ(Conditions::InPlaceholders(5), "(?,?,?,?,?,?,?,?)");
  EXPECT_THAT(Conditions::Padded(std::vector<std::string>{"x", "y", "z"}),
              ElementsAre(SqlValue("x"), SqlValue("y"), SqlValue("z"), SqlValue("z")));
}

TEST(ConditionsTest, ValuesFollowPlaceholderOrder) {
  Conditions c;
  c.AddIn("e.id", std::vector<std::string>{"a", "b", "c"});
  c.Add("e.t >= ?", {std::int64_t{5}});
  c.AddInAny({"e.url", "e.tpl"}, {"/u"});
  c.AddContains({"e.f", "e.h"}, "50%_off\\");
  EXPECT_EQ(c.WhereClause(),
            " WHERE e.id IN (?,?,?,?) AND e.t >= ? AND (e.url IN (?) OR e.tpl IN (?)) AND "
            "(e.f LIKE ? ESCAPE '\\' OR e.h LIKE ? ESCAPE '\\')");
  EXPECT_THAT(c.values(),
              ElementsAre(SqlValue("a"), SqlValue("b"), SqlValue("c"), SqlValue("c"),
                          SqlValue(std::int64_t{5}), SqlValue("/u"), SqlValue("/u"),
                          SqlValue("%50\\%\\_off\\\\%"), SqlValue("%50\\%\\_off\\\\%")));
}

TEST(GroupingTest, StringIdsNumberEachStringOnce) {
  StringIds ids;
  EXPECT_EQ(ids.Id("10.0.0.1"), 0u);
  EXPECT_EQ(ids.Id("user-with-a-name-longer-than-sso"), 1u);
  EXPECT_EQ(ids.Id("10.0.0.1"), 0u);
  EXPECT_EQ(ids.Id(""), 2u);
  EXPECT_EQ(ids.Id("user-with-a-name-longer-than-sso"), 1u);
  EXPECT_EQ(ids.size(), 3u);
  // Enough strings to grow the table several times, each asked for twice.
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 5000; ++i) {
      ASSERT_EQ(ids.Id("actor-" + std::to_string(i)), static_cast<std::uint32_t>(i + 3));
    }
  }
  EXPECT_EQ(ids.size(), 5003u);
  EXPECT_EQ(ids.Id("10.0.0.1"), 0u);
}

// Against std::set over enough pairs to grow the table several times, with repeats, members
// shared between groups and the largest ids.
TEST(GroupingTest, DistinctPairsMatchesASet) {
  DistinctPairs pairs;
  std::set<std::pair<std::uint32_t, std::uint32_t>> want;
  std::uint64_t x = 12345;
  for (int i = 0; i < 50000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    auto group = static_cast<std::uint32_t>((x >> 60) & 7);
    auto member = static_cast<std::uint32_t>((x >> 20) % 20000);
    if (i % 1000 == 0) member = 0xfffffffe;
    bool fresh = want.emplace(group, member).second;
    ASSERT_EQ(pairs.Add(group, member), fresh) << "pair " << group << "," << member;
  }
  EXPECT_EQ(pairs.size(), want.size());
}

}  // namespace
}  // namespace warden::sqlite
