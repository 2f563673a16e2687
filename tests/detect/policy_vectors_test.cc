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

struct VectorRef {
  std::size_t policy;
  std::size_t vector;
};

std::vector<VectorRef> AllVectors() {
  std::vector<VectorRef> out;
  const auto& policies = BuiltinPolicies();
  for (std::size_t p = 0; p < policies.size(); ++p) {
    for (std::size_t v = 0; v < policies[p].tests.size(); ++v) out.push_back({p, v});
  }
  return out;
}

std::string VectorName(const ::testing::TestParamInfo<VectorRef>& info) {
  const Policy& p = BuiltinPolicies()[info.param.policy];
  const PolicyTestVector& t = p.tests[info.param.vector];
  std::string name = p.id + "_" + std::to_string(info.param.vector) + "_";
  for (char ch : t.name) {
    unsigned char c = static_cast<unsigned char>(ch);
    name += (std::isalnum(c) != 0) ? ch : '_';
  }
  return name;
}

class PolicyVectorTest : public ::testing::TestWithParam<VectorRef> {};

TEST_P(PolicyVectorTest, FiresAsExpected) {
  const Policy& p = BuiltinPolicies()[GetParam().policy];
  const PolicyTestVector& t = p.tests[GetParam().vector];
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
    EXPECT_NE(mine, nullptr) << t.mark.ToString() << ": '" << t.name << "' should match " << p.id
                             << ": " << t.method << " " << t.url;
    if (mine != nullptr && t.expect_success.has_value()) {
      EXPECT_EQ(mine->successful_exploit, *t.expect_success)
          << t.mark.ToString() << ": '" << t.name << "' success flag (evidence '"
          << mine->exploit_evidence << "')";
    }
  } else {
    EXPECT_EQ(mine, nullptr) << t.mark.ToString() << ": '" << t.name << "' should not match "
                             << p.id << " but matched " << mine->location << " = '" << mine->matched
                             << "'";
  }
}

INSTANTIATE_TEST_SUITE_P(Builtin, PolicyVectorTest, ::testing::ValuesIn(AllVectors()), VectorName);
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
