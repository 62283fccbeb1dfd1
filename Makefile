# ssrwatch — the two commands: `make run` and `make test`.  Both install what is missing
# (scripts/deps.sh), configure and build; nothing else needs to be done by hand.
BUILD       ?= build
BUILD_ASAN  ?= build-asan
BUILD_FUZZ  ?= build-fuzz
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 60
SAMPLE_DELEGATIONS ?= 200000
SAMPLE_DOMAINS ?= 100000

.PHONY: all deps build build-asan build-fuzz run test unit-asan fuzz bench format clean

all: build

deps:
	@bash scripts/deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DSSR_SANITIZE=ON >/dev/null
	cmake --build $(BUILD_ASAN) -j $(JOBS)

build-fuzz: deps
	CC=clang cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=Debug -DSSR_FUZZ=ON >/dev/null
	cmake --build $(BUILD_FUZZ) -j $(JOBS)

# The main job on generated samples, with the embedded SQLite store: zone health of a signed
# TLD zone, then abuse reporting over a sample TLD world (zones x feeds x registration data at
# seven snapshot dates) ending in the quarterly HTML report; then a sample abuse report portal
# (parties, logins, cases); then the DNS regression suite against Knot DNS and NSD, started on
# loopback by ssrwatch, into an HTML matrix, and the resolver suite against Unbound and BIND on
# the mock hierarchy (127.53.0.0/24 port 53: run as root) into another, and the root KSK
# rollover against the four resolvers into a third (exit status 1 there: PowerDNS Recursor,
# without RFC 5011, fails the rollover; that is its result, not an error of the run).
# A FULL escrow deposit of the old sample zone and a DIFF to the new one, validated (RST
# StandardRDE) into an HTML report, then the restore drill: the zone rebuilt from both, served by
# Knot DNS on loopback, every delegation checked against the new zone, its phase times stored.
# Then the simulated root server system (Knot DNS and NSD behind a fault-injecting relay on
# 127.12.0.0/16, three VPs, 24 five-minute intervals of 3 s) measured per RSSAC047 into the
# monthly HTML report.
# `make run PORTAL=1` ends by serving that portal on :8080.
run: build
	./$(BUILD)/ssrwatch gen zone --origin example --delegations $(SAMPLE_DELEGATIONS) --seed 1 \
		--signed --output $(BUILD)/sample.zone
	rm -f $(BUILD)/zone-sample.db
	./$(BUILD)/ssrwatch zone stats --store $(BUILD)/zone-sample.db --date 2026-11-23 $(BUILD)/sample.zone
	./$(BUILD)/ssrwatch zone history --store $(BUILD)/zone-sample.db
	./$(BUILD)/ssrwatch gen zone --origin example --delegations $(SAMPLE_DELEGATIONS) --seed 1 \
		--plain --output $(BUILD)/sample-old.zone
	awk 'NR % 50 != 0 || / A | AAAA /' $(BUILD)/sample-old.zone >$(BUILD)/sample-new.zone
	./$(BUILD)/ssrwatch zone diff --origin example --format json --output $(BUILD)/zone-diff.json \
		$(BUILD)/sample-old.zone $(BUILD)/sample-new.zone
	./$(BUILD)/ssrwatch zone diff --origin example $(BUILD)/sample-old.zone $(BUILD)/sample-new.zone | tail -3
	rm -rf $(BUILD)/escrow-sample
	./$(BUILD)/ssrwatch gen escrow --zone $(BUILD)/sample-old.zone --tld example \
		--dir $(BUILD)/escrow-sample --date 2026-11-22
	./$(BUILD)/ssrwatch gen escrow --zone $(BUILD)/sample-new.zone --diff-from $(BUILD)/sample-old.zone \
		--tld example --dir $(BUILD)/escrow-sample --date 2026-11-23
	./$(BUILD)/ssrwatch escrow validate $(BUILD)/escrow-sample/example_2026-11-22_full_S1_R0.xml \
		$(BUILD)/escrow-sample/example_2026-11-23_diff_S1_R0.xml --format html \
		--output $(BUILD)/escrow-validate.html
	./$(BUILD)/ssrwatch escrow drill --deposit $(BUILD)/escrow-sample/example_2026-11-22_full_S1_R0.xml \
		--deposit $(BUILD)/escrow-sample/example_2026-11-23_diff_S1_R0.xml --apex $(BUILD)/sample-new.zone \
		--compare-zone $(BUILD)/sample-new.zone --dir $(BUILD)/escrow-sample/drill --listen 127.0.0.1 \
		--port $$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') \
		--store $(BUILD)/zone-sample.db
	bash scripts/sample.sh ./$(BUILD)/ssrwatch $(BUILD)/abuse-sample $(SAMPLE_DOMAINS)
	./$(BUILD)/ssrwatch regress run --zone example --impl knot,nsd --record $(BUILD)/regress.rec \
		--format html --output $(BUILD)/regress.html
	./$(BUILD)/ssrwatch regress run --zone example --impl knot,nsd
	./$(BUILD)/ssrwatch regress run --impl unbound,bind --format html \
		--output $(BUILD)/regress-resolvers.html
	./$(BUILD)/ssrwatch regress run --impl unbound,kresd,bind,pdns-recursor --suite ksk-rollover \
		--format html --output $(BUILD)/regress-rollover.html || [ $$? -eq 1 ]
	SSRWATCH=./$(BUILD)/ssrwatch bash scripts/rss-sim.sh $(BUILD)/rss-sample
	./$(BUILD)/ssrwatch rss report --month 2026-11 --format html \
		--output $(BUILD)/rss-report.html $(BUILD)/rss-sample/state/*.state
	./$(BUILD)/ssrwatch rss report --month 2026-11 $(BUILD)/rss-sample/state/*.state
	bash scripts/portal-sample.sh ./$(BUILD)/ssrwatch $(BUILD)/portal-sample $(if $(PORTAL),serve)

# The whole suite: unit + integration tests, the same under ASan+UBSan, and a bounded fuzz run.
test: build build-asan build-fuzz
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)
	bash tests/fuzz/run.sh $(BUILD_FUZZ) $(FUZZ_SECONDS)

# Benchmarks against peer tools (not part of make test): bench/out/*.md, docs/PERFORMANCE.md.
# bench/abuse at the issue's size (20M x 2M) takes ~15 minutes; ABUSE_BENCH="2000000 200000"
# for a quick run.
ABUSE_BENCH ?= 20000000 2000000
bench: build
	bash bench/zone/run.sh
	bash bench/abuse/run.sh $(ABUSE_BENCH)
	bash bench/portal/run.sh
	bash bench/names/run.sh
	bash bench/probe/run.sh
	bash bench/regress/run.sh
	bash bench/scale/run.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
