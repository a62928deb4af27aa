import DeviceProfiles
import Telemetry
import Testing

/// Numbers read as the correctly rounded Double, through `uv_per_lsb` (any number > 0).
@Suite("Numbers")
struct NumberTests {
    static func uvPerLSB(_ text: String, padding: String = #","pad":"0123456789abcdef""#) -> Double? {
        let json = #"{"ts":1732262400123,"seq":1,"hz":250,"lead":"II","samples":[1],"uv_per_lsb":\#(text)\#(padding)}"#
        return Fixture.value(.ecg, json)?.ecg?.microvoltsPerLSB
    }

    @Test(
        "decimal text converts exactly as the standard library does",
        arguments: [
            "5", "0.1", "0.5", "65.0", "142.5", "7.50062", "18.016", "1e-9", "1E9", "2.5e+3", "123456.789",
            "0.30000000000000004", "3.14159265358979323846264338327950288", "2.2250738585072014e-308",
            "4.9e-324", "1.7976931348623157e308", "1e22", "1e23", "8.98846567431158e307", "9007199254740993",
            "123456789012345678901234567890", "0.000001234567890123456789", "1234567.0", "12345678", "123456789",
            "1234567890123456", "12345678901234567", "9007199254740992", "999999999999999", "1000000000000000",
            "0.1e1", "100e-2", "7e-1", "1.00000000000000011102230246251565404236316680908203125",
        ])
    func conversion(_ text: String) {
        let expected = Double(text)!
        #expect(Self.uvPerLSB(text) == expected)
        // And with the number right at the end of the payload (no room for wide reads).
        #expect(Self.uvPerLSB(text, padding: "") == expected)
    }

    @Test(
        "integers of every length are exact where ts and seq need them",
        arguments: [1, 9, 10, 99, 12_345_678, 123_456_789, 1_234_567_890_123, 999_999_999_999_999, 9_007_199_254_740_992]
            as [Int64])
    func integers(_ seq: Int64) throws {
        for json in [#"{"ts":1732262400123,"seq":\#(seq),"x":"0123456789abcdef"}"#, #"{"ts":1732262400123,"seq":\#(seq)}"#] {
            #expect(try Fixture.decode(.status, json).get().seq == seq)
        }
    }

    @Test("negative zero is zero", arguments: ["-0", "-0.0", "-0e5"])
    func negativeZero(_ text: String) {
        #expect(Fixture.kind(.status, Fixture.payload(#""battery":\#(text)"#)) == nil)
    }
}
