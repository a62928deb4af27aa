import ArgumentParser
import CommandContract
import Dispatch
import Foundation
import MQTT
import Simulation
import Synchronization

/// `caregate-sim record`: live traffic into a replayable trace.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Subscribe to a live broker and write its station traffic as a replayable trace (JSON Lines, with timing); Ctrl-C stops.")

    @Option(help: "The station to record, a comma-separated list, or + for all.")
    var station = "+"

    @Option(help: "The trace file to write.")
    var out: String

    @Option(help: "Stop after this long (default: at Ctrl-C or SIGTERM).")
    var duration: String?

    @Flag(help: "Record the alerts topics too (not replayed by default: they are the gateway's).")
    var alerts = false

    @OptionGroup var broker: BrokerOptions

    func run() throws {
        let stop = duration.map { SimDuration.parse($0) }
        if let stop, stop == nil { throw UsageError("caregate-sim: --duration: expected a duration like 10m") }
        guard FileManager.default.createFile(atPath: out, contents: nil), let handle = FileHandle(forWritingAtPath: out) else {
            throw Failure("caregate-sim: cannot write \(out)")
        }
        let stations = station.split(separator: ",").map(String.init)
        let recorder = TraceRecorder(handle: handle, alerts: alerts)
        let subscribed = Atomic<Bool>(false)
        let client = try MQTTClient(options: broker.client("-record"), onMessage: { m in recorder.take(m) }, onConnection: { event in
            if case .subscribed = event { subscribed.store(true, ordering: .relaxed) }
        })
        try client.subscribe(stations.map { "care/\($0)/#" }, qos: 1)
        try client.start()
        // Recording starts when the broker has granted the subscription, and says so.
        let deadline = Monotonic.nanos() + 10_000_000_000
        while !subscribed.load(ordering: .relaxed) && Monotonic.nanos() < deadline { usleep(2000) }
        guard subscribed.load(ordering: .relaxed) else {
            client.stop()
            throw Failure("caregate-sim: cannot subscribe to care/\(station)/# at \(broker.url)")
        }

        let done = DispatchSemaphore(value: 0)
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { sig in
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { done.signal() }
            s.resume()
            return s
        }
        print("record: care/\(station)/# from \(broker.url) into \(out)" + (duration.map { " for \($0)" } ?? "; Ctrl-C stops"))
        fflush(nil)
        if let millis = stop ?? nil {
            _ = done.wait(timeout: .now() + .milliseconds(Int(millis)))
        } else {
            done.wait()
        }
        sources.forEach { $0.cancel() }
        client.stop()
        let count = recorder.finish()
        print("  \(count) messages recorded in \(out)")
    }
}

/// Writes each message as a trace line, `t` from the first message.
final class TraceRecorder: Sendable {
    private struct State {
        var handle: FileHandle
        var first: UInt64?
        var count = 0
        var headerWritten = false
    }

    private let state: Mutex<State>
    private let alerts: Bool

    init(handle: FileHandle, alerts: Bool) {
        state = Mutex(State(handle: handle))
        self.alerts = alerts
    }

    func take(_ m: InboundMessage) {
        let topic = m.topicString
        if !alerts, topic.split(separator: "/").dropFirst(2).first == "alerts" { return }
        let now = Monotonic.nanos()
        state.withLock { s in
            if !s.headerWritten {
                s.handle.write(Data((Trace.header(recordedAt: wallMillis()) + "\n").utf8))
                s.headerWritten = true
                s.first = now
            }
            let line = Trace.line(offset: Int64((now - s.first!) / 1_000_000), topic: topic, qos: m.qos, payload: m.payload)
            s.handle.write(Data((line + "\n").utf8))
            s.count += 1
        }
    }

    func finish() -> Int {
        state.withLock { s in
            try? s.handle.close()
            return s.count
        }
    }
}
