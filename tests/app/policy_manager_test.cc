#include "app/policy_manager.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace warden {
namespace {

namespace fs = std::filesystem;

std::string PolicyYaml(const std::string& id, const std::string& needle) {
  return "id: " + id + "\nfilter:\n  query_param:\n    contains_either: [\"" + needle +
         "\"]\ninfo:\n  name: " + id + "\n  severity: HIGH\n";
}

Exchange Get(const std::string& target) {
  Exchange e;
  e.method = "GET";
  e.target = target;
  e.host = "a.example";
  return e;
}

class PolicyManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("warden-pm-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<PolicyManager> Make(bool builtin = false) {
    PolicyManagerOptions o;
    o.builtin = builtin;
    o.user_dir = (dir_ / "user").string();
    return std::make_unique<PolicyManager>(
        o, [this](std::shared_ptr<const CompiledPolicySet> s) {
          applied_ = std::move(s);
          ++applies_;
        });
  }

  fs::path dir_;
  std::shared_ptr<const CompiledPolicySet> applied_;
  int applies_ = 0;
};

TEST_F(PolicyManagerTest, CreateReplaceDisableDeleteAndPersist) {
  auto pm = Make();
  ASSERT_TRUE(pm->Reload().ok());
  EXPECT_EQ(applied_->policies().size(), 0u);

  auto created = pm->Put("", PolicyYaml("Probe", "evil"), "tester");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->source, "user:Probe.yaml");
  EXPECT_EQ(applied_->policies().size(), 1u);
  EXPECT_EQ(pm->Put("", PolicyYaml("Probe", "x"), "tester").status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(pm->Put("Other", PolicyYaml("Probe", "x"), "tester").status().field(), "id");

  auto found = pm->Test("", "", Get("/a?q=evil"));
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].policy_id, "Probe");

  ASSERT_TRUE(pm->Put("Probe", PolicyYaml("Probe", "worse"), "tester").ok());
  EXPECT_TRUE(pm->Test("", "", Get("/a?q=evil"))->empty());
  EXPECT_EQ(pm->Test("", "", Get("/a?q=worse"))->size(), 1u);

  ASSERT_TRUE(pm->SetEnabled("Probe", false, "tester").ok());
  EXPECT_EQ(applied_->policies().size(), 0u);
  EXPECT_FALSE(pm->Get("Probe")->enabled);
  // A fresh manager on the same directory sees the same state.
  auto again = Make();
  ASSERT_TRUE(again->Reload().ok());
  EXPECT_FALSE(again->Get("Probe")->enabled);
  ASSERT_TRUE(again->SetEnabled("Probe", true, "tester").ok());
  EXPECT_EQ(applied_->policies().size(), 1u);

  ASSERT_TRUE(again->Delete("Probe", "tester").ok());
  EXPECT_EQ(again->Get("Probe").status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(dir_ / "user" / "Probe.yaml"));
}

TEST_F(PolicyManagerTest, InvalidYamlIsRefusedAndNothingChanges) {
  auto pm = Make();
  ASSERT_TRUE(pm->Reload().ok());
  ASSERT_TRUE(pm->Put("", PolicyYaml("Keep", "a"), "t").ok());
  int before = applies_;
  auto bad = pm->Put("", "id: Bad\nfilter:\n  query_param:\n    regx: \"x\"\n", "t");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("policy:"), std::string::npos) << bad.status().message();
  EXPECT_EQ(applies_, before);
  EXPECT_FALSE(fs::exists(dir_ / "user" / "Bad.yaml"));
  auto two = pm->Put("", PolicyYaml("A1", "a") + "---\n" + PolicyYaml("A2", "b"), "t");
  EXPECT_EQ(two.status().field(), "yaml");
  EXPECT_EQ(pm->Put("", PolicyYaml("../etc", "a"), "t").status().field(), "id");
}

TEST_F(PolicyManagerTest, BuiltinsCanBeOverriddenAndDisabledButNotDeleted) {
  auto pm = Make(/*builtin=*/true);
  auto n = pm->Reload();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  ASSERT_GT(*n, 0u);
  auto sqli = pm->Get("SQLInjection");
  ASSERT_TRUE(sqli.ok());
  EXPECT_TRUE(sqli->builtin);
  EXPECT_FALSE(sqli->yaml.empty());
  EXPECT_EQ(pm->Delete("SQLInjection", "t").code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(pm->Put("SQLInjection", PolicyYaml("SQLInjection", "only-this"), "t").ok());
  EXPECT_FALSE(pm->Get("SQLInjection")->builtin);
  EXPECT_EQ(pm->List().size(), *n);  // replaced, not added
  ASSERT_TRUE(pm->Delete("SQLInjection", "t").ok());  // removes the override only
  EXPECT_TRUE(pm->Get("SQLInjection")->builtin);
}

TEST_F(PolicyManagerTest, TestRunsGivenYamlOrOnePolicy) {
  auto pm = Make();
  ASSERT_TRUE(pm->Reload().ok());
  auto r = pm->Test(PolicyYaml("Adhoc", "needle"), "", Get("/x?a=needle"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(pm->Test("", "Missing", Get("/")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(pm->Test("id: X\nfilter: [", "", Get("/")).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace warden
