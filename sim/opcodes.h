/* opcodes.h — aiosim's bytecode: the contract between the compiler and the VM.
 *
 * Model: a stack machine in the shape of CPython 3.11 (with some 3.8 simplicity).
 *
 * Encoding. One instruction is one 32-bit word: the opcode in the low 8 bits and
 * the operand ("arg", unsigned, up to 2^24-1) in the high 24 bits:
 *     op  = w & 0xFF;   arg = w >> 8;        (SIM_OP(w), SIM_ARG(w) below)
 * Every opcode has an arg word; ops that take none ignore it (the compiler writes 0).
 * Jump targets are ABSOLUTE instruction indexes into code->code (not byte offsets).
 * There is no EXTENDED_ARG: the compiler rejects code that would need one.
 *
 * Stack notation below: "a b -> c" means the op pops b (top) then a and pushes c.
 * NULL is a C NULL stack slot (not None): only LOAD_METHOD pushes one.
 *
 * Frames. A frame is a heap object: locals (code->nlocals, arguments first), cells
 * (code->ncellvars cells followed by code->nfreevars cells taken from the function's
 * closure), and a value stack of code->stacksize slots. A coroutine / generator is
 * such a frame suspended at a YIELD_VALUE or a YIELD_FROM.
 *
 * Calling a function whose code has SIM_CO_GENERATOR / SIM_CO_COROUTINE does not run
 * it: the VM binds the arguments into a new frame and returns a generator / coroutine
 * object wrapping that frame. The first send() must send None; it starts the frame at
 * instruction 0 and pushes NOTHING. Every later send(v) resumes the suspended frame:
 * after YIELD_VALUE it pushes v; at YIELD_FROM it sends v into the sub-iterator (see
 * YIELD_FROM). throw(e) makes the instruction the frame is suspended at raise e
 * (YIELD_FROM first delegates the throw to its sub-iterator). RETURN_VALUE from such a
 * frame finishes it: StopIteration(value) for the caller of send().
 *
 * Exceptions: there is no block stack. code->exctable lists ranges of instructions
 * with their handler (see code.h). When an instruction raises, the VM finds the entry
 * covering that instruction's index; if none, the frame is done and the exception
 * propagates to the caller (after a traceback entry with code->lines[index] is
 * added). Otherwise it pops the value stack down to `depth` items, pushes the
 * exception object, and jumps to `target`. The "current handled exception"
 * (sys.exc_info(), the implicit __context__ of new exceptions, the target of a bare
 * `raise`) lives in the frame (for coroutines: per coroutine, like CPython's
 * gi_exc_state) and is saved/restored with PUSH_EXC_INFO / POP_EXCEPT.
 *
 * Name resolution: LOAD_FAST locals (functions only); LOAD_DEREF cells/free vars;
 * LOAD_GLOBAL globals then builtins; LOAD_NAME (module and class bodies) the frame's
 * locals mapping, then globals, then builtins. In a module frame locals IS globals.
 *
 * Comprehensions and generator expressions are compiled as nested functions, as in
 * CPython 3.11: `[f(x) for x in it]` is
 *     LOAD_CONST <code listcomp>; MAKE_FUNCTION 0; <it>; GET_ITER; CALL 1
 * where the <listcomp> code (flags SIM_CO_FUNCTION|SIM_CO_COMPREHENSION) takes one
 * positional argument named ".0", the iterator. A generator expression's code also
 * has SIM_CO_GENERATOR. A comprehension that contains `await` (inside async def) has
 * SIM_CO_COROUTINE and its call is followed by GET_AWAITABLE 0; LOAD_CONST None;
 * YIELD_FROM.
 *
 * Idioms the compiler emits (the VM needs nothing more):
 *   await e           e; GET_AWAITABLE 0; LOAD_CONST None; YIELD_FROM
 *   yield from e      e; GET_YIELD_FROM_ITER; LOAD_CONST None; YIELD_FROM
 *   x = yield e       e; YIELD_VALUE; STORE x
 *                     (in an async generator: e; ASYNC_GEN_WRAP; YIELD_VALUE)
 *   f(a, k=b)         f; a; b; LOAD_CONST ('k',); CALL_KW 2
 *   o.m(a)            o; LOAD_METHOD m; a; CALL_METHOD 1
 *   f(*a, **k)        f; <a as tuple>; <k as dict>; CALL_EX 1
 *   class C(B): body  LOAD_BUILD_CLASS; LOAD_CONST <code C>; MAKE_FUNCTION 0;
 *                     LOAD_CONST 'C'; B; CALL 3      (metaclass=...: CALL_KW)
 *       The class-body code (SIM_CO_CLASS) runs with a fresh locals dict; it starts
 *       with LOAD_NAME __name__; STORE_NAME __module__; LOAD_CONST 'C';
 *       STORE_NAME __qualname__. If a method uses super() or __class__, the body has
 *       a cell "__class__" and ends with LOAD_CLOSURE <__class__>; COPY 1;
 *       STORE_NAME __classcell__; RETURN_VALUE (the builder fills the cell with the
 *       new class, as CPython's __build_class__ does); otherwise it returns None.
 *       Zero-argument super() inside a method: the VM finds the method's first
 *       argument (local 0) and its free variable "__class__".
 *   with m as x: b    m; BEFORE_WITH; SETUP_WITH H; STORE x (or POP_TOP); b;
 *                     POP_BLOCK; LOAD_CONST None; LOAD_CONST None; LOAD_CONST None;
 *                     CALL 3; POP_TOP; JUMP end
 *                  H: PUSH_EXC_INFO; WITH_EXCEPT_START; POP_JUMP_IF_TRUE S;
 *                     RERAISE; S: POP_TOP; POP_EXCEPT; POP_TOP; end: ...
 *                     (H..S is itself covered by a "cleanup" handler:
 *                      C: SWAP 2; POP_EXCEPT; RERAISE  — restores the handled
 *                      exception before propagating a new one)
 *   async with        BEFORE_ASYNC_WITH; GET_AWAITABLE 1; LOAD_CONST None; YIELD_FROM
 *                     in place of BEFORE_WITH, and every call of __aexit__ (CALL 3 or
 *                     WITH_EXCEPT_START) is followed by GET_AWAITABLE 2;
 *                     LOAD_CONST None; YIELD_FROM.
 *   async for x in a  a; GET_AITER;
 *                  L: SETUP_FINALLY E; GET_ANEXT; LOAD_CONST None; YIELD_FROM;
 *                     POP_BLOCK; STORE x; body; JUMP L;
 *                  E: END_ASYNC_FOR; else-body
 *   try/except        see compile_stmt.c (handler entered with the exception pushed,
 *                     PUSH_EXC_INFO, CHECK_EXC_MATCH per clause, POP_EXCEPT on exit,
 *                     RERAISE when no clause matches).
 *   try/except*       handler: PUSH_EXC_INFO; COPY 1; BUILD_LIST 0; SWAP 2 (prev orig
 *                     list exc); per clause: T; CHECK_EG_MATCH; COPY 1;
 *                     POP_JUMP_IF_NONE N; STORE name; body under a handler that does
 *                     LIST_APPEND 2 (what the body raised); N: POP_TOP. After the
 *                     last: LIST_APPEND 1 (the rest); PREP_RERAISE_STAR; COPY 1;
 *                     POP_JUMP_IF_NOT_NONE R; POP_TOP; POP_EXCEPT; ...
 *                  R: SWAP 2; POP_EXCEPT; RERAISE (see compile_stmt.c)
 *
 * The pseudo-ops SETUP_FINALLY / SETUP_WITH / POP_BLOCK exist only inside the
 * compiler: the assembler turns them into code->exctable and removes them, so the
 * VM never sees them (it may treat them as errors). Unreachable instructions are
 * removed too, so the last instruction of a code object is a RETURN_VALUE, JUMP,
 * RERAISE or RAISE_VARARGS: control never runs off the end.
 *
 * A handler's own code runs under the handler that encloses its try, so an
 * exception raised while handling goes outward. `depth` counts the values the
 * frame had on its stack when the protected region began (SETUP_WITH's excludes
 * the __enter__ result).
 *
 * Debugging: sim_disasm(code, 1) (code.h) prints a code object and its children,
 * with the exception table.
 */
#ifndef SIM_OPCODES_H
#define SIM_OPCODES_H

#include <stdint.h>

/* X(name, has_arg, comment-free) — the comment after each line is the contract. */
#define SIM_OPCODE_LIST(X)                                                              \
    X(NOP)              /* -                 ; no effect                                */ \
    X(POP_TOP)          /* -                 ; a ->                                     */ \
    X(COPY)             /* n (>=1)           ; ... a(n-th from top) ... -> ... a        */ \
                        /*                     pushes a second reference to stack[-n]    */ \
    X(SWAP)             /* n (>=2)           ; swaps TOS and stack[-n]                 */ \
    X(LOAD_CONST)       /* const index       ; -> code->consts[arg] as an object        */ \
    X(LOAD_FAST)        /* local index       ; -> locals[arg]; unbound: UnboundLocalError*/ \
    X(STORE_FAST)       /* local index       ; v -> (locals[arg] = v)                   */ \
    X(DELETE_FAST)      /* local index       ; unbinds locals[arg] (error if unbound)   */ \
    X(LOAD_DEREF)       /* cell index        ; -> cells[arg].contents (NameError/Unbound)*/ \
    X(STORE_DEREF)      /* cell index        ; v -> (cells[arg].contents = v)           */ \
    X(DELETE_DEREF)     /* cell index        ; unbinds cells[arg].contents              */ \
    X(LOAD_CLOSURE)     /* cell index        ; -> the cell object cells[arg] itself     */ \
    X(LOAD_CLASSDEREF)  /* cell index        ; class body: -> locals[name of cell] if   */ \
                        /*                     present, else cells[arg].contents          */ \
    X(LOAD_NAME)        /* name index        ; -> locals/globals/builtins[names[arg]]   */ \
    X(STORE_NAME)       /* name index        ; v -> (locals[names[arg]] = v)            */ \
    X(DELETE_NAME)      /* name index        ; del locals[names[arg]] (NameError)       */ \
    X(LOAD_GLOBAL)      /* name index        ; -> globals/builtins[names[arg]]          */ \
    X(STORE_GLOBAL)     /* name index        ; v -> (globals[names[arg]] = v)           */ \
    X(DELETE_GLOBAL)    /* name index        ; del globals[names[arg]]                  */ \
    X(LOAD_ATTR)        /* name index        ; o -> o.names[arg]                        */ \
    X(STORE_ATTR)       /* name index        ; v o -> (o.names[arg] = v)                */ \
    X(DELETE_ATTR)      /* name index        ; o -> (del o.names[arg])                  */ \
    X(LOAD_METHOD)      /* name index        ; o -> meth o  (plain function found on    */ \
                        /*                     type(o)) | NULL attr (anything else)      */ \
    X(BINARY_SUBSCR)    /* -                 ; c k -> c[k]                              */ \
    X(STORE_SUBSCR)     /* -                 ; v c k -> (c[k] = v)                      */ \
    X(DELETE_SUBSCR)    /* -                 ; c k -> (del c[k])                        */ \
    X(BUILD_SLICE)      /* 2 or 3            ; lo hi [step] -> slice(lo, hi[, step])    */ \
    X(UNARY_NEGATIVE)   /* -                 ; a -> -a                                  */ \
    X(UNARY_POSITIVE)   /* -                 ; a -> +a                                  */ \
    X(UNARY_NOT)        /* -                 ; a -> not a  (a bool)                     */ \
    X(UNARY_INVERT)     /* -                 ; a -> ~a                                  */ \
    X(BINARY_OP)        /* sim_binop         ; a b -> a OP b; arg >= SIM_BINOP_INPLACE  */ \
                        /*                     means a OP= b (tries __iop__ first)       */ \
    X(COMPARE_OP)       /* sim_cmpop         ; a b -> a CMP b (rich comparison)         */ \
    X(IS_OP)            /* 0 is, 1 is not    ; a b -> bool                              */ \
    X(CONTAINS_OP)      /* 0 in, 1 not in    ; a b -> (a in b) / (a not in b)           */ \
    X(BUILD_TUPLE)      /* n                 ; x1..xn -> (x1, .., xn)                   */ \
    X(BUILD_LIST)       /* n                 ; x1..xn -> [x1, .., xn]                   */ \
    X(BUILD_SET)        /* n                 ; x1..xn -> {x1, .., xn}                   */ \
    X(BUILD_MAP)        /* n pairs           ; k1 v1 .. kn vn -> {k1: v1, ..}           */ \
    X(BUILD_STRING)     /* n                 ; s1..sn (str) -> s1 + .. + sn             */ \
    X(LIST_APPEND)      /* i                 ; v -> ; stack[-i] (after pop) .append(v)  */ \
    X(SET_ADD)          /* i                 ; v -> ; stack[-i].add(v)                  */ \
    X(MAP_ADD)          /* i                 ; k v -> ; stack[-i][k] = v                */ \
    X(LIST_EXTEND)      /* i                 ; it -> ; stack[-i].extend(it)             */ \
    X(SET_UPDATE)       /* i                 ; it -> ; stack[-i].update(it)             */ \
    X(DICT_UPDATE)      /* i                 ; m -> ; stack[-i].update(m)  ({**m})      */ \
    X(DICT_MERGE)       /* i                 ; m -> ; like DICT_UPDATE but a repeated   */ \
                        /*                     key is TypeError (f(**a, **b)); stack[-i-2]*/ \
                        /*                     is the callable, for the message           */ \
    X(LIST_TO_TUPLE)    /* -                 ; list -> tuple(list)                      */ \
    X(FORMAT_VALUE)     /* flags             ; v [spec] -> str. flags&3: 0 none, 1 !s,  */ \
                        /*                     2 !r, 3 !a; flags&4: a spec str is on TOS */ \
    X(UNPACK_SEQUENCE)  /* n                 ; seq -> xn .. x1 (x1 on top); ValueError  */ \
                        /*                     when len != n                             */ \
    X(UNPACK_EX)        /* before|after<<8   ; seq -> after-items.. list before-items.. */ \
                        /*                     (first item on top; starred part a list)  */ \
    X(JUMP)             /* target            ; unconditional; target <= index is a loop */ \
                        /*                     back-edge (the VM may count steps there)  */ \
    X(POP_JUMP_IF_FALSE) /* target           ; v -> ; jump if not truthy(v)             */ \
    X(POP_JUMP_IF_TRUE) /* target            ; v -> ; jump if truthy(v)                 */ \
    X(POP_JUMP_IF_NONE) /* target            ; v -> ; jump if v is None                 */ \
    X(POP_JUMP_IF_NOT_NONE) /* target        ; v -> ; jump if v is not None             */ \
    X(JUMP_IF_FALSE_OR_POP) /* target        ; v -> v and jump if falsy, else pop v     */ \
    X(JUMP_IF_TRUE_OR_POP)  /* target        ; v -> v and jump if truthy, else pop v    */ \
    X(GET_ITER)         /* -                 ; o -> iter(o)                             */ \
    X(FOR_ITER)         /* target            ; it -> it next(it); when exhausted pops   */ \
                        /*                     it and jumps to target                    */ \
    X(CALL)             /* n                 ; f a1..an -> f(a1..an)                    */ \
    X(CALL_KW)          /* n                 ; f a1..an names -> f(..); names is a      */ \
                        /*                     tuple of str naming the LAST len(names)   */ \
                        /*                     of the n args as keywords                 */ \
    X(CALL_METHOD)      /* n                 ; m o a1..an -> m(o, a1..an)  or           */ \
                        /*                     NULL f a1..an -> f(a1..an)                */ \
    X(CALL_EX)          /* 0 or 1            ; f args(tuple) [kwargs(dict)] -> f(*a,**k) */ \
    X(MAKE_FUNCTION)    /* flags             ; [defaults tuple if &1] [kwdefaults dict  */ \
                        /*                     if &2] [closure tuple of cells if &8]     */ \
                        /*                     code -> function. name/qualname from code */ \
    X(RETURN_VALUE)     /* -                 ; v -> ; return v to the caller            */ \
    X(YIELD_VALUE)      /* -                 ; v -> (suspended: yields v) -> sent       */ \
    X(GET_AWAITABLE)    /* where             ; o -> awaitable iterator (a coroutine     */ \
                        /*                     itself, or o.__await__()); where: 0 await */ \
                        /*                     1 after __aenter__, 2 after __aexit__      */ \
                        /*                     (for the TypeError's wording)             */ \
    X(GET_YIELD_FROM_ITER) /* -              ; o -> iter(o) (a generator/coroutine as is)*/ \
    X(YIELD_FROM)       /* -                 ; it v -> r. Sends v into it (next(it) if  */ \
                        /*                     v is None and it is not a gen/coro). If it */ \
                        /*                     yields y: the frame suspends yielding y,   */ \
                        /*                     with it on the stack and the pc still at   */ \
                        /*                     this instruction; resuming with w pushes w */ \
                        /*                     and executes YIELD_FROM again. If it      */ \
                        /*                     returns r (StopIteration(r)): pops it,     */ \
                        /*                     pushes r.                                  */ \
    X(GET_AITER)        /* -                 ; o -> o.__aiter__()                       */ \
    X(GET_ANEXT)        /* -                 ; ait -> ait awaitable(ait.__anext__())    */ \
    X(END_ASYNC_FOR)    /* -                 ; ait exc -> ; if exc is StopAsyncIteration*/ \
                        /*                     else re-raises exc (this is a handler)     */ \
    X(BEFORE_WITH)      /* -                 ; m -> m.__exit__ m.__enter__()            */ \
    X(BEFORE_ASYNC_WITH) /* -                ; m -> m.__aexit__ m.__aenter__()          */ \
    X(WITH_EXCEPT_START) /* -                ; exit prev exc -> exit prev exc r where   */ \
                        /*                     r = exit(type(exc), exc, exc.__traceback__)*/ \
    X(PUSH_EXC_INFO)    /* -                 ; exc -> prev exc; prev = the frame's      */ \
                        /*                     current handled exception (None if none), */ \
                        /*                     which becomes exc                          */ \
    X(POP_EXCEPT)       /* -                 ; prev -> ; current handled exception=prev */ \
    X(CHECK_EXC_MATCH)  /* -                 ; exc T -> exc bool (isinstance(exc, T),   */ \
                        /*                     T a class or tuple; TypeError if not)     */ \
    X(RERAISE)          /* -                 ; exc -> ; raise exc again, its traceback  */ \
                        /*                     kept                                      */ \
    X(RAISE_VARARGS)    /* 0, 1 or 2         ; 0: re-raise the handled exception        */ \
                        /*                     (RuntimeError "No active exception to     */ \
                        /*                     reraise"); 1: exc -> raise; 2: exc cause ->*/ \
                        /*                     raise exc from cause (cause may be None)   */ \
    X(LOAD_ASSERTION_ERROR) /* -             ; -> AssertionError (the class)            */ \
    X(LOAD_BUILD_CLASS) /* -                 ; -> builtins.__build_class__              */ \
    X(IMPORT_NAME)      /* name index        ; fromlist -> module. names[arg] is dotted;*/ \
                        /*                     fromlist None: imports every package on   */ \
                        /*                     the path, returns the TOP one; a tuple:   */ \
                        /*                     returns the named (last) module itself     */ \
    X(IMPORT_FROM)      /* name index        ; mod -> mod mod.names[arg] (ImportError   */ \
                        /*                     "cannot import name" if missing)          */ \
    X(IMPORT_STAR)      /* -                 ; mod -> ; copies public names to locals   */ \
    X(ASYNC_GEN_WRAP)   /* -                 ; v -> wrapped(v). Only in async generators,*/ \
                        /*                     before the YIELD_VALUE of a `yield`: marks  */ \
                        /*                     a value for the consumer (asend returns it) */ \
                        /*                     as opposed to what an await yields up to    */ \
                        /*                     the event loop (CPython's ASYNC_GEN_WRAP)   */ \
    X(CHECK_EG_MATCH)   /* -                 ; exc T -> exc None (no match) or        */ \
                        /*                     rest match: except* T. TypeError if T is  */ \
                        /*                     not a BaseException class (or tuple) or   */ \
                        /*                     is an exception group class; a naked exc  */ \
                        /*                     matching T becomes ExceptionGroup('',     */ \
                        /*                     [exc]) with rest None; a group is split   */ \
                        /*                     by T (rest may be None). On a match the   */ \
                        /*                     handled exception becomes match           */ \
    X(PREP_RERAISE_STAR) /* -                ; orig list -> exc or None: what a try/    */ \
                        /*                     except* re-raises: the raised exceptions  */ \
                        /*                     (list) with the re-raised / unhandled     */ \
                        /*                     parts of orig kept in orig's structure    */ \
                        /*                     (CPython's _PyExc_PrepReraiseStar)        */ \
    X(SETUP_FINALLY)    /* target (pseudo)   ; compiler only, see above                 */ \
    X(SETUP_WITH)       /* target (pseudo)   ; compiler only: handler depth excludes TOS*/ \
    X(POP_BLOCK)        /* - (pseudo)        ; compiler only                            */

typedef enum sim_opcode {
#define SIM_OPCODE_ENUM(name) SIM_OP_##name,
    SIM_OPCODE_LIST(SIM_OPCODE_ENUM)
#undef SIM_OPCODE_ENUM
    SIM_OP__COUNT
} sim_opcode;

#define SIM_OP(w)        ((sim_opcode)((w) & 0xFFu))
#define SIM_ARG(w)       ((uint32_t)(w) >> 8)
#define SIM_INSTR(op, a) ((uint32_t)(op) | ((uint32_t)(a) << 8))
#define SIM_ARG_MAX      0xFFFFFFu

/* BINARY_OP operands. SIM_BINOP_INPLACE + op is the augmented form (a += b). */
#define SIM_BINOP_LIST(X)                                                       \
    X(ADD, "+") X(SUB, "-") X(MUL, "*") X(TRUEDIV, "/") X(FLOORDIV, "//")       \
    X(MOD, "%") X(POW, "**") X(LSHIFT, "<<") X(RSHIFT, ">>") X(AND, "&")        \
    X(OR, "|") X(XOR, "^") X(MATMUL, "@")

typedef enum sim_binop {
#define SIM_BINOP_ENUM(name, sym) SIM_BINOP_##name,
    SIM_BINOP_LIST(SIM_BINOP_ENUM)
#undef SIM_BINOP_ENUM
    SIM_BINOP__COUNT,
    SIM_BINOP_INPLACE = 16
} sim_binop;

/* COMPARE_OP operands. */
#define SIM_CMPOP_LIST(X) X(LT, "<") X(LE, "<=") X(EQ, "==") X(NE, "!=") X(GT, ">") X(GE, ">=")

typedef enum sim_cmpop {
#define SIM_CMPOP_ENUM(name, sym) SIM_CMP_##name,
    SIM_CMPOP_LIST(SIM_CMPOP_ENUM)
#undef SIM_CMPOP_ENUM
    SIM_CMP__COUNT
} sim_cmpop;

/* FORMAT_VALUE flags */
#define SIM_FMT_CONV_MASK 3
#define SIM_FMT_STR       1
#define SIM_FMT_REPR      2
#define SIM_FMT_ASCII     3
#define SIM_FMT_HAS_SPEC  4

/* MAKE_FUNCTION flags */
#define SIM_MKFN_DEFAULTS   1
#define SIM_MKFN_KWDEFAULTS 2
#define SIM_MKFN_CLOSURE    8

/* Name of an opcode ("LOAD_CONST"), of a binop ("+"), of a compare ("<="). */
const char *sim_opcode_name(sim_opcode op);
const char *sim_binop_symbol(unsigned arg);
const char *sim_cmpop_symbol(unsigned arg);

/* True for the ops whose arg is an instruction index (jumps, FOR_ITER, SETUP_*). */
int sim_opcode_is_jump(sim_opcode op);

#endif
