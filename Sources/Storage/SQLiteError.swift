import CSQLite

/// A SQLite result code as a Swift error. Statement arguments (patient values) never appear in it.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The primary or extended result code, `SQLITE_*`.
    public var code: Int32
    /// SQLite's message for the failure.
    public var message: String
    /// What was being done, e.g. "open /var/lib/caregate/caregate.db".
    public var operation: String

    public var description: String { "SQLite: \(operation): \(message) (code \(code))" }

    /// Busy or locked: trying again later can help.
    public var isRetryable: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
}
