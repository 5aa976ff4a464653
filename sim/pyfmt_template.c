/* pyfmt_template.c — str.format() templates, mirroring
 * Objects/stringlib/unicode_format.h (MarkupIterator_next, parse_field,
 * field_name_split, FieldNameIterator_next, build_string, output_markup).
 * Looking objects up and formatting them is the caller's, through
 * pyfmt_template_ops; this file owns the grammar, auto-numbering, nested
 * specs and the error wording. */
#include "pyfmt.h"

#include <limits.h>
#include <string.h>

/* Mirrors get_integer of unicode_format.h: the decimal value of s[sp], or -1
 * when it is empty or has a non-digit; PYFMT_EVALUE on overflow. */
static int field_integer(const char *s, pyfmt_span sp, long *out, pyfmt_err *err)
{
    long acc = 0;
    size_t pos = sp.off, end = sp.off + sp.len;
    *out = -1;
    if (sp.len == 0)
        return PYFMT_OK;
    while (pos < end) {
        int d = pyfmt_cp_decimal_value(pyfmt_utf8_next(s, end, &pos));
        if (d < 0)
            return PYFMT_OK;
        if (acc > (LONG_MAX - d) / 10)
            return pyfmt_seterr(err, PYFMT_EVALUE, "Too many decimal digits in format string");
        acc = acc * 10 + d;
    }
    *out = acc;
    return PYFMT_OK;
}

/* Mirrors parse_field: reads "name[!c][:spec]}" after a '{' at *pos. */
static int parse_field(const char *s, size_t n, size_t *pos, pyfmt_field *f, pyfmt_err *err)
{
    uint32_t c = 0;
    f->name.off = *pos;
    while (*pos < n) {
        c = pyfmt_utf8_next(s, n, pos);
        if (c == '{')
            return pyfmt_seterr(err, PYFMT_EVALUE, "unexpected '{' in field name");
        if (c == '[') {
            while (*pos < n && s[*pos] != ']')
                (*pos)++;
            continue;
        }
        if (c == '}' || c == ':' || c == '!')
            break;
    }
    f->name.len = (c == '}' || c == ':' || c == '!') ? *pos - 1 - f->name.off
                                                     : *pos - f->name.off;
    if (c == '!' || c == ':') {
        if (c == '!') {
            if (*pos >= n)
                return pyfmt_seterr(err, PYFMT_EVALUE,
                                    "end of string while looking for conversion specifier");
            f->conversion = pyfmt_utf8_next(s, n, pos);
            if (*pos < n) {
                c = (unsigned char)s[(*pos)++];
                if (c == '}')
                    return PYFMT_OK;
                if (c != ':')
                    return pyfmt_seterr(err, PYFMT_EVALUE,
                                        "expected ':' after conversion specifier");
            }
        }
        f->spec.off = *pos;
        int count = 1;
        while (*pos < n) {
            c = (unsigned char)s[(*pos)++];
            if (c == '{') {
                f->spec_needs_expanding = 1;
                count++;
            } else if (c == '}' && --count == 0) {
                f->spec.len = *pos - 1 - f->spec.off;
                return PYFMT_OK;
            }
        }
        return pyfmt_seterr(err, PYFMT_EVALUE, "unmatched '{' in format spec");
    }
    if (c != '}')
        return pyfmt_seterr(err, PYFMT_EVALUE, "expected '}' before end of string");
    return PYFMT_OK;
}

int pyfmt_template_next(const char *s, size_t n, size_t *pos, pyfmt_field *f,
                        pyfmt_err *err)
{
    memset(f, 0, sizeof *f);
    if (*pos >= n)
        return 0;
    size_t start = *pos;
    char c = 0;
    int markup = 0;
    while (*pos < n) {
        c = s[(*pos)++];
        if (c == '{' || c == '}') {
            markup = 1;
            break;
        }
    }
    int at_end = *pos >= n;
    size_t len = *pos - start;
    if (c == '}' && markup && (at_end || s[*pos] != '}'))
        return -pyfmt_seterr(err, PYFMT_EVALUE, "Single '}' encountered in format string");
    if (at_end && c == '{' && markup)
        return -pyfmt_seterr(err, PYFMT_EVALUE, "Single '{' encountered in format string");
    if (!at_end && markup) {
        if (s[*pos] == c) {   /* "{{" or "}}": keep one, no field follows */
            (*pos)++;
            markup = 0;
        } else {
            len--;
        }
    }
    f->literal.off = start;
    f->literal.len = len;
    if (!markup)
        return 1;
    f->has_field = 1;
    int rc = parse_field(s, n, pos, f, err);
    return rc ? -rc : 1;
}

int pyfmt_fieldname_split(const char *s, pyfmt_span name, pyfmt_autonum *an,
                          pyfmt_fieldref *ref, pyfmt_err *err)
{
    size_t i = name.off, end = name.off + name.len;
    while (i < end && s[i] != '.' && s[i] != '[')
        i++;
    ref->first.off = name.off;
    ref->first.len = i - name.off;
    ref->rest = i;
    ref->end = end;
    int rc = field_integer(s, ref->first, &ref->index, err);
    if (rc)
        return rc;
    int empty = ref->first.len == 0;
    if (an && (empty || ref->index != -1)) {
        if (an->state == 0)
            an->state = empty ? 1 : 2;
        if (an->state == 2 && empty)
            return pyfmt_seterr(err, PYFMT_EVALUE, "cannot switch from manual field "
                                "specification to automatic field numbering");
        if (an->state == 1 && !empty)
            return pyfmt_seterr(err, PYFMT_EVALUE, "cannot switch from automatic field "
                                "numbering to manual field specification");
        if (empty)
            ref->index = an->next++;
    }
    return PYFMT_OK;
}

int pyfmt_fieldname_next(const char *s, pyfmt_fieldref *ref, int *is_attr,
                         long *index, pyfmt_span *name, pyfmt_err *err)
{
    if (ref->rest >= ref->end)
        return 0;
    char c = s[ref->rest++];
    size_t start = ref->rest;
    if (c == '.') {
        *is_attr = 1;
        while (ref->rest < ref->end && s[ref->rest] != '.' && s[ref->rest] != '[')
            ref->rest++;
        name->off = start;
        name->len = ref->rest - start;
        *index = -1;
    } else if (c == '[') {
        *is_attr = 0;
        while (ref->rest < ref->end && s[ref->rest] != ']')
            ref->rest++;
        if (ref->rest >= ref->end)
            return -pyfmt_seterr(err, PYFMT_EVALUE, "Missing ']' in format string");
        name->off = start;
        name->len = ref->rest - start;
        ref->rest++;
        int rc = field_integer(s, *name, index, err);
        if (rc)
            return -rc;
    } else {
        return -pyfmt_seterr(err, PYFMT_EVALUE,
                             "Only '.' or '[' may follow ']' in format field specifier");
    }
    if (name->len == 0)
        return -pyfmt_seterr(err, PYFMT_EVALUE, "Empty attribute in format string");
    return 1;
}

/* Mirrors build_string + output_markup. */
static int build(const char *s, size_t n, long nargs, const pyfmt_template_ops *ops,
                 void *ctx, int depth, pyfmt_autonum *an, pyfmt_buf *out, pyfmt_err *err)
{
    if (depth <= 0)
        return pyfmt_seterr(err, PYFMT_EVALUE, "Max string recursion exceeded");
    size_t pos = 0;
    pyfmt_field f;
    int r;
    while ((r = pyfmt_template_next(s, n, &pos, &f, err)) > 0) {
        if (pyfmt_buf_append(out, s + f.literal.off, f.literal.len) < 0)
            return pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory");
        if (!f.has_field)
            continue;
        pyfmt_fieldref ref;
        int rc = pyfmt_fieldname_split(s, f.name, an, &ref, err);
        if (rc)
            return rc;
        if (ref.index >= 0 && nargs < 0)
            return pyfmt_seterr(err, PYFMT_EVALUE, "Format string contains positional fields");
        if (ref.index >= 0 && ref.index >= nargs)
            return pyfmt_seterr(err, PYFMT_EINDEX, "Replacement index %ld out of range "
                                "for positional args tuple", ref.index);
        void *obj = NULL;
        if (ops->resolve(ctx, s, &ref, &obj))
            return pyfmt_seterr(err, PYFMT_ECALLER, "error resolving field");
        if (f.conversion && f.conversion != 'r' && f.conversion != 's' && f.conversion != 'a') {
            if (ops->release)
                ops->release(ctx, obj);
            if (f.conversion > 32 && f.conversion < 127)
                return pyfmt_seterr(err, PYFMT_EVALUE, "Unknown conversion specifier %c",
                                    (char)f.conversion);
            return pyfmt_seterr(err, PYFMT_EVALUE, "Unknown conversion specifier \\x%x",
                                (unsigned)f.conversion);
        }
        pyfmt_buf spec;
        pyfmt_buf_init(&spec);
        if (f.spec_needs_expanding)
            rc = build(s + f.spec.off, f.spec.len, nargs, ops, ctx, depth - 1, an, &spec, err);
        else
            rc = pyfmt_buf_append(&spec, s + f.spec.off, f.spec.len)
                 ? pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory") : 0;
        if (rc == 0 && ops->render(ctx, obj, f.conversion, pyfmt_buf_cstr(&spec), spec.len, out))
            rc = pyfmt_seterr(err, PYFMT_ECALLER, "error formatting field");
        if (ops->release)
            ops->release(ctx, obj);
        pyfmt_buf_free(&spec);
        if (rc)
            return rc;
    }
    return r < 0 ? -r : PYFMT_OK;
}

int pyfmt_template_format(const char *s, size_t n, long nargs, const pyfmt_template_ops *ops,
                          void *ctx, pyfmt_buf *out, pyfmt_err *err)
{
    pyfmt_autonum an = {0, 0};
    return build(s, n, nargs, ops, ctx, 2, &an, out, err);
}
