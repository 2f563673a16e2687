# Warden's entry points. `make run` and `make test` work on a fresh Debian 12 machine.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
JOBS ?= $(shell nproc)
CTEST_JOBS ?= $(JOBS)

.PHONY: all deps web configure build run test test-asan bench bench-modsec fuzz format tidy clean

all: build

deps:
	@scripts/install-deps

# The dashboard: built with npm when Node.js is present, then compiled into the binary.
web: deps
	@scripts/build-web

configure: deps web
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)
	@ln -sfn $(PRESET)/warden build/warden

# Builds, starts Warden on 127.0.0.1:8080 with a data dir under data/, feeds it sample traffic
# through the real ingest endpoint and prints where to look. Ctrl-C stops it.
run: build
	@scripts/run-sample

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(CTEST_JOBS) --timeout 600

# The same tests under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build build/asan -j $(JOBS)
	@cd build/asan && ctest --output-on-failure -j $(CTEST_JOBS) --timeout 900

bench: build
	@scripts/run-bench

# The same synthetic traffic through ModSecurity + CRS and Warden, side by side (needs the anchor).
bench-modsec: build
	@scripts/bench-modsec

# Runs every libFuzzer target for FUZZ_SECONDS each (clang preset).
FUZZ_SECONDS ?= 60
fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build build/fuzz -j $(JOBS)
	@scripts/run-fuzz build/fuzz $(FUZZ_SECONDS)

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

tidy: configure
	@git ls-files 'src/*.cc' | xargs clang-tidy -p $(BUILD_DIR) --quiet

clean:
	rm -rf build
