import Telemetry

/// What a chunk's 73 samples cost to make and free: the `[Int16]` the chunk held before, beside
/// the `ECGSamples` it holds now (BENCHMARKS.md, issue 4).
enum SampleBufferBenchmark {
    static func run(count: Int = 73) {
        print("## sample buffers: make and free \(count) samples (ns each, median of 9 runs of 1,000,000)")
        measure("[Int16](repeating:count:)") { Int(array($0).last!) }
        measure("[Int16](unsafeUninitializedCapacity:)") { Int(uninitialisedArray($0).last!) }
        measure("ECGSamples(count:initializingWith:)") { Int(samples($0).last!) }
    }

    // Not inlined, so that the optimiser cannot see the buffer die and drop it.
    @inline(never) static func array(_ n: Int) -> [Int16] { [Int16](repeating: 1, count: n) }

    @inline(never) static func uninitialisedArray(_ n: Int) -> [Int16] {
        [Int16](unsafeUninitializedCapacity: n) { buffer, made in
            buffer.initialize(repeating: 1)
            made = n
        }
    }

    @inline(never) static func samples(_ n: Int) -> ECGSamples { ECGSamples(count: n) { $0.initialize(repeating: 1) } }

    private static func measure(_ name: String, _ make: (Int) -> Int) {
        var runs: [Double] = []
        var sink = 0
        for _ in 0..<9 {
            let start = nanos()
            for _ in 0..<1_000_000 { sink &+= make(73) }
            runs.append(Double(nanos() - start) / 1_000_000)
        }
        runs.sort()
        print("\(name): \(format(runs[4], 0)) ns  [min \(format(runs[0], 0)), max \(format(runs[8], 0))]  (\(sink % 2))")
    }
}
