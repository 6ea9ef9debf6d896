/* Query plan and timing of one statement with bound parameters, through the SQLite the server
 * bundles (run.sh compiles this file against libsqlite3-sys's sqlite3.c): the sqlite3 shell of the
 * operating system is another version, and a literal is not what the server sends.
 *
 *   sqlite-plan DB SQL [PARAM...]     a PARAM "i:51" binds the integer 51, anything else text
 *
 * Prints the library version, the EXPLAIN QUERY PLAN rows, and the wall time of three runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sqlite3.h"

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int run(sqlite3 *db, const char *sql, int nparams, char **params, int explain) {
    sqlite3_stmt *stmt;
    size_t len = strlen(sql) + 32;
    char *text = malloc(len);
    if (text == NULL) return 1;
    snprintf(text, len, "%s%s", explain ? "EXPLAIN QUERY PLAN " : "", sql);
    if (sqlite3_prepare_v2(db, text, -1, &stmt, NULL) != SQLITE_OK) {
        fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(db));
        free(text);
        return 1;
    }
    free(text);
    for (int i = 0; i < nparams; i++) {
        if (strncmp(params[i], "i:", 2) == 0) {
            sqlite3_bind_int64(stmt, i + 1, strtoll(params[i] + 2, NULL, 10));
        } else {
            sqlite3_bind_text(stmt, i + 1, params[i], -1, SQLITE_TRANSIENT);
        }
    }
    double start = seconds();
    int rows = 0, rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        rows++;
        if (explain) {
            printf("  %s\n", (const char *)sqlite3_column_text(stmt, 3));
        }
    }
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "step: %s\n", sqlite3_errmsg(db));
        sqlite3_finalize(stmt);
        return 1;
    }
    if (!explain) {
        printf("  %d rows in %.2f ms\n", rows, (seconds() - start) * 1000);
    }
    sqlite3_finalize(stmt);
    return 0;
}

int main(int argc, char **argv) {
    sqlite3 *db;
    if (argc < 3) {
        fprintf(stderr, "usage: %s DB SQL [PARAM...]\n", argv[0]);
        return 2;
    }
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "open: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    printf("SQLite %s (bound parameters:", sqlite3_libversion());
    for (int i = 3; i < argc; i++) printf(" %s", argv[i]);
    printf(")\n");
    int failed = run(db, argv[2], argc - 3, argv + 3, 1);
    for (int i = 0; i < 3 && !failed; i++) failed = run(db, argv[2], argc - 3, argv + 3, 0);
    sqlite3_close(db);
    return failed;
}
