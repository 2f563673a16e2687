#include "store/sqlite/sql_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace warden::sqlite
