import AlertEngine
import CMallocCounter
import Foundation
import Telemetry

/// The alert engine alone: ns and heap allocations per reading, flat across devices and rules;
/// the cost of `tick`; engine state per device.
enum EngineBenchmark {
    static let t0: Int64 = 1_732_262_400_000

    /// A station of `devices` cuffs sending readings round-robin, `perDevice` each run.
    struct Traffic {
        var addresses: [DeviceAddress]
        var seq: [Int64]
        /// Every `violating`-th reading is a crisis (0: none), the rest normal.
        var violating: Int

        init(devices: Int, violating: Int = 0, prefix: String = "bp") {
            // Made from bytes, as the decoder makes them from the topic (ids of up to 15 bytes
            // are then small strings, held inline without reference counting).
            addresses = (0..<devices).map {
                DeviceAddress(station: String(decoding: Array("st01".utf8), as: UTF8.self),
                              device: String(decoding: Array("\(prefix)-\($0)".utf8), as: UTF8.self))
            }
            seq = Array(repeating: 0, count: devices)
            self.violating = violating
        }

        mutating func reading(_ i: Int, glucose: Bool = false) -> Reading {
            let d = i % addresses.count
            seq[d] += 1
            let crisis = violating > 0 && i % violating == 0
            let value: ReadingValue = glucose
                ? .glucose(Glucose(mgdl: crisis ? 45 : 100 + Double(i % 30)))
                : .bloodPressure(BloodPressure(systolic: crisis ? 190 : 110 + Double(i % 40), diastolic: 75, pulse: 70))
            return Reading(source: addresses[d], ts: t0 + seq[d] * 300_000, seq: seq[d], value: value)
        }
    }

    /// Median ns per reading over 9 runs of `n`, and heap allocations per reading over them,
    /// after a first run that creates every device's state. Each run's readings are made before
    /// it is timed: the figures are the engine's.
    static func measure(_ engine: inout AlertEngine, _ traffic: inout Traffic, n: Int, glucose: Bool = false) -> (ns: Double, mallocs: Double, events: Int) {
        var events = 0
        var i = 0
        for _ in 0..<max(n, traffic.addresses.count) {
            events &+= engine.ingest(traffic.reading(i, glucose: glucose), now: t0).events.count
            i += 1
        }
        var runs: [Double] = []
        var mallocs: UInt64 = 0
        var batch: [Reading] = []
        batch.reserveCapacity(n)
        for _ in 0..<9 {
            batch.removeAll(keepingCapacity: true)
            for _ in 0..<n {
                batch.append(traffic.reading(i, glucose: glucose))
                i += 1
            }
            let mallocsBefore = caregate_malloc_count()
            let start = nanos()
            // Each reading is moved out of the batch and back, so that the engine gets one its
            // caller owns, as the pipeline passes the decoder's: borrowed from the buffer, the
            // reading would be copied (its strings retained, then released) around every call.
            batch.withUnsafeMutableBufferPointer { readings in
                let base = readings.baseAddress!
                for k in readings.indices {
                    let reading = (base + k).move()
                    events &+= engine.ingest(reading, now: t0).events.count
                    (base + k).initialize(to: consume reading)
                }
            }
            runs.append(Double(nanos() - start) / Double(n))
            mallocs += caregate_malloc_count() - mallocsBefore
        }
        runs.sort()
        return (runs[4], Double(mallocs) / Double(9 * n), events)
    }

    static func run() {
        let n = 200_000
        print("## engine: ingest (ns per reading, median of 9 runs of \(n); heap allocations per reading)")
        print("Each run's readings are made before it is timed.\n")
        print("| case | devices | rules on the stream | ns/reading | allocations/reading |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for devices in [1, 100, 1_000, 10_000] {
            var engine = AlertEngine()
            var traffic = Traffic(devices: devices)
            let r = measure(&engine, &traffic, n: n)
            print("| bp, normal readings, default rules | \(devices) | 4 | \(format(r.ns, 0)) | \(format(r.mallocs, 3)) |")
        }
        do {
            var engine = AlertEngine()
            var traffic = Traffic(devices: 10_000, prefix: "cgm")
            let r = measure(&engine, &traffic, n: n, glucose: true)
            print("| glucose (with the 15-min rate window), default rules | 10000 | 3 | \(format(r.ns, 0)) | \(format(r.mallocs, 3)) |")
        }
        do {
            var engine = AlertEngine()
            var traffic = Traffic(devices: 10_000, violating: 100)
            let r = measure(&engine, &traffic, n: n)
            print("| bp, 1 in 100 a crisis (raise, update, resolve) | 10000 | 4 | \(format(r.ns, 0)) | \(format(r.mallocs, 3)) |")
        }
        for rules in [1, 10, 100] {
            var engine = AlertEngine(rules: sweepBook(rules))
            var traffic = Traffic(devices: 10_000)
            let r = measure(&engine, &traffic, n: n)
            print("| bp, normal readings, \(rules) threshold families | 10000 | \(rules) | \(format(r.ns, 0)) | \(format(r.mallocs, 3)) |")
        }
        tick()
        state()
    }

    /// The default case alone for a few seconds, to run under `perf record`.
    static func profile() {
        var engine = AlertEngine()
        var traffic = Traffic(devices: 10_000)
        for _ in 0..<10 {
            let r = measure(&engine, &traffic, n: 200_000)
            print("bp, default rules, 10000 devices: \(format(r.ns, 0)) ns a reading")
        }
    }

    /// `count` one-rule bp families that normal readings never meet.
    static func sweepBook(_ count: Int) -> RuleBook {
        RuleBook(families: (0..<count).map { k in
            RuleFamily(name: "bp.sweep\(k)", stream: .bp, rules: [
                ThresholdRule(id: "bp.sweep\(k)", priority: .medium, conditions: [.init(.systolic, .atLeast, 200 + Double(k))]),
            ], hysteresisMargin: 5)
        })
    }

    /// `tick` with nothing due costs one look at the earliest timer, whatever the number of
    /// devices and open alerts; with timers due, it costs in proportion to them.
    static func tick() {
        print("\n## engine: tick (10,000 devices, 1,000 open alerts waiting to escalate)")
        var engine = AlertEngine(escalation: EscalationPolicy(tiers: 3))
        var traffic = Traffic(devices: 10_000, violating: 10)
        for i in 0..<10_000 { _ = engine.ingest(traffic.reading(i), now: t0) }
        let calls = 1_000_000
        var sink = 0
        let start = nanos()
        for k in 0..<calls { sink &+= engine.tick(now: t0 + Int64(k % 1000)).count }
        let idle = Double(nanos() - start) / Double(calls)
        // Two minutes on, the 1,000 escalations are due.
        let dueStart = nanos()
        let escalations = engine.tick(now: t0 + 120_000).count
        let due = Double(nanos() - dueStart) / Double(max(1, escalations))
        // Fifteen minutes on, 10,000 silent devices and 1,000 escalations.
        let silentStart = nanos()
        let silent = engine.tick(now: t0 + 900_000).count
        let perSilent = Double(nanos() - silentStart) / Double(max(1, silent))
        print("tick, nothing due: \(format(idle, 1)) ns a call (\(sink) events)")
        print("tick, \(escalations) escalations due: \(format(due, 0)) ns each")
        print("tick, \(silent) events due (silent devices and escalations): \(format(perSilent, 0)) ns each")
    }

    /// Heap per device once it has sent a blood pressure and a status message.
    static func state() {
        let devices = 10_000
        var engine = AlertEngine()
        var traffic = Traffic(devices: devices)
        let before = caregate_heap_in_use()
        for i in 0..<devices {
            let bp = traffic.reading(i)
            _ = engine.ingest(bp, now: t0)
            _ = engine.ingest(Reading(source: bp.source, ts: bp.ts, seq: 1, value: .status(DeviceStatus(battery: 90))), now: t0)
        }
        let bytes = Double(caregate_heap_in_use() - before) / Double(devices)
        print("\n## engine: state per device (\(devices) devices, each with a bp and a status stream): \(format(bytes, 0)) bytes (heap in use, glibc mallinfo2)")
        withExtendedLifetime(engine) {}
    }
}
