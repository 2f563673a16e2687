#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "model/view.h"

namespace warden {

// Flattens an XML document into kXml params, for policies (`request_xml`, `request_payload`):
//   element text       key "order/item"         (each non-blank text run, CDATA included)
//   attribute          key "order/item/@id"
//   DOCTYPE            key "!DOCTYPE", value the whole declaration with its internal subset,
//                      so ENTITY declarations (XXE) are visible to policies.
// The parser is small and non-validating: it never expands entities other than the five
// predefined ones and character references, never reads external resources, and is bounded by
// `max_depth` (deeper elements end the parse) and `max_params`. It is linear in the input and
// tolerant: malformed documents yield what was read up to the damage. Returns false when `text`
// holds no element at all. Pure and thread-safe.
bool FlattenXml(std::string_view text, std::vector<Param>* out, std::size_t max_params,
                int max_depth);

// True for application/xml, text/xml and any "+xml" media type (case-insensitive).
bool IsXmlMediaType(std::string_view media_type);
// True when the body, after spaces and a byte-order mark, starts like an XML document ("<?xml",
// "<!DOCTYPE" or '<' followed by a name start).
bool LooksLikeXml(std::string_view body);

}  // namespace warden
