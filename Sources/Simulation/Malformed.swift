import Telemetry

/// The broken messages a scenario can send, each one a fault PROTOCOL.md §4 names.
enum Malformed {
    static func message(_ kind: Malformation, station: String, device: SimDevice, ts: Int64) -> (String, [UInt8]) {
        let stream = device.stream == .status ? "status" : device.stream.name
        let topic = "care/\(station)/\(device.id)/\(stream)"
        let good: String = switch device.stream {
        case .bp: #""systolic":128,"diastolic":82"#
        case .glucose: #""mg_dl":110"#
        case .sos: #""cause":"button""#
        case .status: #""battery":80"#
        case .ecg: #""hz":250,"lead":"II","uv_per_lsb":5,"samples":[1,2,3]"#
        }
        let text: String
        switch kind {
        case .notJSON: text = #"{"ts":\#(ts),"seq":"#
        case .missingField: text = #"{"seq":1,\#(good)}"#
        case .outOfRange:
            text = switch device.stream {
            case .bp: #"{"ts":\#(ts),"seq":1,"systolic":400,"diastolic":82}"#
            case .glucose: #"{"ts":\#(ts),"seq":1,"mg_dl":2000}"#
            case .sos: #"{"ts":\#(ts),"seq":1,"cause":"earthquake"}"#
            case .status: #"{"ts":\#(ts),"seq":1,"battery":150}"#
            case .ecg: #"{"ts":\#(ts),"seq":1,"hz":5000,"lead":"II","uv_per_lsb":5,"samples":[1]}"#
            }
        case .duplicateKey: text = #"{"ts":\#(ts),"ts":\#(ts),"seq":1,\#(good)}"#
        case .badTopic: return ("care/\(station)/\(device.id)/weather", Array(#"{"ts":\#(ts),"seq":1,"celsius":21}"#.utf8))
        case .tooDeep: text = #"{"ts":\#(ts),"seq":1,\#(good),"x":[[[[[[[[[1]]]]]]]]]}"#
        case .wrongType: text = #"{"ts":"yesterday","seq":1,\#(good)}"#
        }
        return (topic, Array(text.utf8))
    }
}
