#ifndef CONFIDE_CFILESYSTEM_H
#define CONFIDE_CFILESYSTEM_H

/// Atomically swaps two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0 or -1 with errno.
int confide_exchange_paths(const char *a, const char *b);

/// Makes standard output line-buffered, also into a pipe or a file (journald, cron mail), so a
/// killed process keeps every line it printed.
void confide_line_buffer_stdout(void);

#endif
