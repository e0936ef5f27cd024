#ifndef CONFIDE_CFILESYSTEM_H
#define CONFIDE_CFILESYSTEM_H

/// Atomically swaps two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0 or -1 with errno.
int confide_exchange_paths(const char *a, const char *b);

#endif
