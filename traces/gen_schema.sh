#!/bin/sh
# Regenerates traces/schema.c from traces/schema.sql (run from anywhere).
# tests/traces/test_writer.c checks that the two agree.
dir=$(cd "$(dirname "$0")" && pwd)
{
    echo '/* schema.c — GENERATED from schema.sql by gen_schema.sh; do not edit by hand. */'
    echo '#include "trace.h"'
    echo
    echo 'const char trace_schema_sql[] ='
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/' "$dir/schema.sql"
    echo '    ;'
} > "$dir/schema.c.tmp" && mv "$dir/schema.c.tmp" "$dir/schema.c"
