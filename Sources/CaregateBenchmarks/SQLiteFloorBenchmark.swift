import Foundation
import Storage

/// What SQLite alone costs a reading on this machine: rows of the blood-pressure table, bound
/// and stepped through one prepared statement on the store's own schema and settings, with no
/// decoding, no engine and no writer around them. The floor under the gateway's writer, and a
/// part of "gateway CPU a message" that no change to Caregate's own code can remove.
///
/// Three ways of filling the same rows: in arrival order (1,000 devices interleaved), grouped
/// by series as the writer now inserts a batch, and appended to a table with no key at all
/// (what a rowid table costs, the cheapest a row can be).
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
                let before = processCPUSeconds()
                for rows in transactions {
                    try db.execute("BEGIN IMMEDIATE")
                    for (id, position) in rows {
                        insert.reset()
                        insert.bind(1, Int64(id + 1))
                        insert.bind(2, t0 + Int64(position) * 1_000)
                        insert.bind(3, Int64(position / series + 1))
                        insert.bind(4, residents[id % residents.count])
                        insert.bind(5, Double(110 + position % 40))
                        insert.bind(6, 80.0)
                        insert.bind(7, 72.0)
                        insert.bind(8, t0 + Int64(position) * 1_000 + 40)
                        insert.bind(9, nil as String?)
                        _ = try insert.step()
                    }
                    try db.execute("COMMIT")
                }
                let cpu = processCPUSeconds() - before
                print("round \(round), \(order.description): \(format(cpu / Double(n) * 1e6)) µs CPU a row")
            }
        }
    }

    static let batchRows = 32_768
    static let t0: Int64 = 1_763_800_000_000
    static let residents = (0..<1000).map { "r-\($0)" }

    enum Order: CaseIterable, CustomStringConvertible {
        case arrival, grouped, append

        /// The series and arrival position of each row of one transaction, in insertion order.
        func rows(_ positions: Range<Int>, series: Int) -> [(series: Int, position: Int)] {
            let arrival = positions.map { (series: $0 % series, position: $0) }
            return self == .grouped ? arrival.sorted { ($0.series, $0.position) < ($1.series, $1.position) } : arrival
        }

        var description: String {
            switch self {
            case .arrival: "arrival order, key (series, ts, seq)"
            case .grouped: "grouped by series, key (series, ts, seq)"
            case .append: "appended, no key (rowid)"
            }
        }
    }
}
