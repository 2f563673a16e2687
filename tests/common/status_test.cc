#include "common/status.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd number", "x");
  return x / 2;
}

TEST(StatusTest, CarriesCodeMessageAndField) {
  Status st = Status::InvalidArgument("not a number", "batchData[3].time");
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.field(), "batchData[3].time");
  EXPECT_EQ(st.ToString(), "INVALID_ARGUMENT: batchData[3].time: not a number");
  EXPECT_EQ(st.WithContext("file.yaml").message(), "file.yaml: not a number");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(ResultTest, HoldsValueOrStatus) {
  auto good = Half(4);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 2);
  auto bad = Half(3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "x");
}

}  // namespace
}  // namespace warden
