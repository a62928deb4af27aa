/// An acknowledgement `{"id": "...", "by": "..."}` from `care/{station}/alerts/ack`
/// (PROTOCOL.md §3): a person took alert `id`. Both strings are 1–128 characters without
/// control characters; the payload follows the same strictness rules as readings.
public struct Acknowledgement: Sendable, Equatable {
    /// The alert's id.
    public var id: String
    /// Who took it.
    public var by: String

    public init(id: String, by: String) {
        self.id = id
        self.by = by
    }

    /// Decodes an acknowledgement payload; unknown members are ignored.
    public static func decode(payload: UnsafeRawBufferPointer) -> Result<Acknowledgement, Rejection> {
        guard payload.count <= CanonicalProfile.maxPayloadBytes else { return .failure(CanonicalProfile.tooLarge) }
        var c = CapturedObject()
        var noSamples: [Int16] = []
        if let fault = c.capture(payload, schema: Schema(), samples: &noSamples) { return .failure(fault) }
        do throws(Rejection) {
            let id = try c.requiredText(0, "id", lengths: 1...128)
            let by = try c.requiredText(1, "by", lengths: 1...128)
            return .success(Acknowledgement(id: id, by: by))
        } catch {
            return .failure(error)
        }
    }

    /// Decodes an acknowledgement held in an array (convenience for tests and tools).
    public static func decode(payload: [UInt8]) -> Result<Acknowledgement, Rejection> {
        payload.withUnsafeBytes { decode(payload: $0) }
    }

    private struct Schema: FieldSchema {
        var samplesSlot: Int? { nil }

        func slot(for name: PackedKey) -> Int? {
            if name.is("id") { return 0 }
            if name.is("by") { return 1 }
            return nil
        }
    }
}
