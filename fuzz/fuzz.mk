# Builds the libFuzzer targets with clang outside Bazel (Bazel's toolchain here is gcc, and
# libFuzzer exists only in clang). Used by tools/fuzz.sh:
#   make -f fuzz/fuzz.mk OUT=DIR -j2
# Objects are kept in OUT, so a rebuild compiles only what changed (-MMD dependencies).
CXX := clang++-14
CC := clang-14
OUT ?= /tmp/quorumsim-fuzz
SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FLAGS := -O1 -g -fno-omit-frame-pointer $(SAN) -I. -Iapi/include -Wall -Wextra -Werror -MMD
CXXFLAGS := -std=c++20 $(FLAGS)
CFLAGS := -std=c11 $(FLAGS)
LDFLAGS := -fsanitize=fuzzer,address,undefined -ldl -lpthread

LIB_SRCS := $(wildcard engine/*.cc engine/internal/*.cc sim/internal/*.cc api/src/*.cc) \
            $(filter-out sim/main.cc,$(wildcard sim/*.cc))
LIB_CSRCS := $(wildcard api/src/*.c)
LIB_OBJS := $(LIB_SRCS:%.cc=$(OUT)/%.o) $(LIB_CSRCS:%.c=$(OUT)/%.o)
FUZZERS := conf_fuzzer script_fuzzer api_fuzzer services_fuzzer

all: $(FUZZERS:%=$(OUT)/%)

$(OUT)/%_fuzzer: $(OUT)/fuzz/%_fuzzer.o $(LIB_OBJS)
	$(CXX) $^ $(LDFLAGS) -o $@

$(OUT)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -c $< -o $@

$(OUT)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

-include $(shell find $(OUT) -name '*.d' 2>/dev/null)
