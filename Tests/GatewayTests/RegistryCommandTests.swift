import CaregateTesting
import Foundation
import Storage
import Telemetry
import Testing

/// `caregate residents` and `caregate devices` as a station operator runs them: the shipped
/// example files import, a bad file changes nothing and names its line, and assignments keep
/// their history.
@Suite struct RegistryCommandTests {
    static let systemd = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("systemd")

    func caregate(_ arguments: [String], db: String) throws -> CaregateBinary.Result {
        try CaregateBinary.run(arguments + ["--db", db])
    }

    @Test func theExampleFilesImportAndAgainChangeNothing() throws {
        let folder = TemporaryDirectory()
        let db = folder.file("caregate.db")
        let yaml = Self.systemd.appendingPathComponent("registry.example.yaml").path
        let dry = try caregate(["residents", "import", yaml, "--dry-run"], db: db)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("would import: residents 2 added, 0 updated; devices 4 added, 0 updated; 3 new assignments"))
        #expect(try StoreReader(path: db).registry().isEmpty, "a dry run keeps nothing")

        let first = try caregate(["residents", "import", yaml], db: db)
        #expect(first.stdout.contains("imported: residents 2 added, 0 updated; devices 4 added, 0 updated; 3 new assignments"))
        let registry = try StoreReader(path: db).registry()
        let again = try caregate(["residents", "import", yaml], db: db)
        #expect(again.stdout.contains("imported: residents 0 added, 2 updated; devices 0 added, 4 updated; 0 new assignments"))
        #expect(try StoreReader(path: db).registry() == registry)

        // The CSV example says the same of the residents and their personal devices.
        let csv = try caregate(["residents", "import", Self.systemd.appendingPathComponent("registry.example.csv").path], db: db)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.contains("0 new assignments"))
        #expect(try StoreReader(path: db).registry().residents == registry.residents)

        let card = try caregate(["residents", "show", "r-0001"], db: db)
        #expect(card.status == 0)
        #expect(card.stdout.contains("r-0001  王秀英"))
        #expect(card.stdout.contains("identifiers 1101************34"), "an ID-card number is shown masked")
        #expect(card.stdout.contains("王建国 (son)  +86 138 0000 0001"))
        #expect(card.stdout.contains("bp.high           systolic >= 150, diastolic >= 95"))
        let byCard = try caregate(["residents", "show", "110101194103021234", "--format", "jsonl"], db: db)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(byCard.stdout.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "r-0001")
        #expect((object["devices"] as? [[String: Any]])?.first?["device"] as? String == "bp-000123")

        let list = try caregate(["devices", "list", "--format", "jsonl"], db: db)
        let devices = list.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(devices.map { "\($0["device"] ?? "")/\($0["use"] ?? "")/\($0["resident"] ?? "")" }
            == ["bp-000123/personal/r-0001", "cgm-000042/personal/r-0002", "kiosk-01/shared/<null>", "sos-000311/personal/r-0002"])
        #expect(try caregate(["residents", "list"], db: db).lines.count == 3)

        // A device heard that the registry does not know is listed as one, the word whole.
        let writer = try StoreWriter(path: db)
        writer.submit(.reading(Reading(source: DeviceAddress(station: "st01", device: "bp-guest"), ts: 1_732_262_400_000, seq: 1,
                                       value: .status(DeviceStatus(battery: 50))), receivedAt: 1_732_262_400_000))
        writer.close()
        let table = try caregate(["devices", "list"], db: db).lines
        #expect(table.contains { $0.hasPrefix("st01/bp-guest") && $0.contains(" unregistered ") }, "\(table)")
    }

    @Test(arguments: [
        ("residents: [{id: r-1, name: A, station: ST01}]", "bad.yaml:1: resident r-1 needs a station"),
        ("residents: [{id: r-1, name: A, station: st01, born: 1941-02-30}]", "bad.yaml:1: resident r-1: born '1941-02-30' is not a date of birth"),
        ("residents:\n  - id: r-1\n    name: A\n    station: st01\n    limits: {bp.high: [systolic >= abc]}", "bad.yaml:2: resident r-1: limits of bp.high: 'systolic >= abc' is not a condition"),
        ("residents:\n  - id: r-1\n    name: A\n    station: st01\n    limits: {bp.hihg: [systolic >= 150]}", "bad.yaml:2: resident r-1: no rule bp.hihg in the rules"),
        ("devices:\n  - {id: st01/x, kind: bp}\n  - {id: st01/y, resident: r-404}", "bad.yaml:3: no resident r-404 in the registry: import them first; nothing was imported"),
        ("residents: [{id: r-9, name: A, station: st01, identifiers: [\"110101194103021234\"]}]", "bad.yaml:1: identifier 110101194103021234 already names resident r-0001; nothing was imported"),
        ("residents:\n  - id: r-1\n    nmae: A", "bad.yaml:3: unknown key 'nmae'"),
        ("residents: [unclosed", "bad.yaml:2: not valid YAML"),
        ("devices: [{id: st01/kiosk-01, shared: true, resident: r-0001}]", "bad.yaml:1: device st01/kiosk-01 is shared"),
        ("id,name,station\nr-1,\"A, B\",st01\nr-2,\"unclosed,st01\n", "bad.csv:3: a quoted field is not closed"),
        ("id,name,station,bp.hgh\nr-1,A,st01,\n", "bad.csv:1: unknown column 'bp.hgh'"),
        ("id,name,station\nr-1,A,st01\n\nr-2,B\n", "bad.csv:4: 2 fields where the header has 3"),
        ("id,name,station,contacts\nr-1,A,st01,son 138\n", "bad.csv:2: contact 'son 138': write name/relation/phone"),
    ])
    func aBadFileChangesNothingAndNamesItsLine(_ text: String, _ message: String) throws {
        let folder = TemporaryDirectory()
        let db = folder.file("caregate.db")
        _ = try caregate(["residents", "import", Self.systemd.appendingPathComponent("registry.example.yaml").path], db: db)
        let before = try StoreReader(path: db).registry()
        let file = folder.file(message.hasPrefix("bad.csv") ? "bad.csv" : "bad.yaml")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try caregate(["residents", "import", file], db: db)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("caregate: \(folder.file(message))"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try StoreReader(path: db).registry() == before)
    }

    @Test func assignReassignAndUnassignKeepTheHistory() throws {
        let folder = TemporaryDirectory()
        let db = folder.file("caregate.db")
        _ = try caregate(["residents", "import", Self.systemd.appendingPathComponent("registry.example.yaml").path], db: db)
        let moved = try caregate(["devices", "assign", "bp-000123", "--resident", "r-0002", "--from", "2026-06-01 08:00+08:00"], db: db)
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout.contains("st01/bp-000123 is r-0002's (李国强) from"))
        #expect(moved.stdout.contains("it was r-0001's until then"))
        let earlier = try caregate(["devices", "assign", "st01/bp-000123", "--resident", "r-0001", "--from", "2026-05-01"], db: db)
        #expect(earlier.status == 1)
        #expect(earlier.stderr.contains("has been with r-0002 since"))
        let back = try caregate(["devices", "unassign", "bp-000123", "--at", "2026-07-01T00:00:00Z"], db: db)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try caregate(["devices", "unassign", "bp-000123"], db: db).stderr == "caregate: st01/bp-000123 is not assigned to anyone\n")
        #expect(try caregate(["devices", "assign", "kiosk-01", "--resident", "r-0001"], db: db).stderr.contains("is shared"))
        let handedOver = try caregate(["devices", "assign", "bp-10", "--resident", "r-0002", "--from", "2026-07-02"], db: db)
        #expect(handedOver.stdout.hasPrefix("st01/bp-10 registered\nst01/bp-10 is r-0002's"), "a new cuff: registered in the resident's station")
        #expect(try caregate(["devices", "assign", "x/y/z", "--resident", "r-0001"], db: db).status == 2)
        #expect(try caregate(["devices", "assign", "bp-000123", "--resident", "r-0001", "--from", "soon"], db: db).status == 2)

        let registered = try caregate(["devices", "register", "st01/bp-9", "--kind", "bp", "--profile", "ble-gatt"], db: db)
        #expect(registered.stdout == "st01/bp-9 registered\n")
        #expect(try caregate(["devices", "assign", "bp-9", "--resident", "r-0001", "--from", "2026-07-02"], db: db).status == 0)

        let card = try caregate(["residents", "show", "r-0001", "--format", "jsonl"], db: db)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(card.stdout.utf8)) as? [String: Any])
        let periods = (object["devices"] as? [[String: Any]] ?? []).map { "\($0["device"] ?? "") \($0["to"] is NSNull ? "now" : "ended")" }
        #expect(periods == ["bp-000123 ended", "bp-9 now"])
    }
}
