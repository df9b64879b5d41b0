# End-to-end replay tests (tests/scripts/test_replay.sh; docs/replay.md): `tapwatch replay` through the simulated
# device against `tapwatch analyze` on a small generated scenario and on the first frames of every shared capture.
SCENARIO_MINI := $(BUILD)/scenario-mini/backhaul.truth
$(SCENARIO_MINI): tools/gen_scenario.py
	@mkdir -p $(@D)
	$(PYTHON) tools/gen_scenario.py --duration 26 --no-exfil $(@D)

TEST_SCRIPTS += tests/scripts/test_replay.sh
tests/scripts/test_replay.sh: $(SCENARIO_MINI) $(TAPWATCH) $(TAPWATCH_SIM) tools/scenario_score.awk

# `make bench` rows: replay against analyze on the same frames, the simulated link's alert throughput.
BENCHES += tests/bench/bench_replay.sh
tests/bench/bench_replay.sh: $(SCENARIO_MINI) $(TAPWATCH) $(TAPWATCH_SIM)
