// Runs every `tests:` vector of every built-in policy (policies/*.yaml): builds the Exchange,
// normalizes it with default options, scans it with the whole built-in set and checks whether the
// vector's policy fired. Also holds the library to its own bar: at least five positive and five
// negative vectors per policy.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "detect/engine.h"
#include "detect/policy/loader.h"
#include "detect/policy/test_vector.h"
#include "normalize/normalize.h"

namespace warden {
namespace {

std::filesystem::path PoliciesDir() {
  return std::filesystem::path(WARDEN_SOURCE_DIR) / "policies";
}

// Loaded once for the whole binary: parameter generation needs the vectors.
const std::vector<Policy>& BuiltinPolicies() {
  static const std::vector<Policy>* policies = [] {
    auto loaded = LoadPolicies({PoliciesDir()});
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status().ToString();
      return new std::vector<Policy>();
    }
    return new std::vector<Policy>(std::move(loaded).value());
  }();
  return *policies;
}

const CompiledPolicySet& BuiltinSet() {
  static const std::shared_ptr<const CompiledPolicySet> set = [] {
    auto compiled = CompilePolicies(BuiltinPolicies());
    EXPECT_TRUE(compiled.ok()) << compiled.status().ToString();
    return compiled.ok() ? *compiled : nullptr;
  }();
  return *set;
}

// One test per policy running all its vectors: each test is its own process under ctest, and
// each process compiles the whole built-in set once, so per-vector tests would compile it
// hundreds of times. Failures name the vector (file:line and name).
std::vector<std::size_t> AllPolicies() {
  std::vector<std::size_t> out;
  for (std::size_t p = 0; p < BuiltinPolicies().size(); ++p) out.push_back(p);
  return out;
}

std::string PolicyName(const ::testing::TestParamInfo<std::size_t>& info) {
  std::string name;
  for (char ch : BuiltinPolicies()[info.param].id) {
    unsigned char c = static_cast<unsigned char>(ch);
    name += (std::isalnum(c) != 0) ? ch : '_';
  }
  return name;
}

class PolicyVectorTest : public ::testing::TestWithParam<std::size_t> {};

TEST_P(PolicyVectorTest, EveryVectorFiresAsExpected) {
  const Policy& p = BuiltinPolicies()[GetParam()];
  for (const PolicyTestVector& t : p.tests) {
    SCOPED_TRACE(t.mark.ToString() + ": '" + t.name + "'");
    Exchange ex = ExchangeFromTestVector(t);
    View view = BuildView(ex, NormalizeOptions{});
    ScanScratch scratch;
    std::vector<Finding> findings;
    BuiltinSet().Scan(view, scratch, &findings);
    const Finding* mine = nullptr;
    for (const auto& f : findings) {
      if (f.policy_id == p.id) mine = &f;
    }
    if (t.expect_match) {
      EXPECT_NE(mine, nullptr) << "should match " << p.id << ": " << t.method << " " << t.url;
      if (mine != nullptr && t.expect_success.has_value()) {
        EXPECT_EQ(mine->successful_exploit, *t.expect_success)
            << "success flag (evidence '" << mine->exploit_evidence << "')";
      }
    } else {
      EXPECT_EQ(mine, nullptr) << "should not match " << p.id << " but matched " << mine->location
                               << " = '" << mine->matched << "'";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Builtin, PolicyVectorTest, ::testing::ValuesIn(AllPolicies()), PolicyName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(PolicyVectorTest);

TEST(BuiltinPoliciesTest, LoadAndCarryEnoughVectors) {
  const auto& policies = BuiltinPolicies();
  std::vector<std::string> ids;
  for (const auto& p : policies) ids.push_back(p.id);
  for (const char* want :
       {"SQLInjection", "XSS", "LocalFileInclusionLFIRFI", "OSCommandInjection"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), want), ids.end()) << want;
  }
  for (const auto& p : policies) {
    int pos = 0;
    int neg = 0;
    for (const auto& t : p.tests) (t.expect_match ? pos : neg)++;
    EXPECT_GE(pos, 5) << p.id;
    EXPECT_GE(neg, 5) << p.id;
    EXPECT_FALSE(p.info.name.empty()) << p.id;
    EXPECT_FALSE(p.info.remediation.empty()) << p.id;
    EXPECT_FALSE(p.info.category.cwe.empty()) << p.id;
    EXPECT_FALSE(p.info.category.owasp_2021.empty()) << p.id;
    EXPECT_FALSE(p.info.category.owasp_api_2023.empty()) << p.id;
  }
}

}  // namespace
}  // namespace warden
