# facemirror: the two commands a new user needs are `make demo` and `make test`.
SAMPLE := sample/grace_hopper_rot.mp4
PHOTO := /usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg
OUT ?= out
# Debug builds (the tests) compile the C++ shim at -O2: dlib at -O0 is ~100x slower (see Package.swift).
export FACEMIRROR_DEBUG_O2 := 1

.PHONY: setup sample build demo test bench clean

setup:
	bash scripts/env/setup.sh

$(SAMPLE): scripts/fixtures/make_sample.py | setup
	mkdir -p sample
	/usr/bin/python3 scripts/fixtures/make_sample.py $(PHOTO) $(SAMPLE)

sample: setup $(SAMPLE)

build: setup
	swift build -c release

# Mirrors the bundled sample into $(OUT)/ with the default (dlib) stack.
demo: sample build
	.build/release/facemirror process $(SAMPLE) -o $(OUT) --overwrite

test: sample
	swift test --disable-swift-testing

# Release-build speed on a 720p clip (see README, "Speed").
bench: sample build
	bash scripts/bench/bench.sh

clean:
	rm -rf .build sample $(OUT)
