#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/exchange.h"
#include "model/view.h"
#include "normalize/actor_identity.h"

namespace warden {

// Maps a host pattern to an API collection name. Patterns are exact host names or "*.suffix".
struct CollectionRule {
  std::string host_pattern;
  std::string collection;
};

// How to build Views. Plain configuration; immutable once the pipeline starts.
struct NormalizeOptions {
  // Number of proxies in front of the sensor whose X-Forwarded-For entries are trusted.
  // 0: the peer address is the client. N: the client is the Nth address from the right of
  // (X-Forwarded-For entries + peer), so spoofed left-most entries are ignored.
  int trusted_proxies = 0;
  std::vector<CollectionRule> collections;  // first match wins; default: the host itself
  std::size_t max_params = 1000;            // more are dropped (and counted)
  int max_json_depth = 32;
  ActorIdentityConfig actor_identity;  // user actors per host; default: the client IP
};

// Builds the View of `exchange`. Never fails: hostile or malformed input yields a best-effort
// view. The view points at `exchange`, which must outlive it.
View BuildView(const Exchange& exchange, const NormalizeOptions& options);

// Client address from the peer address and X-Forwarded-For values (comma-separated, as many
// headers as were sent) with `trusted_proxies` trusted hops. Ports and brackets are removed.
std::string ClientIp(std::string_view peer, const std::vector<std::string_view>& xff_values,
                     int trusted_proxies);

// "/users/123/orders/9f1c…" → "/users/{int}/orders/{uuid}". Also {hex}, {objectid}, {email},
// {date}. The input is a path without query as on the wire; each segment is percent-decoded on
// its own, so an encoded '/' stays inside its segment.
std::string EndpointTemplate(std::string_view raw_path);

// Collection name for a host (lower-cased, port removed) and its stable numeric id.
std::string CollectionFor(std::string_view host, const std::vector<CollectionRule>& rules);
std::int32_t CollectionId(std::string_view collection);

// Parses `a=1&b=2` into params with percent-decoding ('+' as space).
void ParseUrlEncoded(std::string_view text, ParamLocation location, std::vector<Param>* out,
                     std::size_t max_params);
// Flattens a JSON document into key paths ("a.b[0].c") and scalar values. Returns false when
// `text` is not JSON. With `whole`, sets it to whether every key and value of the document is
// among the params it added: none cut off by `max_params`, no empty object or array (which adds
// no param, so its key would be lost), no key given twice in one object (the parser keeps one).
bool FlattenJson(std::string_view text, std::vector<Param>* out, std::size_t max_params,
                 int max_depth, bool* whole = nullptr);
// Parses a Cookie header into kCookie params.
void ParseCookies(std::string_view header, std::vector<Param>* out, std::size_t max_params);

// The exchange as one Akto ingest record: a JSON object whose fields are all strings, with
// headers as JSON-encoded maps. Invalid UTF-8 is replaced. This is the stored sample of events.
std::string SampleJson(const Exchange& exchange);

}  // namespace warden
