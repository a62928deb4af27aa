/// Detected beats against reference annotations, beat by beat, the PhysioNet way (WFDB `bxb`,
/// ANSI/AAMI EC57): a detection within the match window of a reference beat is a true
/// positive, each reference beat and each detection matched at most once.
public struct BeatComparison: Sendable, Equatable {
    public var truePositives: Int
    public var falseNegatives: Int
    public var falsePositives: Int
    /// Mean and largest |detected − reference| of the matched beats, ms.
    public var meanErrorMillis: Double
    public var largestErrorMillis: Int64

    /// Sensitivity, TP / (TP + FN).
    public var sensitivity: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
    /// Positive predictivity, TP / (TP + FP).
    public var positivePredictivity: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }

    /// Compares times in ms (both sorted), counting only beats in `from..<to`.
    public init(detected: [Int64], reference: [Int64], windowMillis: Int64 = 150, from: Int64 = .min, to: Int64 = .max) {
        let d = detected.filter { $0 >= from && $0 < to }
        let r = reference.filter { $0 >= from && $0 < to }
        var i = 0
        var j = 0
        var tp = 0
        var errors: [Int64] = []
        // Both are in time order: walk them together, pairing each reference beat with the
        // nearest unmatched detection inside the window.
        while i < r.count && j < d.count {
            let delta = d[j] - r[i]
            if abs(delta) <= windowMillis {
                // A later detection may be nearer to this reference beat.
                if j + 1 < d.count, abs(d[j + 1] - r[i]) < abs(delta), i + 1 >= r.count || abs(d[j + 1] - r[i]) < abs(d[j + 1] - r[i + 1]) {
                    j += 1
                    continue
                }
                tp += 1
                errors.append(abs(delta))
                i += 1
                j += 1
            } else if delta < 0 {
                j += 1
            } else {
                i += 1
            }
        }
        truePositives = tp
        falseNegatives = r.count - tp
        falsePositives = d.count - tp
        meanErrorMillis = errors.isEmpty ? 0 : Double(errors.reduce(0, +)) / Double(errors.count)
        largestErrorMillis = errors.max() ?? 0
    }
}
