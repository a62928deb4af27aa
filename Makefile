# Caregate: `make demo` and `make test` work on a fresh Debian machine with Swift 6.
# Each installs the system packages it needs first.

APT_PACKAGES := mosquitto mosquitto-clients libmosquitto-dev libsqlite3-dev sqlite3 pkg-config openssl python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT_FLAGS ?=

.PHONY: deps build test fuzz demo bench clean

deps:
	@if dpkg-query -W -f='$${Status}\n' $(APT_PACKAGES) 2>/dev/null | grep -qv 'install ok installed' \
	   || [ "$$(dpkg-query -W -f='$${Status}\n' $(APT_PACKAGES) 2>/dev/null | wc -l)" -ne "$(words $(APT_PACKAGES))" ]; then \
	  echo "Installing $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

build: deps
	swift build $(SWIFT_FLAGS)

# Unit tests, golden samples, and integration tests against a real mosquitto and the real
# binary; then every decoder fuzzed for a bounded time.
test: deps
	swift build --build-tests $(SWIFT_FLAGS)
	swift test --skip-build $(SWIFT_FLAGS)
	$(MAKE) fuzz

# The decoders under libFuzzer with AddressSanitizer, seeded with devices/*/samples (Fuzz/README.md).
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/run.sh

# A local broker, the gateway and a simulated station; Ctrl-C stops everything.
demo: build
	swift run $(SWIFT_FLAGS) caregate demo

# Benchmarks, release build, figures for BENCHMARKS.md.
bench: deps
	swift build -c release --product CaregateBenchmarks
	.build/release/CaregateBenchmarks all

clean:
	rm -rf .build .build-fuzz
