/* render_cmd.c — `aiosim render`: a trace to a picture. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz_int.h"

static const char usage[] =
    "usage: aiosim render TRACE.db -o OUT.png|OUT.svg|OUT.pdf [options]\n"
    "\n"
    "Draws the timeline of a trace (aiosim run PROG.py --trace TRACE.db): a lane per task,\n"
    "one for plain callbacks and one per virtual thread; steps, waits coloured by what was\n"
    "awaited, arrows for scheduling, wake-ups, cancels and task creation, the printed lines.\n"
    "The format follows the extension of OUT.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE     the picture to write (.png, .svg or .pdf)\n"
    "  --axis time|iteration x by virtual time (default; events at one instant are spread\n"
    "                        out, long clock jumps drawn as breaks) or by loop iteration\n"
    "  --from T, --to T      only the virtual-time window [T, T] (seconds)\n"
    "  --width PX            picture width in pixels (default: from the trace, 1000..2400)\n"
    "  --dump                print the timeline model as text instead of drawing\n"
    "  -h, --help            this help\n";

static int parse_num(const char *opt, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s ? s : "", &end);
    if (!s || !*s || *end || errno || isnan(v)) {
        fprintf(stderr, "aiosim render: %s needs a number, not '%s'\n", opt, s ? s : "");
        return -1;
    }
    *out = v;
    return 0;
}

int viz_render_cmd(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    bool dump = false;
    viz_options o;
    viz_options_init(&o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!v) {
                fprintf(stderr, "aiosim render: %s needs a file name\n", a);
                return 2;
            }
            out = v;
            i++;
        } else if (!strcmp(a, "--axis")) {
            if (v && !strcmp(v, "time"))
                o.axis = VIZ_AXIS_TIME;
            else if (v && !strcmp(v, "iteration"))
                o.axis = VIZ_AXIS_ITERATION;
            else {
                fprintf(stderr, "aiosim render: --axis is 'time' or 'iteration', not '%s'\n",
                        v ? v : "");
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--from") || !strcmp(a, "--to")) {
            if (parse_num(a, v, a[2] == 'f' ? &o.from : &o.to) < 0)
                return 2;
            i++;
        } else if (!strcmp(a, "--width")) {
            double wd;
            if (parse_num(a, v, &wd) < 0)
                return 2;
            if (wd < 400 || wd > 30000) {
                fprintf(stderr, "aiosim render: --width must be between 400 and 30000 pixels\n");
                return 2;
            }
            o.width = (int)wd;
            i++;
        } else if (!strcmp(a, "--dump")) {
            dump = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "aiosim render: unknown option '%s' (see aiosim render --help)\n", a);
            return 2;
        } else if (!in) {
            in = a;
        } else {
            fprintf(stderr, "aiosim render: one trace at a time ('%s' and '%s')\n", in, a);
            return 2;
        }
    }
    if (!in || (!out && !dump)) {
        fputs(!in ? "aiosim render: which trace? (aiosim render TRACE.db -o OUT.png)\n"
                  : "aiosim render: where to? add -o OUT.png (or .svg, .pdf)\n", stderr);
        return 2;
    }
    if (!isnan(o.from) && !isnan(o.to) && o.to < o.from) {
        fprintf(stderr, "aiosim render: --to %g is before --from %g\n", o.to, o.from);
        return 2;
    }
    char err[VIZ_ERR_MAX] = "";
    if (dump) {
        viz_model *m = viz_model_load(in, err, sizeof err);
        if (!m) {
            fprintf(stderr, "aiosim render: %s\n", err);
            return 1;
        }
        viz_model_dump(m, stdout);
        viz_model_free(m);
        return 0;
    }
    if (viz_render_file(in, out, &o, err, sizeof err) != 0) {
        fprintf(stderr, "aiosim render: %s\n", err);
        return 1;
    }
    return 0;
}
