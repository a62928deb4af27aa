import Foundation
import Storage
import Telemetry

/// What SQLite alone costs a reading on this machine: rows of the blood-pressure table, bound
/// and stepped through prepared statements on the store's own schema and settings, with no
/// decoding, no engine and no writer around them. The floor under the gateway's writer: most
/// of a row's cost is the statement's, not the B-tree's.
///
/// Five ways of filling the same readings: in arrival order (1,000 devices interleaved), grouped
/// by series one row a statement, grouped and 16 rows a statement as the writer now inserts a
/// batch, appended to a table with no key at all (what a rowid table costs one row a statement),
/// and, for a design the store does not have, grouped into blocks of 16 readings a row (one
/// BLOB, keyed by series and first ts).
enum SQLiteFloorBenchmark {
    static func run(rows n: Int, series: Int) throws {
        print("## sqlite: \(n) readings from \(series) series, \(batchRows) a transaction, the store's schema and settings (\(machineDescription()))")
        let dir = NSTemporaryDirectory() + "caregate-sqlite-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for round in 1...2 {
            for order in Order.allCases {
                let db = try Database.openStore(path: "\(dir)/\(order)-\(round).db")
                try db.execute("CREATE TABLE bp_append AS SELECT * FROM bp_readings WHERE false")
                let table = order == .append ? "bp_append" : "bp_readings"
                let insert = try db.prepare("INSERT OR IGNORE INTO \(table) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                // Every transaction's rows, in the order they are inserted, made before timing.
                let transactions = stride(from: 0, to: n, by: batchRows).map { first in
                    order.rows(first..<min(first + batchRows, n), series: series)
                }
                if order == .blocks {
                    try db.execute("CREATE TABLE bp_blocks (series INTEGER, ts INTEGER, readings BLOB, PRIMARY KEY (series, ts)) WITHOUT ROWID")
                    let cpu = try insertBlocks(transactions, db.prepare("INSERT OR IGNORE INTO bp_blocks VALUES (?1, ?2, ?3)"), db, series: series)
                    print("round \(round), \(order.description): \(format(cpu / Double(n) * 1e6)) µs CPU a reading")
                    continue
                }
                let perStatement = order == .statements ? rowsPerStatement : 1
                let values = (0..<rowsPerStatement).map { k in "(" + (1...9).map { "?\(9 * k + $0)" }.joined(separator: ", ") + ")" }
                let multiple = try db.prepare("INSERT OR IGNORE INTO \(table) VALUES " + values.joined(separator: ", "))
                func bind(_ s: Statement, _ k: Int32, _ id: Int, _ position: Int) {
                    s.bind(9 * k + 1, Int64(id + 1))
                    s.bind(9 * k + 2, t0 + Int64(position) * 1_000)
                    s.bind(9 * k + 3, Int64(position / series + 1))
                    s.bind(9 * k + 4, residents[id % residents.count])
                    s.bind(9 * k + 5, Double(110 + position % 40))
                    s.bind(9 * k + 6, 80.0)
                    s.bind(9 * k + 7, 72.0)
                    s.bind(9 * k + 8, t0 + Int64(position) * 1_000 + 40)
                    s.bind(9 * k + 9, nil as String?)
                }
                let before = processCPUSeconds()
                for rows in transactions {
                    try db.execute("BEGIN IMMEDIATE")
                    var start = 0
                    while start + perStatement <= rows.count && perStatement > 1 {
                        multiple.reset()
                        for k in 0..<perStatement { bind(multiple, Int32(k), rows[start + k].series, rows[start + k].position) }
                        _ = try multiple.step()
                        start += perStatement
                    }
                    for (id, position) in rows[start...] {
                        insert.reset()
                        bind(insert, 0, id, position)
                        _ = try insert.step()
                    }
                    try db.execute("COMMIT")
                }
                let cpu = processCPUSeconds() - before
                print("round \(round), \(order.description): \(format(cpu / Double(n) * 1e6)) µs CPU a row")
            }
            try alertEvents(dir: dir, round: round)
        }
    }

    /// An alert event through the store's writer, as the gateway stores the ones it emits (the
    /// columns bound from the event) and as a spool replay does (read from its JSON): 2,000
    /// alerts of 1,000 devices, each raised, updated and resolved.
    static func alertEvents(dir: String, round: Int) throws {
        var events: [AlertEvent] = []
        for step in 1...3 {
            for a in 0..<2_000 {
                let source = DeviceAddress(station: "st01", device: "bp-\(a % 1_000)")
                let value = ReadingValue.bloodPressure(BloodPressure(systolic: step == 3 ? 120 : 185, diastolic: 90, pulse: 70))
                events.append(AlertEvent(alertID: "01JD\(a)-\(round)", number: step, kind: [.raised, .updated, .resolved][step - 1],
                                         rule: "bp.crisis", priority: .high, source: source, stream: .bp, resident: "r-\(a % 1_000)",
                                         value: value, readingTS: t0 + Int64(step * 60_000), readingSeq: Int64(step),
                                         at: t0 + Int64(step * 60_000) + 2, count: step, closes: step == 3))
            }
        }
        let items = events.map { ($0, $0.json().string) }
        for fromJSON in [false, true] {
            let writer = try StoreWriter(path: "\(dir)/alerts-\(fromJSON)-\(round).db", options: .init(batchRows: 32_768, commitIntervalMillis: 60_000))
            let before = processCPUSeconds()
            for (event, json) in items {
                writer.submit(fromJSON ? .alertEvent(json: json, number: event.number, cause: .reading, closes: event.closes)
                                       : .alert(event, json: json, cause: .reading))
            }
            writer.flush()
            let cpu = processCPUSeconds() - before
            writer.close()
            print("round \(round), alert events \(fromJSON ? "from their JSON (a spool replay)" : "bound from their fields (the gateway)"): "
                + "\(format(cpu / Double(items.count) * 1e6)) µs CPU an event")
        }
    }

    /// Each series' readings of a transaction in rows of up to 16, packed as (ts, seq, systolic,
    /// diastolic, pulse) in 40 bytes each; the packing is timed with the inserts.
    static func insertBlocks(_ transactions: [[(series: Int, position: Int)]], _ insert: Statement, _ db: Database, series: Int) throws -> Double {
        var block: [Int64] = []
        let before = processCPUSeconds()
        for rows in transactions {
            try db.execute("BEGIN IMMEDIATE")
            var start = 0
            while start < rows.count {
                let id = rows[start].series
                var end = start
                block.removeAll(keepingCapacity: true)
                while end < rows.count && rows[end].series == id && end - start < 16 {
                    let position = rows[end].position
                    block.append(t0 + Int64(position) * 1_000)
                    block.append(Int64(position / series + 1))
                    block.append(Int64(110 + position % 40))
                    block.append(80)
                    block.append(72)
                    end += 1
                }
                insert.reset()
                insert.bind(1, Int64(id + 1))
                insert.bind(2, block[0])
                block.withUnsafeBytes { insert.bind(3, blob: $0) }
                _ = try insert.step()
                start = end
            }
            try db.execute("COMMIT")
        }
        return processCPUSeconds() - before
    }

    static let batchRows = 32_768
    static let rowsPerStatement = 16
    static let t0: Int64 = 1_763_800_000_000
    static let residents = (0..<1000).map { "r-\($0)" }

    enum Order: CaseIterable, CustomStringConvertible {
        case arrival, grouped, statements, append, blocks

        /// The series and arrival position of each row of one transaction, in insertion order.
        func rows(_ positions: Range<Int>, series: Int) -> [(series: Int, position: Int)] {
            let arrival = positions.map { (series: $0 % series, position: $0) }
            return self == .grouped || self == .statements || self == .blocks ? arrival.sorted { ($0.series, $0.position) < ($1.series, $1.position) } : arrival
        }

        var description: String {
            switch self {
            case .arrival: "arrival order, key (series, ts, seq)"
            case .grouped: "grouped by series, key (series, ts, seq)"
            case .statements: "grouped, \(rowsPerStatement) rows a statement, key (series, ts, seq)"
            case .append: "appended, no key (rowid)"
            case .blocks: "grouped, 16 readings a row, key (series, first ts)"
            }
        }
    }
}
