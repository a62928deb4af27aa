import Foundation
import Telemetry

/// All the messages of a scenario, in the order and at the scenario times they are sent.
///
/// Deterministic: the same scenario, seed and start give byte-identical traffic. Each device
/// draws from a random stream of its own (the seed and its id), so adding a device to a
/// scenario changes no other device's values.
public enum ScenarioTraffic {
    /// The messages of `scenario` whose clock starts at `startMillis` (device time of offset 0).
    public static func generate(_ scenario: Scenario, seed: UInt64, startMillis: Int64) -> [TimedMessage] {
        var all: [(message: TimedMessage, device: Int, order: Int)] = []
        for (index, device) in scenario.devices.enumerated() {
            let events = scenario.events.filter { $0.device == device.id }
            var generator = DeviceTraffic(device: device, scenario: scenario, events: events, seed: seed, startMillis: startMillis)
            for (order, message) in generator.messages().enumerated() {
                all.append((message, index, order))
            }
        }
        all.sort { a, b in
            if a.message.offset != b.message.offset { return a.message.offset < b.message.offset }
            if a.device != b.device { return a.device < b.device }
            return a.order < b.order
        }
        return all.map(\.message)
    }
}

/// The traffic of one device.
struct DeviceTraffic {
    let device: SimDevice
    let scenario: Scenario
    let events: [ScriptedEvent]
    let startMillis: Int64
    var random: SplitMix64
    /// The device's own baselines, drawn once from the population's spread.
    var baselines: [Measure: Double] = [:]

    init(device: SimDevice, scenario: Scenario, events: [ScriptedEvent], seed: UInt64, startMillis: Int64) {
        self.device = device
        self.scenario = scenario
        self.events = events
        self.startMillis = startMillis
        random = SplitMix64(seed: seed ^ StableHash.of(device.id))
        for measure in device.model.keys.sorted() {
            let m = device.model[measure]!
            baselines[measure] = m.baseline + (m.spread > 0 ? m.spread * random.normal() : 0)
        }
    }

    /// What the device sends and when: measurements, heartbeats, calls, and the scripted faults.
    mutating func messages() -> [TimedMessage] {
        var planned: [(offset: Int64, stream: StreamKind, sos: ScriptedEvent.Action?)] = []
        for t in measurementTimes() { planned.append((t, device.stream, nil)) }
        if let heartbeat = device.heartbeat, device.stream != .status {
            let phase = Int64(random.next() % UInt64(heartbeat))
            for t in stride(from: phase, to: scenario.durationMillis, by: Int(heartbeat)) { planned.append((t, .status, nil)) }
        }
        for e in events {
            switch e.action {
            case .set(let values, _):
                // A measurement at the event's time, unless the schedule takes one then anyway.
                if values.keys.contains(where: { $0 != .battery }), !planned.contains(where: { $0.offset == e.at && $0.stream == device.stream }) {
                    planned.append((e.at, device.stream, nil))
                }
                if values[.battery] != nil, !planned.contains(where: { $0.offset == e.at && $0.stream == .status }) {
                    planned.append((e.at, .status, nil))
                }
            case .call, .cancel:
                planned.append((e.at, .sos, e.action))
            default:
                break
            }
        }
        planned = planned.filter { !isSilent($0.offset) }
        planned.sort { $0.offset < $1.offset }

        var out: [TimedMessage] = []
        var seq: [StreamKind: Int64] = [:]
        var reboots = events.filter { $0.action == .reboot }.map(\.at)
        var ecgSample = 0
        var measured = 0
        var lastCause = "button"
        let batteryScripted = events.contains { if case .set(let v, _) = $0.action { v[.battery] != nil } else { false } }
        for p in planned {
            if let reboot = reboots.first, p.offset >= reboot {
                seq.removeAll()
                reboots.removeFirst()
            }
            let next = (seq[p.stream] ?? 0) + 1
            seq[p.stream] = next
            var reading = SimReading(device: device.id, stream: p.stream, ts: startMillis + p.offset, seq: next)
            switch p.stream {
            case .bp, .glucose:
                for measure in Measure.allCases where measure.stream == p.stream && device.model[measure] != nil {
                    reading.values[measure] = value(measure, at: p.offset)
                }
                if !device.measures.isEmpty {
                    reading.resident = device.measures[measured % device.measures.count]
                    measured += 1
                }
            case .status:
                if device.model[.battery] != nil || batteryScripted {
                    reading.values[.battery] = value(.battery, at: p.offset)
                }
            case .sos:
                if case .call(let cause)? = p.sos { lastCause = cause }
                reading.cause = lastCause
                reading.cancel = p.sos == .cancel
            case .ecg:
                guard let recording = device.recording else { continue }
                reading.hz = recording.hz
                reading.uvPerLSB = recording.uvPerLSB
                reading.samples = Self.chunk(recording.samples, from: ecgSample, count: device.chunk)
                reading.ts = startMillis + Int64(ecgSample) * 1000 / Int64(recording.hz)
                flatten(&reading.samples, firstSample: ecgSample, recording)
                ecgSample += device.chunk
            }
            let profile = device.stream == .status ? SimProfile.canonical : device.profile
            let (topic, payload) = WireFormat.encode(reading, station: scenario.station, profile: profile, zoneOffsetMillis: scenario.zoneOffsetMillis)
            out.append(TimedMessage(offset: p.offset, topic: topic, payload: payload, device: device.id))
        }
        applyDeliveryFaults(&out)
        for e in events {
            switch e.action {
            case .malformed(let kind):
                let (topic, payload) = Malformed.message(kind, station: scenario.station, device: device, ts: startMillis + e.at)
                out.append(TimedMessage(offset: e.at, topic: topic, payload: payload, device: device.id))
            case .acknowledge(let rule, let by):
                out.append(TimedMessage(offset: e.at, topic: "care/\(scenario.station)/alerts/ack", payload: [], device: device.id,
                                        kind: .acknowledge(rule: rule, by: by)))
            default:
                break
            }
        }
        // Stable: faults keep their place among messages of the same time.
        return out.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }.map(\.element)
    }

    /// When the device measures: its schedule, or its ECG chunks, within the scenario.
    private func measurementTimes() -> [Int64] {
        let duration = scenario.durationMillis
        if let recording = device.recording {
            var times: [Int64] = []
            var sample = 0
            while true {
                let t = Int64(sample) * 1000 / Int64(recording.hz)
                if t >= duration { break }
                times.append(t)
                sample += device.chunk
            }
            return times
        }
        switch device.schedule {
        case .every(let every, let phase)?:
            return Array(stride(from: phase, to: duration, by: Int(every)))
        case .daily(let times)?:
            let day: Int64 = 86_400_000
            let local = startMillis + scenario.zoneOffsetMillis
            let midnight = local - ((local % day) + day) % day
            var out: [Int64] = []
            var d: Int64 = 0
            while midnight + d * day - local < duration {
                for t in times {
                    let offset = midnight + d * day + t - local
                    if offset >= 0, offset < duration { out.append(offset) }
                }
                d += 1
            }
            return out
        case nil:
            if device.stream == .status, let heartbeat = device.heartbeat {
                return Array(stride(from: 0, to: duration, by: Int(heartbeat)))
            }
            return []
        }
    }

    private func isSilent(_ t: Int64) -> Bool {
        events.contains { e in
            guard case .silent(let length) = e.action else { return false }
            return t >= e.at && (length.map { t < e.at + $0 } ?? true)
        }
    }

    /// The measure's value at scenario time `t`: a scripted value, or the model with its daily
    /// rhythm, drift, any ramp and noise, rounded as the device reports it.
    private mutating func value(_ measure: Measure, at t: Int64) -> Double {
        let noise = random.normal()
        for e in events.reversed() where e.at <= t {
            if case .set(let values, let length) = e.action, let v = values[measure], t < e.at + max(length, 1) {
                return v.rounded()
            }
        }
        let model = device.model[measure] ?? MeasureModel(baseline: measure == .battery ? 100 : 0)
        var v = baselines[measure] ?? model.baseline
        v += model.drift * Double(t) / 3_600_000
        if model.circadian > 0 {
            let local = Double(((startMillis + t + scenario.zoneOffsetMillis) % 86_400_000 + 86_400_000) % 86_400_000) / 3_600_000
            v += model.circadian * cos(2 * Double.pi * (local - model.peakHour) / 24)
        }
        for e in events where e.at <= t {
            guard case .ramp(let targets, let over, let hold) = e.action, let target = targets[measure] else { continue }
            let into = Double(t - e.at)
            let o = Double(over)
            let fraction: Double
            if into < o { fraction = into / o } else if into < o + Double(hold) { fraction = 1 } else { fraction = max(0, 1 - (into - o - Double(hold)) / o) }
            v += (target - v) * fraction
        }
        v += model.noise * noise
        let range: ClosedRange<Double> = switch measure {
        case .systolic, .diastolic: 30...290
        case .pulse: 25...290
        case .glucose: 20...990
        case .battery: 0...100
        }
        return min(range.upperBound, max(range.lowerBound, v)).rounded()
    }

    /// Holds the samples still where a `flat` event covers them, at the value the signal had
    /// when it went flat.
    private func flatten(_ samples: inout ArraySlice<Int16>, firstSample: Int, _ recording: ECGRecording) {
        for e in events {
            guard case .flat(let length) = e.action else { continue }
            let from = Int(e.at * Int64(recording.hz) / 1000)
            let to = Int((e.at + length) * Int64(recording.hz) / 1000)
            guard firstSample < to, firstSample + samples.count > from else { continue }
            let held = recording.samples[from % recording.samples.count]
            var copy = Array(samples)
            for i in copy.indices where (from..<to).contains(firstSample + i) { copy[i] = held }
            samples = copy[...]
        }
    }

    /// `count` samples from `from`, the recording looping at its end.
    static func chunk(_ samples: [Int16], from: Int, count: Int) -> ArraySlice<Int16> {
        let start = from % samples.count
        if start + count <= samples.count { return samples[start..<(start + count)] }
        var out = Array(samples[start...])
        while out.count < count { out += samples.prefix(count - out.count) }
        return out[...]
    }

    /// Duplicates and out-of-order delivery of the device's measurements (its heartbeats only
    /// when it sends nothing else).
    private func applyDeliveryFaults(_ out: inout [TimedMessage]) {
        let measured = { (m: TimedMessage) in device.stream == .status || !m.topic.hasSuffix("/status") }
        for e in events {
            switch e.action {
            case .duplicate:
                if let i = out.firstIndex(where: { $0.offset >= e.at && measured($0) }) { out.insert(out[i], at: i + 1) }
            case .outOfOrder:
                if let i = out.firstIndex(where: { $0.offset >= e.at && measured($0) }),
                   let j = out[(i + 1)...].firstIndex(where: measured) {
                    let (a, b) = (out[i].offset, out[j].offset)
                    out.swapAt(i, j)
                    out[i].offset = a
                    out[j].offset = b
                }
            default:
                break
            }
        }
    }
}
