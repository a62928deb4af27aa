import Telemetry

/// The readings' tables, one a stream, each with a statement for one row and one for
/// `perStatement` rows, and how a reading binds to its row.
///
/// SQLite's work for a row is mostly the statement's (reset, bind, step: 1.7–1.9 µs even for a
/// rowid append here), so the writer inserts a batch's readings of one table `perStatement` to
/// an `INSERT … VALUES (…), (…), …`: 2.1 µs a row against 2.9–3.1 one a statement (BENCHMARKS.md,
/// sqlite). Rows of one statement are inserted in their order, so of two duplicates in one the
/// first is kept, as `INSERT OR IGNORE` one by one would.
struct ReadingRows {
    static let perStatement = 16

    /// Columns of a reading's row in its stream's table (`StoreReader.layout`).
    static func columns(_ kind: StreamKind) -> Int32 {
        switch kind {
        case .bp: 9
        case .ecg: 11
        case .glucose, .sos, .status: 8
        }
    }

    private let one: [Statement]
    private let many: [Statement]

    init(_ db: Database) throws(SQLiteError) {
        var one: [Statement] = []
        var many: [Statement] = []
        // Indexed by `StreamKind.rawValue`, which runs from 0 in `allCases` order.
        for kind in StreamKind.allCases {
            let columns = Self.columns(kind)
            func values(_ rows: Int) -> String {
                (0..<Int32(rows)).map { row in
                    "(" + (1...columns).map { "?\(row * columns + $0)" }.joined(separator: ", ") + ")"
                }.joined(separator: ", ")
            }
            let table = StoreReader.layout(kind).table
            one.append(try db.prepare("INSERT OR IGNORE INTO \(table) VALUES \(values(1))"))
            many.append(try db.prepare("INSERT OR IGNORE INTO \(table) VALUES \(values(Self.perStatement))"))
        }
        self.one = one
        self.many = many
    }

    /// Inserts one reading.
    func insert(_ reading: Reading, series: Int64, receivedAt: Int64) throws(SQLiteError) {
        let s = one[Int(reading.stream.rawValue)]
        s.reset()
        Self.bind(reading, series: series, receivedAt: receivedAt, to: s, row: 0)
        try s.step()
    }

    /// Inserts `count` readings of the stream `kind`, `perStatement` to a statement and the rest
    /// one by one, in order; `row(i)` is the i-th reading with its series and time of arrival.
    func insert(_ kind: StreamKind, count: Int, _ row: (Int) -> (Reading, series: Int64, receivedAt: Int64)) throws(SQLiteError) {
        var start = 0
        let many = many[Int(kind.rawValue)]
        while count - start >= Self.perStatement {
            many.reset()
            for k in 0..<Self.perStatement {
                let (reading, series, receivedAt) = row(start + k)
                Self.bind(reading, series: series, receivedAt: receivedAt, to: many, row: Int32(k))
            }
            try many.step()
            start += Self.perStatement
        }
        for i in start..<count {
            let (reading, series, receivedAt) = row(i)
            try insert(reading, series: series, receivedAt: receivedAt)
        }
    }

    /// Binds every column of the reading's row `row` of `s` (a statement of its table).
    private static func bind(_ reading: Reading, series: Int64, receivedAt: Int64, to s: Statement, row: Int32) {
        let o = row * Self.columns(reading.stream)
        let notes: Int32
        switch reading.value {
        case .bloodPressure(let v):
            s.bind(o + 5, v.systolic)
            s.bind(o + 6, v.diastolic)
            s.bind(o + 7, v.pulse)
            s.bind(o + 8, receivedAt)
            notes = o + 9
        case .glucose(let v):
            s.bind(o + 5, v.mgdl)
            s.bind(o + 6, v.context?.rawValue)
            s.bind(o + 7, receivedAt)
            notes = o + 8
        case .ecg(let v):
            s.bind(o + 5, Int64(v.hz))
            s.bind(o + 6, v.lead)
            s.bind(o + 7, v.microvoltsPerLSB)
            ECGCodec.encode(v.samples).withUnsafeBytes { s.bind(o + 8, blob: $0) }
            s.bind(o + 9, receivedAt)
            s.bind(o + 11, ECGCodec.id)
            notes = o + 10
        case .sos(let v):
            s.bind(o + 5, v.cause.rawValue)
            s.bind(o + 6, Int64(v.cancel ? 1 : 0))
            s.bind(o + 7, receivedAt)
            notes = o + 8
        case .status(let v):
            s.bind(o + 5, v.battery)
            s.bind(o + 6, v.rssi)
            s.bind(o + 7, receivedAt)
            notes = o + 8
        }
        s.bind(o + 1, series)
        s.bind(o + 2, reading.ts)
        s.bind(o + 3, reading.seq)
        s.bind(o + 4, reading.resident)
        s.bind(notes, reading.notes.stored)
    }
}
