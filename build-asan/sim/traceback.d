build-asan/sim/traceback.o: sim/traceback.c sim/code.h sim/opcodes.h \
 sim/parser.h sim/ast.h sim/compile.h sim/lexer.h sim/vm.h sim/object.h \
 sim/sim.h sim/memory.h sim/pyfmt.h
sim/code.h:
sim/opcodes.h:
sim/parser.h:
sim/ast.h:
sim/compile.h:
sim/lexer.h:
sim/vm.h:
sim/object.h:
sim/sim.h:
sim/memory.h:
sim/pyfmt.h:
