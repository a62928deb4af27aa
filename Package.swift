// swift-tools-version:6.1
import PackageDescription

// The direction of the arrows is the design (DESIGN.md, Parts): Telemetry,
// DeviceProfiles and AlertEngine are pure and import no I/O.
let package = Package(
    name: "Caregate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "caregate", targets: ["caregate"]),
        .executable(name: "caregate-sim", targets: ["caregate-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "Telemetry"),
        // The one call that names a thread for `top -H` and `perf`: the writer, network and ticker threads.
        .target(name: "ThreadName"),
        // The Polar ECG frame's sample loop, with SSSE3's byte shuffle where the CPU has it.
        .target(name: "CPolarSamples"),
        .target(name: "DeviceProfiles", dependencies: ["Telemetry", "CPolarSamples"]),
        .target(name: "AlertEngine", dependencies: ["Telemetry"]),
        .target(name: "ECGAnalysis", dependencies: ["Telemetry"]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Storage", dependencies: ["Telemetry", "CSQLite", "ThreadName"]),
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),
        // The system calls under libmosquitto on the broker's socket, batched: read(2), write(2),
        // close(2) and socketpair(2) interposed for the whole process, changed for that socket only.
        .target(name: "CBrokerSocket"),
        .target(name: "MQTT", dependencies: ["CMosquitto", "CBrokerSocket", "ThreadName"]),
        .target(name: "Gateway", dependencies: [
            "Telemetry", "DeviceProfiles", "AlertEngine", "ECGAnalysis", "Storage", "MQTT", "ThreadName",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // The exit-status contract of PROTOCOL.md §5, shared by the two executables.
        .target(name: "CommandContract", dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "caregate", dependencies: [
            "Gateway", "Storage", "CommandContract",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Scenarios, value models, wire formats, traces and expectations: no network.
        .target(name: "Simulation", dependencies: ["Telemetry", .product(name: "Yams", package: "Yams")]),
        .executableTarget(name: "caregate-sim", dependencies: [
            "Simulation", "MQTT", "Telemetry", "CommandContract",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "CaregateTesting", dependencies: ["Gateway", "MQTT"]),
        // Counts heap allocations in the benchmark binary only (glibc's allocator interposed).
        .target(name: "CMallocCounter"),
        .executableTarget(name: "CaregateBenchmarks", dependencies: [
            "Telemetry", "DeviceProfiles", "AlertEngine", "Storage", "MQTT", "Gateway", "CMallocCounter", "ECGAnalysis", "Simulation",
        ]),
        .testTarget(name: "DeviceProfilesTests", dependencies: ["DeviceProfiles", "Telemetry", "CPolarSamples"]),
        .testTarget(name: "AlertEngineTests", dependencies: ["AlertEngine", "Telemetry"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Telemetry", "CSQLite"]),
        .testTarget(name: "ECGAnalysisTests", dependencies: ["ECGAnalysis", "Simulation"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "DeviceProfiles", "Telemetry"]),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "CaregateTesting", "MQTT", "CBrokerSocket", "Storage", "Telemetry", "ECGAnalysis"]),
    ],
    swiftLanguageModes: [.v6]
)
