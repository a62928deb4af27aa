#!/bin/sh
# Builds the libFuzzer target Fuzz/DecoderFuzzer.swift with AddressSanitizer, outside SwiftPM:
# Telemetry and DeviceProfiles compiled as static libraries with coverage instrumentation, and
# the C sample loop DeviceProfiles calls (Sources/CPolarSamples) with the same instrumentation.
set -eu
cd "$(dirname "$0")/.."
out=.build-fuzz
mkdir -p "$out"
flags="-O -sanitize=fuzzer,address -parse-as-library -swift-version 6"
# The toolchain's own clang, so that its sanitizer runtime is the one swiftc links.
"$(dirname "$(command -v swiftc)")/clang" -O2 -fsanitize=fuzzer-no-link,address -I Sources/CPolarSamples/include \
    -c Sources/CPolarSamples/polar_samples.c -o "$out/polar_samples.o"
flags="$flags -I Sources/CPolarSamples/include"
swiftc $flags -emit-library -static -emit-module -module-name Telemetry \
    -emit-module-path "$out/Telemetry.swiftmodule" -o "$out/libTelemetry.a" Sources/Telemetry/*.swift
swiftc $flags -emit-library -static -emit-module -module-name DeviceProfiles -I "$out" \
    -emit-module-path "$out/DeviceProfiles.swiftmodule" -o "$out/libDeviceProfiles.a" \
    $(find Sources/DeviceProfiles -name '*.swift' | sort)
swiftc $flags -I "$out" -o "$out/decoder-fuzzer" Fuzz/DecoderFuzzer.swift "$out/libDeviceProfiles.a" "$out/libTelemetry.a" \
    "$out/polar_samples.o"
echo "$out/decoder-fuzzer"
