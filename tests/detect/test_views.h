#pragma once

#include "model/exchange.h"
#include "model/view.h"

namespace warden::testing {

// A hand-built Exchange + View pair, so detect tests do not depend on normalize's choices.
struct TestExchange {
  Exchange exchange;
  View view;

  TestExchange() {
    exchange.method = "GET";
    exchange.host = "api.example.test";
    exchange.target = "/";
    view.method = "GET";
    view.host = "api.example.test";
    view.path = "/";
    view.raw_path = "/";
    Sync();
  }

  // Sets target, raw_path, path (decoded by the caller) and query.
  TestExchange& Target(std::string target, std::string decoded_path) {
    exchange.target = target;
    auto q = target.find('?');
    view.raw_path = target.substr(0, q);
    view.query = q == std::string::npos ? "" : target.substr(q + 1);
    view.path = std::move(decoded_path);
    return *this;
  }
  TestExchange& Method(std::string m) {
    exchange.method = m;
    view.method = std::move(m);
    return *this;
  }
  TestExchange& Header(std::string lower_name, std::string value) {
    exchange.request_headers.push_back({lower_name, value});
    view.request_headers.push_back({std::move(lower_name), std::move(value)});
    return *this;
  }
  TestExchange& Param(ParamLocation loc, std::string key, std::string value) {
    view.params.push_back({loc, std::move(key), std::move(value)});
    return *this;
  }
  TestExchange& Body(std::string body) {
    exchange.request_body = std::move(body);
    return *this;
  }
  TestExchange& Response(int status, std::string body) {
    exchange.status_code = status;
    exchange.response_body = std::move(body);
    return *this;
  }
  TestExchange& ResponseParam(std::string key, std::string value) {
    view.response_params.push_back({ParamLocation::kJson, std::move(key), std::move(value)});
    return *this;
  }
  // Call after copying or moving: the view points at this object's exchange.
  void Sync() { view.exchange = &exchange; }
};

}  // namespace warden::testing
