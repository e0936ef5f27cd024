#ifndef CONFIDE_CSQLITE_SHIM_H
#define CONFIDE_CSQLITE_SHIM_H
#include <sqlite3.h>

/// Variadic sqlite3_db_config cannot be called from Swift; these wrap the calls confide needs.
static inline int confide_db_config_defensive(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, (int *)0);
}
static inline int confide_db_config_trusted_schema(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, on, (int *)0);
}
static inline int confide_db_config_dqs(sqlite3 *db, int on) {
    int a = sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, on, (int *)0);
    int b = sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, on, (int *)0);
    return a != SQLITE_OK ? a : b;
}
#endif
