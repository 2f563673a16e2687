#pragma once

#include <string>

namespace warden {

// Placeholder so the tree configures; the detection module defines the policy IR here.
struct Policy {
  std::string id;
};

}  // namespace warden
