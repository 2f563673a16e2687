#include "actors/mmdb_writer.h"

#include <arpa/inet.h>

#include <stdexcept>

namespace warden::testing {

namespace {

void Control(std::string* out, int type, std::size_t size) {
  unsigned char first = 0;
  std::string tail;
  if (size < 29) {
    first = static_cast<unsigned char>(size);
  } else if (size < 29 + 256) {
    first = 29;
    tail.push_back(static_cast<char>(size - 29));
  } else {
    std::size_t rest = size - 285;
    first = 30;
    tail.push_back(static_cast<char>(rest >> 8));
    tail.push_back(static_cast<char>(rest & 0xff));
  }
  if (type <= 7) {
    out->push_back(static_cast<char>((type << 5) | first));
  } else {
    out->push_back(static_cast<char>(first));  // type bits 0: extended
    out->push_back(static_cast<char>(type - 7));
  }
  *out += tail;
}

void Encode(const MmdbValue& value, std::string* out) {
  if (const auto* s = std::get_if<std::string>(&value.v)) {
    Control(out, 2, s->size());
    *out += *s;
  } else if (const auto* n = std::get_if<std::uint32_t>(&value.v)) {
    std::string bytes;
    for (std::uint32_t x = *n; x != 0; x >>= 8) bytes.insert(bytes.begin(), static_cast<char>(x));
    Control(out, 6, bytes.size());
    *out += bytes;
  } else if (const auto* m = std::get_if<std::shared_ptr<MmdbValue::Map>>(&value.v)) {
    Control(out, 7, (*m)->size());
    for (const auto& [k, v] : **m) {
      Encode(MmdbValue(k), out);
      Encode(v, out);
    }
  } else {
    const auto& a = *std::get<std::shared_ptr<MmdbValue::Array>>(value.v);
    Control(out, 11, a.size());
    for (const auto& v : a) Encode(v, out);
  }
}

// uint16 in the data format (metadata wants this exact type for some keys).
void EncodeU16(std::uint16_t n, std::string* out) {
  std::string bytes;
  for (std::uint16_t x = n; x != 0; x = static_cast<std::uint16_t>(x >> 8)) {
    bytes.insert(bytes.begin(), static_cast<char>(x & 0xff));
  }
  Control(out, 5, bytes.size());
  *out += bytes;
}

void EncodeU64(std::uint64_t n, std::string* out) {
  std::string bytes;
  for (std::uint64_t x = n; x != 0; x >>= 8) bytes.insert(bytes.begin(), static_cast<char>(x));
  Control(out, 9, bytes.size());
  *out += bytes;
}

struct Record {
  enum Kind { kEmpty, kNode, kData } kind = kEmpty;
  std::uint32_t value = 0;  // node index or data offset
};
struct Node {
  Record rec[2];
};

}  // namespace

std::string BuildMmdb(const std::vector<MmdbNetwork>& networks, const std::string& database_type) {
  std::string data;
  std::vector<Node> nodes(1);
  for (const auto& net : networks) {
    std::size_t slash = net.cidr.find('/');
    std::string addr = net.cidr.substr(0, slash);
    int len = slash == std::string::npos ? 32 : std::stoi(net.cidr.substr(slash + 1));
    in_addr a{};
    if (inet_pton(AF_INET, addr.c_str(), &a) != 1 || len < 1 || len > 32) {
      throw std::invalid_argument("bad network " + net.cidr);
    }
    std::uint32_t bits = ntohl(a.s_addr);
    std::uint32_t offset = static_cast<std::uint32_t>(data.size());
    Encode(net.data, &data);
    std::size_t node = 0;
    for (int i = 0; i < len; ++i) {
      int bit = (bits >> (31 - i)) & 1;
      Record& r = nodes[node].rec[bit];
      if (i == len - 1) {
        r = Record{Record::kData, offset};
        break;
      }
      if (r.kind == Record::kEmpty) {
        nodes.push_back(Node{});
        // `r` may dangle after push_back: index again.
        nodes[node].rec[bit] = Record{Record::kNode, static_cast<std::uint32_t>(nodes.size() - 1)};
      } else if (r.kind == Record::kData) {
        throw std::invalid_argument("overlapping networks");
      }
      node = nodes[node].rec[bit].value;
    }
  }

  const std::uint32_t node_count = static_cast<std::uint32_t>(nodes.size());
  std::string out;
  auto put24 = [&](std::uint32_t v) {
    out.push_back(static_cast<char>((v >> 16) & 0xff));
    out.push_back(static_cast<char>((v >> 8) & 0xff));
    out.push_back(static_cast<char>(v & 0xff));
  };
  for (const Node& n : nodes) {
    for (const Record& r : n.rec) {
      switch (r.kind) {
        case Record::kEmpty:
          put24(node_count);
          break;
        case Record::kNode:
          put24(r.value);
          break;
        case Record::kData:
          put24(node_count + 16 + r.value);
          break;
      }
    }
  }
  out.append(16, '\0');
  out += data;
  out += std::string("\xAB\xCD\xEFMaxMind.com");

  std::string meta;
  Control(&meta, 7, 9);
  Encode(MmdbValue("binary_format_major_version"), &meta);
  EncodeU16(2, &meta);
  Encode(MmdbValue("binary_format_minor_version"), &meta);
  EncodeU16(0, &meta);
  Encode(MmdbValue("build_epoch"), &meta);
  EncodeU64(1700000000, &meta);
  Encode(MmdbValue("database_type"), &meta);
  Encode(MmdbValue(database_type), &meta);
  Encode(MmdbValue("description"), &meta);
  Encode(MmdbValue(MmdbValue::Map{{"en", "Warden test fixture"}}), &meta);
  Encode(MmdbValue("ip_version"), &meta);
  EncodeU16(4, &meta);
  Encode(MmdbValue("languages"), &meta);
  Encode(MmdbValue(MmdbValue::Array{"en"}), &meta);
  Encode(MmdbValue("node_count"), &meta);
  Encode(MmdbValue(node_count), &meta);
  Encode(MmdbValue("record_size"), &meta);
  EncodeU16(24, &meta);
  out += meta;
  return out;
}

}  // namespace warden::testing
