#include <cstdio>
#include <fstream>

#include "app/commands.h"
#include "app/sample_traffic.h"
#include "common/clock.h"
#include "normalize/normalize.h"

namespace warden {

int RunSample(const SampleOptions& options) {
  SampleTrafficOptions g;
  g.seed = options.seed;
  g.count = options.count;
  g.span_seconds = options.span_seconds;
  g.start_time_s = options.start_time > 0
                       ? options.start_time
                       : SystemClock::Instance().NowSeconds() - options.span_seconds;
  auto exchanges = GenerateSampleTraffic(g);
  std::FILE* out = stdout;
  if (options.out != "-") {
    out = std::fopen(options.out.c_str(), "wb");
    if (out == nullptr) {
      std::fprintf(stderr, "error: --out: cannot write %s\n", options.out.c_str());
      return 2;
    }
  }
  for (const auto& e : exchanges) {
    std::string line = SampleJson(e);
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), out);
  }
  if (out != stdout) std::fclose(out);
  return 0;
}

}  // namespace warden
