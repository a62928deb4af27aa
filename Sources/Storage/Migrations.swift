/// The schema as a list of frozen migrations: a released migration is never edited, a change
/// is a new one appended. `PRAGMA user_version` counts the migrations applied.
///
/// Readings are clustered by series (station, device, stream) and time: `(series, ts, seq)` is
/// both the duplicate key of PROTOCOL.md §1 (same device, stream, seq and ts) and the order of a
/// device's queries, and a device's new rows append at the right edge of its range.
enum Migrations {
    static let all: [String] = [
        // 1: the vertical slice.
        """
        CREATE TABLE series (
            id INTEGER PRIMARY KEY,
            station TEXT NOT NULL,
            device TEXT NOT NULL,
            stream TEXT NOT NULL,
            UNIQUE (station, device, stream)
        );
        CREATE TABLE bp_readings (
            series INTEGER NOT NULL REFERENCES series(id),
            ts INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            resident TEXT,
            systolic REAL NOT NULL,
            diastolic REAL NOT NULL,
            pulse REAL,
            received INTEGER NOT NULL,
            PRIMARY KEY (series, ts, seq)
        ) WITHOUT ROWID;
        CREATE TABLE glucose_readings (
            series INTEGER NOT NULL REFERENCES series(id),
            ts INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            resident TEXT,
            mg_dl REAL NOT NULL,
            context TEXT,
            received INTEGER NOT NULL,
            PRIMARY KEY (series, ts, seq)
        ) WITHOUT ROWID;
        CREATE TABLE ecg_chunks (
            series INTEGER NOT NULL REFERENCES series(id),
            ts INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            resident TEXT,
            hz INTEGER NOT NULL,
            lead TEXT NOT NULL,
            uv_per_lsb REAL NOT NULL,
            samples BLOB NOT NULL,
            received INTEGER NOT NULL,
            PRIMARY KEY (series, ts, seq)
        ) WITHOUT ROWID;
        CREATE TABLE sos_calls (
            series INTEGER NOT NULL REFERENCES series(id),
            ts INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            resident TEXT,
            cause TEXT NOT NULL,
            cancel INTEGER NOT NULL,
            received INTEGER NOT NULL,
            PRIMARY KEY (series, ts, seq)
        ) WITHOUT ROWID;
        CREATE TABLE status_reports (
            series INTEGER NOT NULL REFERENCES series(id),
            ts INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            resident TEXT,
            battery REAL,
            rssi REAL,
            received INTEGER NOT NULL,
            PRIMARY KEY (series, ts, seq)
        ) WITHOUT ROWID;
        CREATE TABLE alert_events (
            alert_id TEXT NOT NULL,
            n INTEGER NOT NULL,
            event TEXT NOT NULL,
            rule TEXT NOT NULL,
            priority TEXT NOT NULL,
            station TEXT NOT NULL,
            device TEXT NOT NULL,
            stream TEXT NOT NULL,
            resident TEXT,
            reading_ts INTEGER,
            reading_seq INTEGER,
            at INTEGER NOT NULL,
            by TEXT,
            tier INTEGER,
            json TEXT NOT NULL,
            PRIMARY KEY (alert_id, n)
        ) WITHOUT ROWID;
        CREATE INDEX alert_events_by_time ON alert_events (at);
        CREATE TABLE quarantine (
            arrival INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            topic TEXT NOT NULL,
            kind TEXT NOT NULL,
            reason TEXT NOT NULL,
            payload BLOB NOT NULL,
            payload_size INTEGER NOT NULL
        );
        """,
        // 2: the alert engine in full (issue 3): each event's cause for the audit trail, and the
        // board of open alerts that a restart restores and `caregate alerts list` shows.
        """
        ALTER TABLE alert_events ADD COLUMN cause TEXT;
        CREATE TABLE open_alerts (
            alert_id TEXT PRIMARY KEY,
            raised_at INTEGER NOT NULL,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
        // 3: device profiles beyond the canonical one (issue 4): what a device said about a
        // reading besides its values (GATT measurement and sensor status, glucose specimen, a
        // time taken from arrival), as the words of `ReadingNote`, NULL when there are none.
        """
        ALTER TABLE bp_readings ADD COLUMN notes TEXT;
        ALTER TABLE glucose_readings ADD COLUMN notes TEXT;
        ALTER TABLE ecg_chunks ADD COLUMN notes TEXT;
        ALTER TABLE sos_calls ADD COLUMN notes TEXT;
        ALTER TABLE status_reports ADD COLUMN notes TEXT;
        """,
        // 4: the resident and device registry (issue 4). Lists inside a row (care team,
        // limits) are one item a line. Every change bumps `registry_changes.version`, by
        // trigger, so the running gateway sees an edit from `caregate residents|devices` (or
        // from sqlite3 by hand) at its next tick.
        """
        CREATE TABLE residents (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            station TEXT NOT NULL,
            born TEXT,
            care_team TEXT NOT NULL DEFAULT '',
            updated INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE resident_contacts (
            resident TEXT NOT NULL,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            relation TEXT NOT NULL,
            phone TEXT NOT NULL,
            PRIMARY KEY (resident, position)
        ) WITHOUT ROWID;
        CREATE TABLE resident_identifiers (
            identifier TEXT PRIMARY KEY,
            resident TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE resident_limits (
            resident TEXT NOT NULL,
            rule TEXT NOT NULL,
            conditions TEXT NOT NULL,
            PRIMARY KEY (resident, rule)
        ) WITHOUT ROWID;
        CREATE TABLE devices (
            station TEXT NOT NULL,
            device TEXT NOT NULL,
            kind TEXT,
            profile TEXT,
            shared INTEGER NOT NULL DEFAULT 0,
            registered INTEGER NOT NULL,
            PRIMARY KEY (station, device)
        ) WITHOUT ROWID;
        CREATE TABLE device_assignments (
            station TEXT NOT NULL,
            device TEXT NOT NULL,
            from_ts INTEGER NOT NULL,
            to_ts INTEGER,
            resident TEXT NOT NULL,
            PRIMARY KEY (station, device, from_ts)
        ) WITHOUT ROWID;
        CREATE INDEX device_assignments_by_resident ON device_assignments (resident, from_ts);
        CREATE TABLE registry_changes (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        );
        INSERT INTO registry_changes VALUES (1, 0);
        CREATE INDEX alert_events_unregistered ON alert_events (station, device) WHERE rule = 'device.unregistered';
        """ + registryTriggers(["residents", "resident_contacts", "resident_identifiers", "resident_limits",
                                "devices", "device_assignments"]),
        // 5: ECG samples compressed losslessly (issue 6): `codec` 1 is `ECGCodec`, 0 the raw
        // 16-bit little-endian samples of the rows written before.
        """
        ALTER TABLE ecg_chunks ADD COLUMN codec INTEGER NOT NULL DEFAULT 0;
        """,
        // 6: beats detected in the ECG (issue 6), on the ECG's series, in time order.
        """
        CREATE TABLE ecg_beats (
            series INTEGER NOT NULL REFERENCES series(id),
            ts INTEGER NOT NULL,
            resident TEXT,
            rr_ms INTEGER,
            hr REAL,
            PRIMARY KEY (series, ts)
        ) WITHOUT ROWID;
        """,
        // 7: the ECG's signal quality where it changes (issue 6).
        """
        CREATE TABLE ecg_quality (
            series INTEGER NOT NULL REFERENCES series(id),
            ts INTEGER NOT NULL,
            quality TEXT NOT NULL,
            PRIMARY KEY (series, ts)
        ) WITHOUT ROWID;
        """,
    ]

    /// Triggers that bump the registry's version on every insert, update and delete of `tables`
    /// (frozen with migration 4: the text they produce must never change).
    private static func registryTriggers(_ tables: [String]) -> String {
        tables.flatMap { table in
            ["INSERT", "UPDATE", "DELETE"].map { op in
                "\nCREATE TRIGGER \(table)_\(op.lowercased())_bumps AFTER \(op) ON \(table) BEGIN UPDATE registry_changes SET version = version + 1; END;"
            }
        }.joined()
    }

    /// Applies the migrations `db` has not seen yet, each in its own transaction.
    static func migrate(_ db: Database) throws(SQLiteError) {
        let applied = try db.userVersion
        guard applied <= all.count else {
            throw SQLiteError(code: 1, message: "the database has schema version \(applied), newer than this caregate (\(all.count)); upgrade caregate", operation: "migrate \(db.path)")
        }
        for (index, sql) in all.enumerated().dropFirst(applied) {
            try db.execute("BEGIN IMMEDIATE")
            do {
                try db.execute(sql)
                try db.execute("PRAGMA user_version = \(index + 1)")
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        }
    }
}

extension Database {
    /// Opens the gateway's database: WAL, the schema migrated to the newest version.
    public static func openStore(path: String) throws(SQLiteError) -> Database {
        let db = try Database(path: path)
        try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 8192")
        try Migrations.migrate(db)
        return db
    }
}
