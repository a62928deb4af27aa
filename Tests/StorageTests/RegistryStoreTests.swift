import Storage
import Telemetry
import Testing

/// The registry in SQLite: imports are all or nothing, assignments keep their history, and
/// attribution follows the history by the reading's time.
@Suite struct RegistryStoreTests {
    let cuff = DeviceAddress(station: "st01", device: "bp-000123")
    let kiosk = DeviceAddress(station: "st01", device: "kiosk-01")
    let wang = Resident(id: "r-0001", name: "王秀英", station: "st01", born: "1941-03-02", careTeam: ["dr-chen", "nurse-li"],
                        contacts: [Contact(name: "王建国", relation: "son", phone: "+86 138 0000 0001"), Contact(name: "邻居", phone: "110")],
                        identifiers: ["110101194103021234"], limits: ["bp.high": ["systolic >= 150", "diastolic >= 95"]])
    let li = Resident(id: "r-0002", name: "李国强", station: "st01")

    func entries() -> [RegistryEntry] {
        [RegistryEntry(.resident(wang), line: 2), RegistryEntry(.resident(li), line: 9),
         RegistryEntry(.device(RegisteredDevice(address: cuff, kind: .bp, profile: "canonical"), assignTo: "r-0001", from: t0), line: 12),
         RegistryEntry(.device(RegisteredDevice(address: kiosk, kind: .bp, profile: "community-bp-kiosk", shared: true), assignTo: nil, from: nil), line: 17)]
    }

    @Test func anImportRoundTripsAndImportingItAgainChangesNothing() throws {
        let store = try RegistryStore(path: temporaryPath("registry.db"))
        let first = try store.apply(entries(), now: t0)
        #expect(first.residentsAdded == 2 && first.devicesAdded == 2 && first.assignments == 1)
        let registry = try store.load()
        #expect(registry.residents["r-0001"] == wang)
        #expect(registry.residents["r-0002"] == li)
        #expect(registry.devices[cuff] == RegisteredDevice(address: cuff, kind: .bp, profile: "canonical", assignments: [Assignment(resident: "r-0001", from: t0)]))
        #expect(registry.devices[kiosk]?.shared == true)
        #expect(registry.resident(named: "110101194103021234")?.id == "r-0001")

        let again = try store.apply(entries(), now: t0 + 1)
        #expect(again.residentsAdded == 0 && again.residentsUpdated == 2 && again.devicesUpdated == 2 && again.assignments == 0)
        #expect(try store.load() == registry)
    }

    @Test func aRefusedEntryLeavesEverythingAsItWasAndNamesItsLine() throws {
        let path = temporaryPath("refused.db")
        let store = try RegistryStore(path: path)
        _ = try store.apply(entries(), now: t0)
        let before = try store.load()
        var thief = li
        thief.id = "r-0003"
        thief.identifiers = ["110101194103021234"]
        let newcomer = Resident(id: "r-0004", name: "赵", station: "st01")
        let error = #expect(throws: RegistryError.self) {
            try store.apply([RegistryEntry(.resident(newcomer), line: 3), RegistryEntry(.resident(thief), line: 7)], now: t0)
        }
        #expect(error?.line == 7)
        #expect(error?.message == "identifier 110101194103021234 already names resident r-0001")
        #expect(try store.load() == before, "r-0004, before the refused entry, is not kept either")

        let dry = try store.apply([RegistryEntry(.resident(newcomer), line: 3)], now: t0, dryRun: true)
        #expect(dry.residentsAdded == 1)
        #expect(try store.load() == before, "a dry run keeps nothing")
    }

    @Test func assignmentsKeepTheirHistoryAndAttributionFollowsIt() throws {
        let store = try RegistryStore(path: temporaryPath("history.db"))
        _ = try store.apply(entries(), now: t0)
        let day: Int64 = 86_400_000
        #expect(try store.assign(cuff, to: "r-0002", from: t0 + 10 * day)
            == .assigned(Assignment(resident: "r-0002", from: t0 + 10 * day), ended: Assignment(resident: "r-0001", from: t0, to: t0 + 10 * day)))
        #expect(try store.assign(cuff, to: "r-0002", from: t0 + 11 * day) == .unchanged(Assignment(resident: "r-0002", from: t0 + 10 * day)))
        #expect(throws: RegistryError.self) { try store.assign(cuff, to: "r-0001", from: t0 + 5 * day) }
        #expect(try store.unassign(cuff, at: t0 + 20 * day) == Assignment(resident: "r-0002", from: t0 + 10 * day, to: t0 + 20 * day))
        #expect(throws: RegistryError.self) { try store.unassign(cuff, at: t0 + 21 * day) }
        #expect(throws: RegistryError.self) { try store.assign(cuff, to: "r-0001", from: t0 + 19 * day) }
        #expect(throws: RegistryError.self) { try store.assign(kiosk, to: "r-0001", from: t0) }
        #expect(throws: RegistryError.self) { try store.assign(cuff, to: "r-9999", from: t0 + 30 * day) }
        #expect(throws: RegistryError.self) { try store.assign(DeviceAddress(station: "st01", device: "nope"), to: "r-0001", from: t0) }

        let registry = try store.load()
        func resident(at ts: Int64, named: String? = nil, from source: DeviceAddress? = nil) -> (String?, Attribution) {
            var reading = Reading(source: source ?? cuff, ts: ts, seq: 1, resident: named,
                                  value: .bloodPressure(BloodPressure(systolic: 120, diastolic: 80)))
            let how = registry.attribute(&reading)
            return (reading.resident, how)
        }
        #expect(resident(at: t0 - 1) == (nil, .unassigned))
        #expect(resident(at: t0) == ("r-0001", .assigned))
        #expect(resident(at: t0 + 10 * day - 1) == ("r-0001", .assigned))
        #expect(resident(at: t0 + 10 * day) == ("r-0002", .assigned))
        #expect(resident(at: t0 + 20 * day) == (nil, .unassigned))
        #expect(resident(at: t0, named: "110101194103021234", from: kiosk) == ("r-0001", .named))
        #expect(resident(at: t0, named: "r-0002", from: kiosk) == ("r-0002", .named))
        #expect(resident(at: t0, named: "someone-else", from: kiosk) == ("someone-else", .named))
        #expect(resident(at: t0, from: kiosk) == (nil, .unassigned))
        #expect(resident(at: t0, from: DeviceAddress(station: "st01", device: "stranger")) == (nil, .unknownDevice))
        #expect(resident(at: t0, named: "110101194103021234", from: DeviceAddress(station: "st01", device: "stranger")) == ("r-0001", .unknownDevice))
    }

    @Test func everyChangeMovesTheVersionEvenOneMadeByHand() throws {
        let path = temporaryPath("version.db")
        let store = try RegistryStore(path: path)
        let v0 = try StoreReader(path: path).registryVersion()
        _ = try store.apply(entries(), now: t0)
        let v1 = try StoreReader(path: path).registryVersion()
        #expect(v1 > v0)
        _ = try store.unassign(cuff, at: t0 + 1)
        let v2 = try StoreReader(path: path).registryVersion()
        #expect(v2 > v1)
        try Database(path: path).execute("UPDATE residents SET name = 'x' WHERE id = 'r-0002'")
        #expect(try StoreReader(path: path).registryVersion() > v2)
    }

    @Test func timesAreReadAsOperatorsWriteThem() {
        #expect(RegistryTime.parse("2026-01-01T00:00:00+08:00") == 1_767_196_800_000)
        #expect(RegistryTime.parse("2026-01-01 08:00+08:00") == 1_767_225_600_000)
        #expect(RegistryTime.parse("2026-01-01T00:00:00Z") == 1_767_225_600_000)
        #expect(RegistryTime.parse("1767225600000") == 1_767_225_600_000)
        #expect(RegistryTime.parse("2026-02-30") == nil)
        #expect(RegistryTime.parse("yesterday") == nil)
        #expect(RegistryTime.parse("2026-01-01").map { RegistryTime.parse(RegistryTime.text($0)) == $0 } == true)
    }
}
