import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// `care/{station}/{device}/{stream}` parsed and checked (PROTOCOL.md §1 Topics).
///
/// - station: `[a-z0-9-]{1,32}`
/// - device: `[A-Za-z0-9._-]{1,64}`; `alerts` is reserved: `care/{station}/alerts/ack`
///   is the acknowledgement topic, anything else under it is a bad topic
/// - stream: `bp`, `glucose`, `ecg`, `sos`, `status`; or the built-in profiles' topics
///   `senml`, `pmd` and `gatt/{characteristic}` (PROTOCOL.md §1, Other built-in profiles).
///   A name of the device charset that is none of these is an unknown stream; anything else
///   is a bad topic.
public enum CareTopic {
    /// What a topic addresses: a device's stream, a built-in profile's topic, or the alert
    /// acknowledgement topic `care/{station}/alerts/ack`.
    public enum Target: Sendable, Equatable {
        case reading(DeviceAddress, StreamKind)
        case acknowledgement(station: String)
        /// `care/{station}/{device}/senml`: a SenML pack.
        case senml(DeviceAddress)
        /// `care/{station}/{device}/gatt/{uuid}`: a Bluetooth characteristic's raw value; the
        /// 16-bit UUID as four hex digits (2A35, 2A18).
        case gatt(DeviceAddress, characteristic: UInt16)
        /// `care/{station}/{device}/pmd`: a Polar Measurement Data frame.
        case polarPMD(DeviceAddress)
    }

    /// The longest topic that can be valid: `care/` + 32 + `/` + 64 + `/gatt/` + 4, or + `/` + 64.
    static let maxLength = 5 + 32 + 1 + 64 + 1 + 64

    /// Parses and checks a topic; never guesses at one that does not match.
    public static func parse(_ topic: String) -> Result<Target, Rejection> {
        var topic = topic
        return topic.withUTF8 { parse(utf8: $0) }
    }

    static func parse(utf8 t: UnsafeBufferPointer<UInt8>) -> Result<Target, Rejection> {
        guard t.count <= maxLength else { return .failure(shape) }
        // The four levels, as [start, end) byte ranges.
        var bounds: (Int, Int, Int) = (0, 0, 0)
        var slashes = 0
        var fourth = 0
        for i in 0..<t.count where t[i] == UInt8(ascii: "/") {
            switch slashes {
            case 0: bounds.0 = i
            case 1: bounds.1 = i
            case 2: bounds.2 = i
            case 3: fourth = i
            default: return .failure(shape)
            }
            slashes += 1
        }
        guard slashes == 3 || slashes == 4 else { return .failure(shape) }
        let root = UnsafeBufferPointer(rebasing: t[0..<bounds.0])
        let station = UnsafeBufferPointer(rebasing: t[(bounds.0 + 1)..<bounds.1])
        let device = UnsafeBufferPointer(rebasing: t[(bounds.1 + 1)..<bounds.2])
        let stream = UnsafeBufferPointer(rebasing: t[(bounds.2 + 1)..<(slashes == 4 ? fourth : t.count)])

        guard root.is("care") else { return .failure(shape) }
        guard (1...32).contains(station.count), station.allSatisfy(isStationByte) else {
            return .failure(Rejection(.badTopic, "station must be 1–32 characters of a-z, 0-9 and -"))
        }
        guard (1...64).contains(device.count), device.allSatisfy(isDeviceByte) else {
            return .failure(Rejection(.badTopic, "device must be 1–64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"))
        }
        let stationName = String(decoding: station, as: UTF8.self)
        if device.is("alerts") {
            guard slashes == 3, stream.is("ack") else {
                let rule = "device id alerts is reserved; the only topic under it is care/{station}/alerts/ack"
                return .failure(Rejection(.badTopic, rule))
            }
            return .success(.acknowledgement(station: stationName))
        }
        guard (1...64).contains(stream.count), stream.allSatisfy(isDeviceByte) else {
            return .failure(Rejection(.badTopic, "stream must be 1–64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"))
        }
        let address = DeviceAddress(station: stationName, device: String(decoding: device, as: UTF8.self))
        if slashes == 4 {
            let uuid = UnsafeBufferPointer(rebasing: t[(fourth + 1)...])
            guard stream.is("gatt"), let characteristic = hex16(uuid) else {
                return .failure(Rejection(.badTopic, "a five-level topic must be care/{station}/{device}/gatt/{4 hex digits}"))
            }
            return .success(.gatt(address, characteristic: characteristic))
        }
        if let kind = streamKind(stream) { return .success(.reading(address, kind)) }
        if stream.is("senml") { return .success(.senml(address)) }
        if stream.is("pmd") { return .success(.polarPMD(address)) }
        return .failure(Rejection(.unknownStream, "stream must be one of bp, glucose, ecg, sos, status, senml, pmd, gatt/{uuid}"))
    }

    /// Four hex digits (either case) as a 16-bit UUID.
    private static func hex16(_ s: UnsafeBufferPointer<UInt8>) -> UInt16? {
        guard s.count == 4 else { return nil }
        var v: UInt16 = 0
        for b in s {
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            default: return nil
            }
            v = v << 4 | UInt16(digit)
        }
        return v
    }

    private static let shape = Rejection(.badTopic, "topic must be care/{station}/{device}/{stream}")

    private static func streamKind(_ s: UnsafeBufferPointer<UInt8>) -> StreamKind? {
        switch s.count {
        case 2: s.is("bp") ? .bp : nil
        case 3: s.is("ecg") ? .ecg : s.is("sos") ? .sos : nil
        case 6: s.is("status") ? .status : nil
        case 7: s.is("glucose") ? .glucose : nil
        default: nil
        }
    }

    /// Whether `id` is a valid station id, wherever it came from (a config, a vendor's topic).
    public static func isStationID(_ id: String) -> Bool {
        (1...32).contains(id.utf8.count) && id.utf8.allSatisfy(isStationByte)
    }

    /// Whether `id` is a valid device id (not the reserved `alerts`), wherever it came from.
    public static func isDeviceID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id != "alerts" && id.utf8.allSatisfy(isDeviceByte)
    }

    private static func isStationByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
            || b == UInt8(ascii: "-")
    }

    private static func isDeviceByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
            || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes are exactly `word`'s: a length check and one `memcmp`, where
    /// `elementsEqual` over a `String.UTF8View` walks an iterator a byte at a time.
    @inline(__always)
    func `is`(_ word: StaticString) -> Bool {
        count == word.utf8CodeUnitCount && (count == 0 || memcmp(baseAddress!, word.utf8Start, count) == 0)
    }
}
