#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "model/view.h"

namespace warden {

// Parses a multipart/form-data body (RFC 7578) into kMultipart params: every part yields its
// field name (Content-Disposition `name`) and content; a part with a file name also yields
// "<name>.filename" = the file name (`filename`, or `filename*` percent-decoded). Parts are read
// as far as the body goes: a body cut short (truncated on ingest) keeps its complete parts and
// the readable start of the last one. At most `max_params` params are added. Returns false when
// no part was found. Linear in the body; pure and thread-safe.
bool ParseMultipart(std::string_view body, std::string_view boundary, std::vector<Param>* out,
                    std::size_t max_params);

// The `boundary` parameter of a Content-Type value ("multipart/form-data; boundary=xyz"),
// unquoted; empty when there is none or it is longer than 200 bytes.
std::string MultipartBoundary(std::string_view content_type);

}  // namespace warden
