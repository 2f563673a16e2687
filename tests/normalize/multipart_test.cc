#include "normalize/multipart.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/exchange.h"
#include "normalize/normalize.h"

namespace warden {
namespace {

std::vector<std::string> Parse(std::string_view body, std::string_view boundary,
                               std::size_t max_params = 100) {
  std::vector<Param> params;
  ParseMultipart(body, boundary, &params, max_params);
  std::vector<std::string> out;
  for (const auto& p : params) {
    EXPECT_EQ(p.location, ParamLocation::kMultipart);
    out.push_back(p.key + "=" + p.value);
  }
  return out;
}

TEST(MultipartTest, FieldsAndFiles) {
  struct Case {
    const char* name;
    std::string body;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"fields_and_file",
       "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhello world\r\n"
       "--XyZ\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"shell.php\"\r\n"
       "Content-Type: application/octet-stream\r\n\r\n<?php echo 1; ?>\r\n--XyZ--\r\n",
       {"title=hello world", "upload=<?php echo 1; ?>", "upload.filename=shell.php"}},
      {"lf_only_and_preamble",
       "preamble\n--XyZ\ncontent-disposition: form-data; name=a\n\nline1\nline2\n--XyZ--\n",
       {"a=line1\nline2"}},
      {"quoted_escapes_and_semicolons",
       "--XyZ\r\nContent-Disposition: form-data; name=\"a;\\\"b\"\r\n\r\nv\r\n--XyZ--",
       {"a;\"b=v"}},
      {"filename_star",
       "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''na%C3%AFve.txt"
       "\r\n\r\nx\r\n--XyZ--",
       {"f=x", "f.filename=na\xC3\xAFve.txt"}},
      {"truncated_last_part",
       "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncut short",
       {"a=cut short"}},
      {"part_without_disposition_skipped",
       "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ\r\n"
       "Content-Disposition: form-data; name=\"b\"\r\n\r\ny\r\n--XyZ--",
       {"b=y"}},
      {"boundary_lookalike_inside_content",
       "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--XyZnot\r\n--XyZ--",
       {"a=--XyZnot"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Parse(c.body, "XyZ"), c.want) << c.name;
  }
}

TEST(MultipartTest, BoundariesAndBounds) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=XyZ"), "XyZ");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; charset=utf-8; BOUNDARY=\"a b\""), "a b");
  EXPECT_EQ(MultipartBoundary("multipart/form-data"), "");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + std::string(201, 'a')), "");
  std::vector<Param> params;
  EXPECT_FALSE(ParseMultipart("no delimiter here", "XyZ", &params, 10));
  EXPECT_FALSE(ParseMultipart("--XyZ\r\n", "", &params, 10));
  std::string many;
  for (int i = 0; i < 10; ++i) {
    many += "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\nv\r\n";
  }
  EXPECT_EQ(Parse(many + "--B--", "B", 5).size(), 5u);
}

TEST(MultipartTest, BuildViewFillsMultipartParams) {
  Exchange ex;
  ex.method = "POST";
  ex.target = "/upload";
  ex.request_headers = {{"Content-Type", "multipart/form-data; boundary=----abc"}};
  ex.request_body =
      "------abc\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.exe\"\r\n\r\n"
      "MZ\r\n------abc--\r\n";
  View v = BuildView(ex, NormalizeOptions{});
  std::vector<std::string> got;
  for (const auto& p : v.params) {
    if (p.location == ParamLocation::kMultipart) got.push_back(p.key + "=" + p.value);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"doc=MZ", "doc.filename=a.exe"}));
}

}  // namespace
}  // namespace warden
