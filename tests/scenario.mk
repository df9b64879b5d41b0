# The labelled backhaul scenario (tools/gen_scenario.py, seeded: a capture and its ground truth; docs/demo.md) and
# its end-to-end test (tests/scripts/test_scenario.sh): the reference detector against the truth, the RTL parser
# over every frame. The truth file is written last, so it stands for both files.
SCENARIO_DIR := $(BUILD)/scenario
SCENARIO     := $(SCENARIO_DIR)/backhaul.truth
$(SCENARIO): tools/gen_scenario.py
	@mkdir -p $(@D)
	$(PYTHON) tools/gen_scenario.py $(@D)
.PHONY: scenario
scenario: $(SCENARIO)

TEST_SCRIPTS += tests/scripts/test_scenario.sh
tests/scripts/test_scenario.sh: $(SCENARIO) $(TAPWATCH) $(TAPWATCH_SIM) tools/scenario_score.awk
