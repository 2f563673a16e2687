#include "detect/operators/cidr.h"

#include <arpa/inet.h>

#include <cstring>
#include <string>

#include "common/strings.h"
#include "detect/operators/operand.h"

namespace warden {

namespace {

// `contains_either_cidr` / `not_contains_cidr`: the value is an IP address inside one of the
// blocks. Values that are not addresses never match the positive form.
class CidrOperator final : public Operator {
 public:
  CidrOperator(std::vector<IpBlock> blocks, CidrMode mode)
      : blocks_(std::move(blocks)), mode_(mode) {}

  bool Match(std::string_view input, std::string_view* matched) const override {
    std::optional<IpAddress> ip = ParseIpAddress(input);
    if (!ip.has_value()) return false;
    for (const auto& b : blocks_) {
      if (BlockContains(b, *ip)) {
        if (matched != nullptr) *matched = input;
        return true;
      }
    }
    return false;
  }
  bool negated() const override { return mode_ == CidrMode::kNotContains; }

 private:
  std::vector<IpBlock> blocks_;
  CidrMode mode_;
};

}  // namespace

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  text = TrimSpace(text);
  if (text.empty() || text.size() > 45) return std::nullopt;
  char buf[64];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress a;
  if (inet_pton(AF_INET, buf, a.bytes.data()) == 1) return a;
  if (inet_pton(AF_INET6, buf, a.bytes.data()) != 1) return std::nullopt;
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::memcmp(a.bytes.data(), kMapped, sizeof kMapped) == 0) {
    std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
    std::memset(a.bytes.data() + 4, 0, 12);
    return a;
  }
  a.v6 = true;
  return a;
}

Result<IpBlock> ParseIpBlock(std::string_view text) {
  std::string_view t = TrimSpace(text);
  std::size_t slash = t.find('/');
  std::optional<IpAddress> base = ParseIpAddress(t.substr(0, slash));
  if (!base.has_value()) {
    return Status::InvalidArgument("'" + std::string(text) + "' is not an IP address or CIDR");
  }
  const int max = base->v6 ? 128 : 32;
  int prefix = max;
  if (slash != std::string_view::npos) {
    std::optional<std::int64_t> p = ParseInt64(t.substr(slash + 1));
    if (!p.has_value() || *p < 0 || *p > max || t.substr(slash + 1).find_first_not_of(
                                                    "0123456789") != std::string_view::npos) {
      return Status::InvalidArgument("'" + std::string(text) + "': prefix length must be 0-" +
                                     std::to_string(max));
    }
    prefix = static_cast<int>(*p);
  }
  IpBlock block{*base, prefix};
  // An IPv4-mapped block (::ffff:10.0.0.0/104) is the IPv4 block it maps.
  if (!base->v6 && t.find(':') != std::string_view::npos && slash != std::string_view::npos) {
    if (prefix < 96) {
      return Status::InvalidArgument("'" + std::string(text) + "': mapped IPv4 prefix below 96");
    }
    block.prefix = prefix - 96;
  }
  const int bytes = base->v6 ? 16 : 4;
  for (int bit = block.prefix; bit < bytes * 8; ++bit) {
    if ((block.base.bytes[bit / 8] >> (7 - bit % 8)) & 1) {
      return Status::InvalidArgument("'" + std::string(text) +
                                     "': host bits set past the prefix length");
    }
  }
  return block;
}

bool BlockContains(const IpBlock& block, const IpAddress& address) {
  if (block.base.v6 != address.v6) return false;
  int full = block.prefix / 8;
  if (std::memcmp(block.base.bytes.data(), address.bytes.data(), static_cast<std::size_t>(full)) !=
      0) {
    return false;
  }
  int rest = block.prefix % 8;
  if (rest == 0) return true;
  std::uint8_t mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (block.base.bytes[full] & mask) == (address.bytes[full] & mask);
}

Result<std::unique_ptr<Operator>> MakeCidrOperator(const Operand& operand, CidrMode mode) {
  const char* name = mode == CidrMode::kContains ? "contains_either_cidr" : "not_contains_cidr";
  WARDEN_RETURN_IF_ERROR(NonEmptyStrings(operand, name));
  std::vector<IpBlock> blocks;
  for (const auto& v : operand.values) {
    auto b = ParseIpBlock(v);
    if (!b.ok()) return Status::InvalidArgument(std::string(name) + ": " + b.status().message());
    blocks.push_back(*b);
  }
  return std::unique_ptr<Operator>(std::make_unique<CidrOperator>(std::move(blocks), mode));
}

}  // namespace warden
