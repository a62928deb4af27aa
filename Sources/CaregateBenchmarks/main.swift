// Caregate's benchmarks: run on demand (`make bench`), never as timed tests.
// Figures and the commands that reproduce them go into BENCHMARKS.md.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let which = arguments.first ?? "all"
let options = BenchmarkOptions(arguments.dropFirst())

switch which {
case "decode": MicroBenchmarks.decode(only: options.string("only"))
case "samples": SampleBufferBenchmark.run()
case "engine": EngineBenchmark.run()
case "registry": RegistryBenchmark.run(devices: options.int("devices", 5_000))
case "engine-profile": EngineBenchmark.profile()
case "pipeline": try PipelineBenchmark.run(messages: options.int("messages", 200_000), devices: options.int("devices", 1_000))
case "ingest": try IngestBenchmark.run(messages: options.int("messages", 200_000), rounds: options.int("rounds", 5),
                                      leanLowWater: options.int("lean-low-water", 8_192))
case "ecg": try ECGBenchmark.run(rounds: options.int("rounds", 20))
case "sqlite": try SQLiteFloorBenchmark.run(rows: options.int("messages", 200_000), series: options.int("devices", 1_000))
case "latency": try LatencyBenchmark.run(rate: options.int("rate", 2_000), seconds: options.int("seconds", 10), alertEvery: options.int("alert-every", 1), tickMicros: options.int("tick-us", 0),
                                               publisher: LatencyBenchmark.Publisher(rawValue: options.string("publisher") ?? "lean") ?? .lean)
case "all":
    MicroBenchmarks.decode()
    SampleBufferBenchmark.run()
    try ECGBenchmark.run(rounds: 20)
    EngineBenchmark.run()
    RegistryBenchmark.run(devices: 5_000)
    try SQLiteFloorBenchmark.run(rows: options.int("messages", 200_000), series: options.int("devices", 1_000))
    try PipelineBenchmark.run(messages: options.int("messages", 200_000), devices: options.int("devices", 1_000))
    try IngestBenchmark.run(messages: options.int("messages", 200_000), rounds: options.int("rounds", 5))
    try LatencyBenchmark.run(rate: 2_000, seconds: 10)
    try LatencyBenchmark.run(rate: 20_000, seconds: 10, alertEvery: 10, tickMicros: 1_000)
default:
    FileHandle.standardError.write(Data("usage: CaregateBenchmarks [all|decode|samples|ecg|engine|registry|sqlite|pipeline|ingest|latency] [--messages N] [--rounds N] [--lean-low-water BYTES] [--rate R] [--seconds S] [--alert-every K] [--tick-us T] [--publisher lean|libmosquitto]\n".utf8))
    exit(2)
}
