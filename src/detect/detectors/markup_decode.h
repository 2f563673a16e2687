#pragma once

#include <cstddef>
#include <string_view>

// Decoding helpers for the XSS detector (xss.h). Pure functions, thread-safe, no heap.
namespace warden::detectors {

// Decodes, in one left-to-right pass, what a browser or a second server-side decoding step
// would turn into markup: HTML character references (&#60; &#x3c; with or without ';', and
// the named ones payloads use: &lt; &colon; &Tab; &lpar; ...), JavaScript escapes (\x3c,
// \u003c, \u{3c}, octal \74) and percent escapes (%3c); fullwidth forms (U+FF01..U+FF5E) become
// ASCII, as servers that best-fit text to ASCII do. NUL bytes are dropped, as old browsers did.
// Code points above 0x7f are written as UTF-8.
//
// Writes at most `in.size()` bytes to `out` and returns how many. The output is never longer
// than the input, so `out` may equal `in.data()` (decoding in place).
std::size_t DecodeMarkupEscapes(std::string_view in, char* out);

// Reads one HTML character reference starting at in[pos] == '&'. On success stores the code
// point and the number of bytes consumed and returns true.
bool DecodeCharReference(std::string_view in, std::size_t pos, unsigned* code_point,
                         std::size_t* consumed);

// Writes `code_point` as UTF-8 (U+FFFD when out of range) and returns the byte count (1-4).
std::size_t EncodeUtf8(unsigned code_point, char* out);

}  // namespace warden::detectors
