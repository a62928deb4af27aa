extension CapturedObject {
    /// Reads an array of integers in Int16 range into `samples` (the ECG hot loop: each
    /// element is scanned straight from the bytes, short integers eight bytes at a time).
    /// Anything else is noted in `samplesFault` and still scanned to its end. A non-array
    /// is returned as it is; `.array` means `samples` holds what was read.
    mutating func readSamples(_ scanner: inout JSONScanner, into samples: inout [Int16]) throws(Rejection)
        -> JSONValue
    {
        guard scanner.peek == UInt8(ascii: "[") else { return try Self.readValue(&scanner) }
        scanner.pos += 1
        scanner.outerDepth = 2
        defer { scanner.outerDepth = 1 }
        // Every element takes at least two bytes ("0,"): one allocation, never regrown.
        samples = []
        samplesFault = nil
        samples.reserveCapacity(min(Self.maxSamples, scanner.remaining / 2 + 1))
        scanner.skipWhitespace()
        if scanner.peek == UInt8(ascii: "]") {
            scanner.pos += 1
            return .array
        }
        while true {
            scanner.skipWhitespace()
            if let v = scanner.scanSmallInteger() {
                take(Int64(v), into: &samples)
            } else if let b = scanner.peek, b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39) {  // '-' or a digit
                let n = try scanner.scanNumber()
                switch n.form {
                case .integer: take(Int64(n.value), into: &samples)  // exact: within ±2^53
                case .bigInteger: note(.outOfRange)
                case .decimal: note(.notInteger)
                }
            } else {
                try scanner.skipValue()
                note(.notInteger)
            }
            scanner.skipWhitespace()
            guard let c = scanner.peek else { throw JSONScanner.truncated }
            scanner.pos += 1
            if c == UInt8(ascii: "]") { return .array }
            guard c == UInt8(ascii: ",") else {
                throw Rejection(.notJSON, "expected ',' or ']' after an array element")
            }
        }
    }

    @inline(__always)
    private mutating func take(_ v: Int64, into samples: inout [Int16]) {
        if v < Int64(Int16.min) || v > Int64(Int16.max) {
            note(.outOfRange)
        } else if samples.count < Self.maxSamples {
            samples.append(Int16(truncatingIfNeeded: v))
        } else {
            note(.tooMany)
        }
    }

    /// Keeps the first fault among the samples.
    @inline(__always)
    private mutating func note(_ fault: SamplesFault) {
        if samplesFault == nil { samplesFault = fault }
    }
}
