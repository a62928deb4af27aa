import Telemetry

/// ECG samples in a BLOB: compressed by `ECGCodec` (`codec` 1), or, in rows written before
/// migration 5, as 16-bit little-endian integers (`codec` 0).
enum ECGBlob {
    /// The samples of a stored blob, by its `codec`; a blob that does not decode gives none.
    static func decode(_ bytes: [UInt8], codec: Int64) -> ECGSamples {
        codec == ECGCodec.id ? ECGCodec.decode(bytes) ?? [] : raw(bytes)
    }

    /// Raw 16-bit little-endian samples.
    static func raw(_ bytes: [UInt8]) -> ECGSamples {
        ECGSamples(count: bytes.count / 2) { samples in
            for i in samples.indices {
                samples[i] = Int16(bitPattern: UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8)
            }
        }
    }
}
