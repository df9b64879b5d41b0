# `make demo`: install what is missing, build the CLI and the simulated device (tapwatch-sim), generate the demo
# scenario, replay it through the RTL with `tapwatch replay` and score the alerts against the ground truth
# (tools/demo.sh; docs/demo.md). Outputs go to $(DEMO_OUT).
# Default scenario: the short one (build/scenario-mini: every injected case but the 50 MB exfiltration, 2,607
# frames, a few minutes in Verilator). `make demo DEMO_FULL=1` replays the full bundled scenario (build/scenario,
# 39,109 frames, 6.7 M simulated clocks: tens of minutes on a 2-core machine).
DEMO_OUT ?= out/demo
ifeq ($(DEMO_FULL),1)
DEMO_TRUTH := $(SCENARIO)
else
DEMO_TRUTH := $(SCENARIO_MINI)
endif
demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j2 $(TAPWATCH) $(TAPWATCH_SIM) $(DEMO_TRUTH)
	@BUILD=$(BUILD) tools/demo.sh $(patsubst %/,%,$(dir $(DEMO_TRUTH))) $(DEMO_OUT)
