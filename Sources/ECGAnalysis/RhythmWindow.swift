#if canImport(Glibc)
import Glibc
#endif

/// The latest RR intervals of a stream and what they say about its rhythm: the heart rate,
/// and whether it is irregularly irregular (possible atrial fibrillation).
///
/// Irregularity after Dash et al. (2009), on the last `capacity` intervals: the RMSSD over the
/// mean interval (normalised RMSSD) and the Shannon entropy of the intervals' histogram must
/// both be high, and the turning-point ratio near that of random data. A sinus rhythm with a
/// few ectopic beats has a low entropy; a regular rhythm a low RMSSD.
public struct RhythmWindow: Sendable {
    public let capacity: Int
    private var intervals: [Double] = []
    private var next = 0

    public init(capacity: Int = 64) {
        self.capacity = capacity
        intervals.reserveCapacity(capacity)
    }

    public var count: Int { intervals.count }

    public mutating func add(intervalMillis rr: Double) {
        if intervals.count < capacity {
            intervals.append(rr)
        } else {
            intervals[next] = rr
            next = (next + 1) % capacity
        }
    }

    public mutating func clear() {
        intervals.removeAll(keepingCapacity: true)
        next = 0
    }

    /// The intervals oldest first.
    var ordered: [Double] { Array(intervals[next...] + intervals[..<next]) }

    /// Beats a minute from the median of the last five intervals: one ectopic beat does not move it.
    public var heartRate: Double? {
        guard !intervals.isEmpty else { return nil }
        let recent = ordered.suffix(5).sorted()
        return 60_000 / recent[recent.count / 2]
    }

    /// RMSSD / mean RR, without the 8 shortest and 8 longest intervals (ectopic beats and
    /// their compensatory pauses), as Dash does.
    public var normalisedRMSSD: Double {
        let rr = ordered
        guard rr.count >= 24 else { return 0 }
        let sorted = rr.sorted()
        let (low, high) = (sorted[8], sorted[rr.count - 9])
        let kept = rr.filter { $0 >= low && $0 <= high }
        guard kept.count > 2 else { return 0 }
        var sum = 0.0
        for i in 1..<kept.count { sum += (kept[i] - kept[i - 1]) * (kept[i] - kept[i - 1]) }
        let mean = kept.reduce(0, +) / Double(kept.count)
        return (sum / Double(kept.count - 1)).squareRoot() / mean
    }

    /// Shannon entropy of the intervals in 16 equal bins between their 8th smallest and 8th
    /// largest (outliers trimmed as Dash does), divided by log 16.
    public var entropy: Double {
        let rr = ordered.sorted()
        guard rr.count >= 24 else { return 0 }
        let trimmed = Array(rr[8..<(rr.count - 8)])
        let low = trimmed.first!, high = trimmed.last!
        guard high > low else { return 0 }
        var bins = [Int](repeating: 0, count: 16)
        for v in trimmed { bins[min(15, Int((v - low) / (high - low) * 16))] += 1 }
        var h = 0.0
        for b in bins where b > 0 {
            let p = Double(b) / Double(trimmed.count)
            h -= p * log(p)
        }
        return h / log(16)
    }

    /// Turning points (an interval above or below both neighbours) over the intervals less two.
    public var turningPointRatio: Double {
        let rr = ordered
        guard rr.count > 2 else { return 0 }
        var turns = 0
        for i in 1..<(rr.count - 1) where (rr[i] > rr[i - 1] && rr[i] > rr[i + 1]) || (rr[i] < rr[i - 1] && rr[i] < rr[i + 1]) {
            turns += 1
        }
        return Double(turns) / Double(rr.count - 2)
    }

    /// Irregularly irregular over a full window.
    public var isIrregular: Bool {
        guard intervals.count == capacity else { return false }
        // Random data turns at 2/3 of its points; Dash accepts within about ±0.16 of that for 64.
        let tpr = turningPointRatio
        return normalisedRMSSD > 0.1 && entropy > 0.7 && tpr > 0.5 && tpr < 0.83
    }
}
