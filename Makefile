# aiosim — GNU make build.
#   make          build build/aiosim and build/libaiosim.a
#   make test     install missing Debian packages, build, run every test
#   make check    the tests again under AddressSanitizer + UndefinedBehaviorSanitizer
#   make valgrind the cmocka binaries under valgrind (leak check)
#   make bench    the benchmarks (ratios against CPython on a virtual clock)
# Sources are found by wildcard: a new .c file in a layer folder joins the build,
# and each tests/<layer>/test_*.c becomes its own cmocka binary.

BUILD   ?= build
CC      ?= cc
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN    := -std=c11 -Wall -Wextra -Wno-unused-parameter -D_GNU_SOURCE
SANFLAGS :=
PKGS    := sqlite3 cairo pangocairo sdl2
# Recursive (=) so pkg-config runs only when a recipe needs it, after `deps`.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lm -lpthread
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka)
CMOCKA_LIBS   = $(shell pkg-config --libs cmocka)
INCLUDES := -I. -Iloop -Isim -Itraces -Iviz

LAYERS   := loop sim traces viz
# Each layer is its own static library; a layer links only the layers below it,
# so a test of loop/ never needs sim/ to compile.
LIBS_loop   := loop
LIBS_sim    := sim loop
LIBS_traces := traces loop
LIBS_viz    := viz traces loop
LIBS_cli    := viz traces sim loop
layer_src = $(wildcard $(1)/*.c)
layer_lib = $(BUILD)/libaiosim_$(1).a
CLI_SRC  := $(wildcard cli/*.c)
TEST_SRC := $(wildcard tests/*/test_*.c)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:%.c=$(BUILD)/%)
ALL_OBJ  := $(foreach d,$(LAYERS),$(patsubst %.c,$(BUILD)/%.o,$(call layer_src,$(d)))) $(CLI_OBJ)
LAYER_LIBS := $(foreach d,$(LAYERS),$(if $(call layer_src,$(d)),$(call layer_lib,$(d))))
DEPS_OK  := $(BUILD)/.deps-ok
# the libraries (in link order) a layer needs, skipping layers with no sources yet
libs_for = $(foreach d,$(LIBS_$(1)),$(if $(call layer_src,$(d)),$(call layer_lib,$(d))))

.PHONY: all deps test check stress valgrind bench clean demo
all: $(LAYER_LIBS) $(if $(CLI_SRC),$(BUILD)/aiosim) $(TEST_BIN)

deps: $(DEPS_OK)
$(DEPS_OK): scripts/deps.sh
	@sh scripts/deps.sh
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(SANFLAGS) $(INCLUDES) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

define layer_rule
$(call layer_lib,$(1)): $(patsubst %.c,$(BUILD)/%.o,$(call layer_src,$(1)))
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^
endef
$(foreach d,$(LAYERS),$(eval $(call layer_rule,$(d))))

$(BUILD)/aiosim: $(CLI_OBJ) $(call libs_for,cli)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $(CLI_OBJ) $(call libs_for,cli) $(PKG_LIBS)

# tests/<layer>/test_x.c links the libraries of <layer> and those below it.
.SECONDEXPANSION:
$(BUILD)/tests/%: tests/%.c $$(call libs_for,$$(firstword $$(subst /, ,$$*))) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(SANFLAGS) $(INCLUDES) -Itests $(PKG_CFLAGS) $(CMOCKA_CFLAGS) -MMD -MP -o $@ $< \
	    $(call libs_for,$(firstword $(subst /, ,$*))) $(PKG_LIBS) $(CMOCKA_LIBS)

test: all
	@sh tests/run_all.sh $(BUILD)

check:
	$(MAKE) BUILD=build-asan OPT=-O1 SANFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" test

# Every scenario under ASan+UBSan with a collection on every allocation (slow: minutes).
stress:
	$(MAKE) BUILD=build-asan OPT=-O1 SANFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" all
	AIOSIM_GC_STRESS=1 SCENARIO_TIMEOUT=120 sh tests/run_scenarios.sh build-asan/aiosim

valgrind: all
	@sh tests/run_valgrind.sh $(BUILD)

BENCH_BIN := $(patsubst %.c,$(BUILD)/%,$(wildcard bench/*.c))
$(BUILD)/bench/%: bench/%.c $(call libs_for,loop) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(INCLUDES) -o $@ $< $(call libs_for,loop) -lm

# bench_trace needs the traces layer and SQLite.
$(BUILD)/bench/bench_trace: bench/bench_trace.c $(call libs_for,traces) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(INCLUDES) $(PKG_CFLAGS) -o $@ $< $(call libs_for,traces) $(PKG_LIBS)

# bench_render needs the viz layer (cairo, pango, SDL2) and the traces layer.
$(BUILD)/bench/bench_render: bench/bench_render.c $(call libs_for,viz) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(INCLUDES) $(PKG_CFLAGS) -o $@ $< $(call libs_for,viz) $(PKG_LIBS)

# BENCH_REPEAT: runs of each program, the fastest kept (wall time on a shared machine
# drifts; one run is not a measurement).
BENCH_REPEAT ?= 5
bench: all $(BENCH_BIN)
	@sh bench/run.sh $(BUILD) --repeat $(BENCH_REPEAT)

# The main job on a seed example: run it on virtual time, record it, draw it.
demo: all
	cd scenarios/seed && $(abspath $(BUILD))/aiosim run --trace $(abspath $(BUILD))/demo.db \
	    --timeline $(abspath $(BUILD))/demo.png s001_20_gather_stages.py
	@echo "trace: $(BUILD)/demo.db   timeline: $(BUILD)/demo.png"

clean:
	rm -rf build build-asan

-include $(ALL_OBJ:.o=.d) $(TEST_BIN:=.d)
