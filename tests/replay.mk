# End-to-end replay tests (docs/replay.md "Tests"): `tapwatch replay` through the simulated device against
# `tapwatch analyze`: tests/scripts/test_replay.sh (error paths, the small generated scenario),
# test_replay_corpus.sh (every frame of every shared Ethernet capture) and test_replay_scenario.sh (the full bundled
# scenario), separate scripts so that tools/run-tests.sh runs them in parallel.
SCENARIO_MINI := $(BUILD)/scenario-mini/backhaul.truth
$(SCENARIO_MINI): tools/gen_scenario.py
	@mkdir -p $(@D)
	$(PYTHON) tools/gen_scenario.py --duration 26 --no-exfil $(@D)

TEST_SCRIPTS += tests/scripts/test_replay.sh tests/scripts/test_replay_corpus.sh tests/scripts/test_replay_scenario.sh
tests/scripts/test_replay.sh: $(SCENARIO_MINI) $(TAPWATCH) $(TAPWATCH_SIM) tools/scenario_score.awk
tests/scripts/test_replay_corpus.sh: $(TAPWATCH) $(TAPWATCH_SIM)
tests/scripts/test_replay_scenario.sh: $(SCENARIO) $(TAPWATCH) $(TAPWATCH_SIM) tools/scenario_score.awk

# The shipped CLI and library under valgrind's memcheck (rules, analyze, replay, the device commands): the host unit
# tests run under ASan/UBSan, this covers the plain binary; about 40 s.
TEST_SCRIPTS += tests/scripts/test_valgrind.sh
tests/scripts/test_valgrind.sh: $(SCENARIO_MINI) $(TAPWATCH) $(TAPWATCH_SIM)

# `make bench` rows: replay against analyze on the same frames, the simulated link's alert throughput.
BENCHES += tests/bench/bench_replay.sh
tests/bench/bench_replay.sh: $(SCENARIO_MINI) $(TAPWATCH) $(TAPWATCH_SIM)
