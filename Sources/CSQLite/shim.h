#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro around a function-pointer cast that Swift cannot import.
static inline sqlite3_destructor_type caregate_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type caregate_sqlite_static(void) { return SQLITE_STATIC; }

// SQLite keeps process-wide memory statistics by default, taking a global mutex on every
// allocation. Caregate never reads them; turned off, the writer's inserts skip that mutex.
// Only effective before the library initialises (the first open); `sqlite3_config` is variadic,
// which Swift cannot call.
static inline int caregate_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
