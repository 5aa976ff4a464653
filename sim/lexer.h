/* lexer.h — Python 3.11 tokens from UTF-8 source text (module-internal to sim/).
 *
 * The lexer turns the whole source into an array of tokens up front (the parser
 * backtracks freely over it). Like CPython's tokenizer it produces NEWLINE / INDENT /
 * DEDENT for the line structure, skips blank and comment-only lines, joins lines
 * inside brackets and after a backslash, and keeps a whole string literal (f-strings
 * included) as one STRING token whose text the parser decodes.
 *
 * A tokenizer error (unterminated string, bad dedent, invalid character, ...) does
 * not stop the parser at once: the token array ends with a TOK_ERROR token at the
 * place of the error, and the error itself is kept in lexer->err. The parser reports
 * it when it reaches that token, or instead of a later-found syntax error, as
 * CPython's parser does (it re-tokenizes the rest of the file on a syntax error).
 */
#ifndef SIM_LEXER_H
#define SIM_LEXER_H

#include <stddef.h>

#include "compile.h"

#define SIM_TOK_OP_LIST(X)                                                   \
    X(LPAR, "(") X(RPAR, ")") X(LSQB, "[") X(RSQB, "]") X(LBRACE, "{")      \
    X(RBRACE, "}") X(COLON, ":") X(COMMA, ",") X(SEMI, ";") X(PLUS, "+")    \
    X(MINUS, "-") X(STAR, "*") X(SLASH, "/") X(VBAR, "|") X(AMPER, "&")     \
    X(LESS, "<") X(GREATER, ">") X(EQUAL, "=") X(DOT, ".") X(PERCENT, "%")  \
    X(EQEQUAL, "==") X(NOTEQUAL, "!=") X(LESSEQUAL, "<=")                   \
    X(GREATEREQUAL, ">=") X(TILDE, "~") X(CIRCUMFLEX, "^")                  \
    X(LEFTSHIFT, "<<") X(RIGHTSHIFT, ">>") X(DOUBLESTAR, "**")              \
    X(PLUSEQUAL, "+=") X(MINEQUAL, "-=") X(STAREQUAL, "*=")                 \
    X(SLASHEQUAL, "/=") X(PERCENTEQUAL, "%=") X(AMPEREQUAL, "&=")           \
    X(VBAREQUAL, "|=") X(CIRCUMFLEXEQUAL, "^=") X(LEFTSHIFTEQUAL, "<<=")    \
    X(RIGHTSHIFTEQUAL, ">>=") X(DOUBLESTAREQUAL, "**=")                     \
    X(DOUBLESLASH, "//") X(DOUBLESLASHEQUAL, "//=") X(AT, "@")              \
    X(ATEQUAL, "@=") X(RARROW, "->") X(ELLIPSIS, "...")                     \
    X(COLONEQUAL, ":=") X(EXCLAMATION, "!")

typedef enum sim_tok_op {
    T_NONE_,
#define SIM_TOK_OP_ENUM(name, s) T_##name,
    SIM_TOK_OP_LIST(SIM_TOK_OP_ENUM)
#undef SIM_TOK_OP_ENUM
    T__COUNT
} sim_tok_op;

/* Keywords (hard ones; `match`/`case`/`_` are soft and stay names). */
#define SIM_KEYWORD_LIST(X)                                                   \
    X(FALSE, "False") X(NONE, "None") X(TRUE, "True") X(AND, "and")           \
    X(AS, "as") X(ASSERT, "assert") X(ASYNC, "async") X(AWAIT, "await")       \
    X(BREAK, "break") X(CLASS, "class") X(CONTINUE, "continue") X(DEF, "def") \
    X(DEL, "del") X(ELIF, "elif") X(ELSE, "else") X(EXCEPT, "except")         \
    X(FINALLY, "finally") X(FOR, "for") X(FROM, "from") X(GLOBAL, "global")   \
    X(IF, "if") X(IMPORT, "import") X(IN, "in") X(IS, "is")                   \
    X(LAMBDA, "lambda") X(NONLOCAL, "nonlocal") X(NOT, "not") X(OR, "or")     \
    X(PASS, "pass") X(RAISE, "raise") X(RETURN, "return") X(TRY, "try")       \
    X(WHILE, "while") X(WITH, "with") X(YIELD, "yield")

typedef enum sim_keyword {
    KW_NONE_,
#define SIM_KW_ENUM(name, s) KW_##name,
    SIM_KEYWORD_LIST(SIM_KW_ENUM)
#undef SIM_KW_ENUM
    KW__COUNT
} sim_keyword;

typedef enum sim_tok_kind {
    TOK_ENDMARKER, TOK_NAME, TOK_NUMBER, TOK_STRING, TOK_NEWLINE,
    TOK_INDENT, TOK_DEDENT, TOK_OP, TOK_ERROR
} sim_tok_kind;

/* One token. Positions: 1-based lines, 0-based byte columns, end exclusive, as in
 * CPython's tokenize module (INDENT/DEDENT have col -1 like CPython's C tokenizer;
 * their line is the line of the first token after them). */
typedef struct sim_token {
    sim_tok_kind kind;
    int op;                 /* sim_tok_op for TOK_OP */
    int kw;                 /* sim_keyword for TOK_NAME, or 0 */
    const char *start;      /* the text in the source */
    size_t len;
    int line, col, end_line, end_col;
    int level;              /* bracket depth after this token (CPython's tok->level) */
} sim_token;

/* A tokenizer error, as CPython reports it (col/end_col: 1-based byte offsets here;
 * the diagnostic converts them to characters). */
typedef struct sim_lex_error {
    sim_diag_kind kind;     /* SIM_DIAG_NONE when there was no error */
    char msg[160];
    int line, col, end_line, end_col;
    int eof_unclosed;       /* the "'(' was never closed" error found at end of input */
    int raised;             /* CPython's tokenizer raises it itself (its syntaxerror());
                               the others (bad dedent, TabError, ...) are only status
                               codes, which never replace a parser's error */
} sim_lex_error;

typedef struct sim_lexer {
    const char *src;        /* the whole source */
    size_t len;
    int line_base;          /* added to lines (for f-string sub-expressions) */
    int col_base;           /* added to columns on the first line */
    sim_token *toks;
    size_t ntoks, cap;
    sim_lex_error err;
} sim_lexer;

/* Tokenizes src[0..len). Returns 0, or -1 on out-of-memory. A tokenizer error is not
 * a failure: it ends the token array with TOK_ERROR and fills lex->err. `line_base`
 * and `col_base` shift the reported positions (0 for a whole file); `fstring_expr`
 * set means no NEWLINE/INDENT/DEDENT are made (the text is one expression). */
int sim_lex(sim_lexer *lex, const char *src, size_t len, int line_base, int col_base,
            int fstring_expr);
void sim_lex_free(sim_lexer *lex);

/* The start of line `line` (1-based) of src and its length without the newline. */
const char *sim_lex_line(const char *src, size_t len, int line, size_t *linelen);

/* The source encoding, as CPython's tokenizer decides it (PEP 263): a `coding:`
 * comment on line 1 or 2, else UTF-8. Returns
 *   0  fine (UTF-8, or any declared encoding with ASCII-only text);
 *   1  no declaration and bytes that are not UTF-8: *line and *bad say where;
 *   2  a declared encoding other than UTF-8 and non-ASCII text: name in enc. */
int sim_lex_check_encoding(const char *src, size_t len, int *line, unsigned char *bad,
                           char *enc, size_t enclen);

const char *sim_tok_op_text(int op);
const char *sim_keyword_text(int kw);

/* Decodes one UTF-8 code point at s (n bytes available); stores its length in *clen
 * (1 on an invalid byte, which decodes as U+FFFD). */
unsigned sim_utf8_decode(const char *s, size_t n, int *clen);
/* Encodes cp into out (4 bytes room), returns its length. */
int sim_utf8_encode(unsigned cp, char *out);

#endif
