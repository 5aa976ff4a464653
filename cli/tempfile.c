/* tempfile.c — temporary traces for `run --timeline` and `view PROG.py`.
 *
 * The trace writer refuses to replace a file that is not already a trace, so the
 * temporary trace is a fresh name inside a fresh private folder (mkdtemp), not a
 * file made by mkstemp. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

char *cli_temp_trace_path(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    size_t n = strlen(base) + 32;
    char *dir = malloc(n);
    if (!dir)
        return NULL;
    snprintf(dir, n, "%s/aiosim-XXXXXX", base);
    if (!mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    char *path = malloc(n + 16);
    if (!path) {
        rmdir(dir);
        free(dir);
        errno = ENOMEM;
        return NULL;
    }
    snprintf(path, n + 16, "%s/run.db", dir);
    free(dir);
    return path;
}

void cli_remove_temp_trace(char *path)
{
    if (!path)
        return;
    unlink(path);
    /* SQLite's journal, if a run was cut short */
    size_t n = strlen(path) + 16;
    char *j = malloc(n);
    if (j) {
        snprintf(j, n, "%s-journal", path);
        unlink(j);
        free(j);
    }
    char *slash = strrchr(path, '/');
    if (slash) {
        *slash = 0;
        rmdir(path);
    }
    free(path);
}
