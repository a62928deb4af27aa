#!/bin/sh
# Builds the libFuzzer target Fuzz/DecoderFuzzer.swift with AddressSanitizer, outside SwiftPM:
# Telemetry and DeviceProfiles compiled as static libraries with coverage instrumentation.
set -eu
cd "$(dirname "$0")/.."
out=.build-fuzz
mkdir -p "$out"
flags="-O -sanitize=fuzzer,address -parse-as-library -swift-version 6"
swiftc $flags -emit-library -static -emit-module -module-name Telemetry \
    -emit-module-path "$out/Telemetry.swiftmodule" -o "$out/libTelemetry.a" Sources/Telemetry/*.swift
swiftc $flags -emit-library -static -emit-module -module-name DeviceProfiles -I "$out" \
    -emit-module-path "$out/DeviceProfiles.swiftmodule" -o "$out/libDeviceProfiles.a" \
    $(find Sources/DeviceProfiles -name '*.swift' | sort)
swiftc $flags -I "$out" -o "$out/decoder-fuzzer" Fuzz/DecoderFuzzer.swift "$out/libDeviceProfiles.a" "$out/libTelemetry.a"
echo "$out/decoder-fuzzer"
