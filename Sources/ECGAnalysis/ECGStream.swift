import Telemetry

/// Everything the analysis of one ECG stream learns from a chunk.
public struct ECGFindings: Sendable, Equatable {
    /// Detected beats, in time order.
    public var beats: [Beat] = []
    /// A pause that began (at the last beat, or where the usable signal began) and was found now.
    public var pauseStarted: Int64?
    /// The beat that ended a pause.
    public var pauseEnded: Int64?
    /// The signal quality of each second whose quality differs from the one before.
    public var quality: [QualityChange] = []
    /// The rhythm became irregularly irregular (true) or regular again (false), at this time.
    public var irregular: (Bool, Int64)?
    /// Why the analysis started again before this chunk (a gap, a new rate), if it did.
    public var restarted: String?

    public static func == (a: ECGFindings, b: ECGFindings) -> Bool {
        a.beats == b.beats && a.pauseStarted == b.pauseStarted && a.pauseEnded == b.pauseEnded
            && a.quality == b.quality && a.irregular?.0 == b.irregular?.0 && a.irregular?.1 == b.irregular?.1 && a.restarted == b.restarted
    }
}

/// A detected beat: its time, the interval from the beat before (in the same run of signal),
/// and the heart rate there (from the median of the last five intervals).
public struct Beat: Sendable, Equatable {
    /// ms since the epoch.
    public var ts: Int64
    public var rrMillis: Int64?
    /// Beats a minute.
    public var heartRate: Double?
}

/// Whether a second of ECG can be read.
public enum SignalQuality: String, Sendable, Equatable {
    case good
    /// Almost no deflection: a lost electrode or asystole; counts toward a pause.
    case flat
    /// Samples at the amplifier's rails.
    case saturated
    /// More QRS-like energy than beats could make: muscle, movement or mains.
    case noisy
}

public struct QualityChange: Sendable, Equatable {
    public var ts: Int64
    public var quality: SignalQuality
}

/// A chunk the analysis cannot take, and why.
public struct ECGStreamError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

/// The analysis of one device's ECG stream: chunks in arrival order, beats, heart rate,
/// pauses, rhythm and signal quality out. A gap in the data (a missing seq, a jump in time) or
/// a new sample rate starts the analysis again, and never counts as a pause; a chunk that
/// overlaps the one before is refused.
public struct ECGStream: Sendable {
    /// A pause: no beat for this long on a signal that is there (flat counts).
    public static let pauseMillis: Int64 = 3000

    private var hz = 0
    private var detector = QRSDetector(hz: 250)
    private var rhythm = RhythmWindow()
    /// Device time of sample 0 of the current run, ms.
    private var origin: Int64 = 0
    private var lastSeq: Int64 = 0
    private var lastBeatSample: Int64?
    /// Where the pause clock starts when no beat has come yet: the end of the warm-up.
    private var clockStart: Int64 = 0
    private var inPause = false
    private var irregular = false
    private var quality = SignalQuality.good
    /// Since when (ms) the rhythm has been irregularly irregular, if it is now.
    public private(set) var irregularSince: Int64?
    /// Since when (ms) the signal has been unusable (saturated or noisy), if it is now.
    public private(set) var unusableSince: Int64?
    private var window = QualityWindow()
    private var started = false

    public init() {}

    /// Analyses the chunk whose first sample was taken at `ts` (ms).
    public mutating func ingest(samples: ECGSamples, hz: Int, microvoltsPerLSB: Double, ts: Int64, seq: Int64) throws(ECGStreamError) -> ECGFindings {
        var findings = ECGFindings()
        if let reason = try continuity(hz: hz, ts: ts, seq: seq) {
            restart(hz: hz, ts: ts)
            if started { findings.restarted = reason }
            started = true
        }
        lastSeq = seq
        var found: [Int64] = []
        // A second at a time, so that each second's quality sees its own samples and beats.
        var start = 0
        while start < samples.count {
            let end = min(samples.count, start + window.room(hz: hz))
            let first = detector.samples
            samples.withUnsafeBufferPointer { all in
                let slice = UnsafeBufferPointer(rebasing: all[start..<end])
                window.add(slice, microvoltsPerLSB: microvoltsPerLSB, detector: detector)
                detector.process(slice, scale: microvoltsPerLSB, into: &found)
            }
            if let q = window.close(detector: detector, hz: hz), q != quality {
                quality = q
                findings.quality.append(QualityChange(ts: time(of: first), quality: q))
                let unusable = q == .saturated || q == .noisy
                if !unusable { unusableSince = nil } else if unusableSince == nil { unusableSince = time(of: first) }
            }
            start = end
        }
        for sample in found {
            let t = time(of: sample)
            var beat = Beat(ts: t)
            if let last = lastBeatSample {
                beat.rrMillis = t - time(of: last)
                rhythm.add(intervalMillis: Double(sample - last) * 1000 / Double(hz))
                beat.heartRate = rhythm.heartRate
            }
            findings.beats.append(beat)
            if inPause {
                inPause = false
                findings.pauseEnded = t
            }
            lastBeatSample = sample
        }
        // What the detector can no longer report lies before `settled`.
        let settled = detector.samples - detector.reportingLag
        let since = lastBeatSample ?? clockStart
        if !inPause, settled - since >= Self.pauseMillis * Int64(hz) / 1000 {
            inPause = true
            findings.pauseStarted = time(of: since)
        }
        if rhythm.isIrregular != irregular, let last = findings.beats.last {
            irregular.toggle()
            findings.irregular = (irregular, last.ts)
            irregularSince = irregular ? last.ts : nil
        }
        return findings
    }

    private func time(of sample: Int64) -> Int64 { origin + sample * 1000 / Int64(hz) }

    /// Nil when the chunk follows on; the reason to restart when it does not.
    private func continuity(hz newHz: Int, ts: Int64, seq: Int64) throws(ECGStreamError) -> String? {
        guard started else { return "the first chunk" }
        if newHz != hz { return "the rate changed from \(hz) to \(newHz) Hz" }
        let expected = time(of: detector.samples)
        let tolerance = 1000 / Int64(hz) + 1
        if ts < expected - tolerance {
            if seq > lastSeq || seq == 1 {
                throw ECGStreamError(description: "the chunk at \(ts) overlaps the one before, which ran to \(expected)")
            }
            throw ECGStreamError(description: "the chunk at \(ts) (seq \(seq)) comes after seq \(lastSeq), which ran to \(expected): out of order")
        }
        if seq != lastSeq + 1 { return "seq \(lastSeq) was followed by \(seq)" }
        if ts > expected + tolerance { return "a gap of \(ts - expected) ms" }
        return nil
    }

    private mutating func restart(hz newHz: Int, ts: Int64) {
        hz = newHz
        detector = QRSDetector(hz: newHz)
        rhythm.clear()
        origin = ts
        lastBeatSample = nil
        clockStart = Int64(newHz)
        // A pause open before a gap stays open: the first beat after it ends the pause.
        irregular = false
        irregularSince = nil
        unusableSince = nil
        quality = .good
        window = QualityWindow()
    }
}

/// One second of samples at a time: how much they move, how many sit on the rails, and how
/// long the detector spent in QRS-like energy for the beats it found.
struct QualityWindow: Sendable {
    private var count = 0
    private var low = Int32.max
    private var high = Int32.min
    private var railed = 0
    private var scale = 1.0
    private var blocksAtStart: Int64 = 0
    private var qrsAtStart: Int64 = 0
    private var overlongAtStart: Int64 = 0

    /// Samples until this second is full.
    func room(hz: Int) -> Int { hz - count }

    /// Samples of this second, before the detector takes them.
    mutating func add(_ samples: UnsafeBufferPointer<Int16>, microvoltsPerLSB: Double, detector: QRSDetector) {
        if count == 0 {
            blocksAtStart = detector.blockSamples
            qrsAtStart = detector.qrsBlockSamples
            overlongAtStart = detector.overlongBlocks
            scale = microvoltsPerLSB
        }
        for s in samples {
            low = min(low, Int32(s))
            high = max(high, Int32(s))
            if s == .max || s == .min || abs(Double(s) * microvoltsPerLSB) >= 10_000 { railed += 1 }
        }
        count += samples.count
    }

    /// After the detector has taken them: the second's quality, once full.
    /// QRS-like energy outside anything as wide as a QRS, or a block longer than a beat, is noise.
    mutating func close(detector: QRSDetector, hz: Int) -> SignalQuality? {
        guard count >= hz else { return nil }
        defer { self = QualityWindow() }
        if railed * 20 > count { return .saturated }
        if Double(high - low) * scale < 20 { return .flat }
        let stray = (detector.blockSamples - blocksAtStart) - (detector.qrsBlockSamples - qrsAtStart)
        if detector.overlongBlocks > overlongAtStart || Double(stray) * 1000 / Double(hz) > 100 { return .noisy }
        return .good
    }
}
