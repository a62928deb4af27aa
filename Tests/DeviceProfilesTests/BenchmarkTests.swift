import DeviceProfiles
import Telemetry
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A micro-benchmark, off unless `CAREGATE_BENCH=1`; it prints and asserts nothing about time.
/// Run it on a release build:
///
///     CAREGATE_BENCH=1 swift test -c release --filter DecodeBenchmark
@Suite("DecodeBenchmark", .serialized, .enabled(if: getenv("CAREGATE_BENCH") != nil))
struct DecodeBenchmark {
    @Test(
        "ns per decoded message",
        arguments: [
            ("bp", StreamKind.bp, #"{"ts":1732262400123,"seq":17,"systolic":142,"diastolic":91,"pulse":78}"#),
            ("bp+resident", .bp,
             #"{"ts":1732262400123,"seq":17,"systolic":142.5,"diastolic":91,"pulse":78,"resident":"r-0042","fw":"1.2.3"}"#),
            ("glucose", .glucose, #"{"ts":1732262400123,"seq":288,"mg_dl":65.0,"context":"random"}"#),
            ("glucose mmol/L", .glucose, #"{"ts":1732262400123,"seq":288,"mmol_l":5.4,"context":"fasting","fw":"2.0"}"#),
            ("ecg 250", .ecg, #"{"ts":1732262400000,"seq":901,"hz":250,"lead":"II","uv_per_lsb":5,"samples":["#
                + (0..<250).map { String(($0 * 37) % 2000 - 1000) }.joined(separator: ",") + "]}"),
        ])
    func measure(_ name: String, _ stream: StreamKind, _ json: String) {
        let bytes = Array(json.utf8)
        let iterations = stream == .ecg ? 20_000 : 500_000
        var best = Duration.seconds(1_000)
        var decoded = 0
        bytes.withUnsafeBytes { payload in
            for _ in 0..<7 {
                let clock = ContinuousClock()
                let start = clock.now
                for _ in 0..<iterations {
                    if case .success = CanonicalProfile.decode(source: Fixture.source, stream: stream, payload: payload) {
                        decoded += 1
                    }
                }
                best = min(best, clock.now - start)
            }
        }
        #expect(decoded == 7 * iterations)
        let ns = (Double(best.components.seconds) * 1e18 + Double(best.components.attoseconds)) / 1e9 / Double(iterations)
        print("DecodeBenchmark \(name) (\(bytes.count) bytes): \((ns * 10).rounded() / 10) ns/message")
    }
}
