import Simulation
import Telemetry

/// The load's devices: each with its stream and seq, normal values, payloads written without
/// Foundation so that the sender is never the bottleneck.
struct LoadFleet {
    struct Message {
        var topic: String
        var payload: [UInt8]
        /// Probe: device number and seq, to match the alert event.
        var key: Int64
    }

    private var topics: [String] = []
    private var streams: [StreamKind] = []
    private var seqs: [Int64]
    private var probeTopics: [String] = []
    private var probeSeqs: [Int64]
    private var random: SplitMix64
    private var cursor = 0
    private let ecgSamples: Int
    /// How many probe devices take turns: each alternates crisis and normal.
    static let probeDevices = 100

    init(station: String, devices: Int, mix: [(StreamKind, Double)], seed: UInt64, ecgSamples: Int) {
        let total = mix.reduce(0) { $0 + $1.1 }
        var cumulative: [(StreamKind, Double)] = []
        var sum = 0.0
        for (s, w) in mix where w > 0 {
            sum += w / total
            cumulative.append((s, sum))
        }
        for d in 0..<devices {
            let position = (Double(d) + 0.5) / Double(devices)
            let stream = cumulative.first { position <= $0.1 }?.0 ?? cumulative.last!.0
            streams.append(stream)
            topics.append("care/\(station)/load-\(d)/\(stream.name)")
        }
        seqs = Array(repeating: 0, count: devices)
        for p in 0..<Self.probeDevices { probeTopics.append("care/\(station)/probe-\(p)/bp") }
        probeSeqs = Array(repeating: 0, count: Self.probeDevices)
        random = SplitMix64(seed: seed)
        self.ecgSamples = ecgSamples
    }

    /// The next device's next reading, devices in turn.
    mutating func next(ts: Int64) -> Message {
        let d = cursor
        cursor = (cursor + 1) % topics.count
        seqs[d] += 1
        var r = SimReading(device: "", stream: streams[d], ts: ts, seq: seqs[d])
        switch streams[d] {
        case .bp:
            r.values = [.systolic: 118 + Double(random.next() % 20), .diastolic: 72 + Double(random.next() % 12), .pulse: 64 + Double(random.next() % 16)]
        case .glucose: r.values[.glucose] = 95 + Double(random.next() % 40)
        case .status: r.values[.battery] = 60 + Double(random.next() % 40)
        case .sos: r.cause = "button"; r.cancel = true
        case .ecg:
            r.hz = 250
            r.uvPerLSB = 5
            let phase = Int(seqs[d] % 10) * ecgSamples
            r.samples = ArraySlice((0..<ecgSamples).map { k in Int16(((phase + k) % 250 < 8) ? 200 : ((phase + k) % 25) - 12) })
        }
        return Message(topic: topics[d], payload: WireFormat.canonical(r), key: 0)
    }

    /// Probe `number`: a probe device's reading, a crisis and a normal value in turn, so that
    /// each gives the gateway an alert event (raised, updated or resolved).
    mutating func probe(ts: Int64, number: Int) -> Message {
        let p = number % Self.probeDevices
        probeSeqs[p] += 1
        let crisis = probeSeqs[p] % 2 == 1
        var r = SimReading(device: "", stream: .bp, ts: ts, seq: probeSeqs[p])
        r.values = crisis ? [.systolic: 192, .diastolic: 104] : [.systolic: 122, .diastolic: 78]
        return Message(topic: probeTopics[p], payload: WireFormat.canonical(r), key: Int64(p) << 40 | probeSeqs[p])
    }
}
