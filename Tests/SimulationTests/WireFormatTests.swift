import DeviceProfiles
import Testing
import Telemetry
@testable import Simulation

/// What the simulator puts on the wire, read back by the gateway's own decoders.
@Suite("Wire formats round-trip through the gateway's decoders")
struct WireFormatTests {
    static let profiles = ProfileSet(utcOffsetMinutes: 480)
    static let ts: Int64 = 1_764_000_123_000

    func decode(_ reading: SimReading, _ profile: SimProfile) throws -> Reading {
        let (topic, payload) = WireFormat.encode(reading, station: "st01", profile: profile, zoneOffsetMillis: 8 * 3_600_000)
        let readings = try Self.profiles.decode(topic: topic, payload: payload, arrival: Self.ts + 500).get().readings
        try #require(readings.count == 1, "\(topic)")
        return readings[0]
    }

    func bp(_ systolic: Double, _ diastolic: Double, _ pulse: Double?) -> SimReading {
        var r = SimReading(device: "cuff-1", stream: .bp, ts: Self.ts, seq: 42)
        r.values = [.systolic: systolic, .diastolic: diastolic]
        r.values[.pulse] = pulse
        return r
    }

    @Test("blood pressure in every profile that carries it", arguments: [SimProfile.canonical, .senml, .bleGatt])
    func bloodPressure(profile: SimProfile) throws {
        for (s, d, p) in [(192.0, 114.0, 88.0 as Double?), (86, 55, nil), (120, 80, 36)] {
            let reading = try decode(bp(s, d, p), profile)
            guard case .bloodPressure(let v) = reading.value else { Issue.record("not bp"); return }
            #expect(v.systolic == s && v.diastolic == d && v.pulse == p, "\(profile)")
            // GATT time stamps have whole seconds.
            #expect(reading.ts == (profile == .bleGatt ? Self.ts / 1000 * 1000 : Self.ts))
            if profile == .canonical { #expect(reading.seq == 42) }
        }
    }

    @Test("glucose in every profile that carries it", arguments: [SimProfile.canonical, .senml, .bleGatt])
    func glucose(profile: SimProfile) throws {
        for mgdl in [48.0, 65, 112, 330] {
            var r = SimReading(device: "cgm-1", stream: .glucose, ts: Self.ts, seq: 7)
            r.values[.glucose] = mgdl
            guard case .glucose(let v) = try decode(r, profile).value else { Issue.record("not glucose"); return }
            #expect(abs(v.mgdl - mgdl) < 1e-9, "\(profile) \(mgdl)")
        }
    }

    @Test("calls, cancels and heartbeats")
    func callsAndStatus() throws {
        for profile in [SimProfile.canonical, .senml] {
            var call = SimReading(device: "sos-1", stream: .sos, ts: Self.ts, seq: 3)
            call.cause = "fall"
            guard case .sos(let c) = try decode(call, profile).value else { Issue.record("not sos"); return }
            #expect(c.cause == .fall && !c.cancel)
            call.cancel = true
            guard case .sos(let cancel) = try decode(call, profile).value else { Issue.record("not sos"); return }
            #expect(cancel.cancel)
            var beat = SimReading(device: "sos-1", stream: .status, ts: Self.ts, seq: 9)
            beat.values[.battery] = 14
            guard case .status(let s) = try decode(beat, profile).value else { Issue.record("not status"); return }
            #expect(s.battery == 14)
        }
    }

    @Test("ECG chunks, canonical and Polar PMD, sample for sample")
    func ecg() throws {
        var r = SimReading(device: "ecg-1", stream: .ecg, ts: Self.ts, seq: 5)
        r.hz = 130
        r.uvPerLSB = 5
        r.samples = [0, 12, -40, 300, -2715 / 5, 283][...]
        for profile in [SimProfile.canonical, .polarPMD] {
            let reading = try decode(r, profile)
            guard case .ecg(let chunk) = reading.value else { Issue.record("not ecg"); return }
            #expect(chunk.hz == 130)
            #expect(chunk.samples.map { Double($0) * chunk.microvoltsPerLSB } == r.samples.map { Double($0) * 5 }, "\(profile)")
            #expect(abs(reading.ts - Self.ts) <= 1, "\(profile)")
        }
    }
}
