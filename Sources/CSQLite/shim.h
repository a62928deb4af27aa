#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro around a function-pointer cast that Swift cannot import.
static inline sqlite3_destructor_type caregate_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type caregate_sqlite_static(void) { return SQLITE_STATIC; }
