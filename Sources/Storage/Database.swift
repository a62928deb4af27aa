import CSQLite

/// One SQLite connection. Not shared between threads: each thread that needs the database opens
/// its own (the writer thread, a query command).
public final class Database {
    let handle: OpaquePointer
    /// The file's path.
    public let path: String

    /// Opens (and creates, unless `readOnly`) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        SQLiteLibrary.configure()
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: message, operation: "open \(path)")
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5_000)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: message, operation: "execute \(sql.prefix(60))")
        }
    }

    /// Compiles `sql` into a reusable statement.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw SQLiteError(code: rc, message: lastMessage, operation: "prepare \(sql.prefix(60))")
        }
        return Statement(stmt, database: self)
    }

    /// The value of `PRAGMA user_version`: the number of migrations applied.
    public var userVersion: Int {
        get throws(SQLiteError) {
            let stmt = try prepare("PRAGMA user_version")
            guard try stmt.step() else { return 0 }
            return Int(stmt.int64(0))
        }
    }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }
}

/// Process-wide SQLite settings, applied once before the first connection opens.
enum SQLiteLibrary {
    private static let configured: Void = {
        // Fails harmlessly (SQLITE_MISUSE) if something in the process initialised SQLite first.
        _ = caregate_sqlite_disable_memory_statistics()
    }()

    static func configure() { _ = configured }
}
