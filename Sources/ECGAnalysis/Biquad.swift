#if canImport(Glibc)
import Glibc
#endif

/// A second-order IIR section (direct form I), designed from the RBJ audio-EQ cookbook for a
/// sample rate: the filters are the same in milliseconds and hertz at any rate.
struct Biquad {
    private let b0, b1, b2, a1, a2: Double
    private var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0

    private init(b0: Double, b1: Double, b2: Double, a0: Double, a1: Double, a2: Double) {
        self.b0 = b0 / a0
        self.b1 = b1 / a0
        self.b2 = b2 / a0
        self.a1 = a1 / a0
        self.a2 = a2 / a0
    }

    /// Butterworth low-pass (Q = 1/√2) at `cutoff` Hz.
    static func lowPass(cutoff: Double, rate: Double) -> Biquad {
        let w = 2 * Double.pi * min(cutoff, rate * 0.45) / rate
        let c = cos(w)
        let a = sin(w) / (2 * (0.5).squareRoot())
        return Biquad(b0: (1 - c) / 2, b1: 1 - c, b2: (1 - c) / 2, a0: 1 + a, a1: -2 * c, a2: 1 - a)
    }

    /// Butterworth high-pass (Q = 1/√2) at `cutoff` Hz.
    static func highPass(cutoff: Double, rate: Double) -> Biquad {
        let w = 2 * Double.pi * cutoff / rate
        let c = cos(w)
        let a = sin(w) / (2 * (0.5).squareRoot())
        return Biquad(b0: (1 + c) / 2, b1: -(1 + c), b2: (1 + c) / 2, a0: 1 + a, a1: -2 * c, a2: 1 - a)
    }

    @inline(__always)
    mutating func step(_ x: Double) -> Double {
        let y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        x2 = x1
        x1 = x
        y2 = y1
        y1 = y
        return y
    }
}
