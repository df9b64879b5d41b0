# `make demo`: install what is missing, build the CLI and the Verilated tap + parser, generate the bundled backhaul
# scenario, run the RTL parser and the software reference detector over it and score the alerts against the
# ground truth (tools/demo.sh; docs/demo.md). Outputs go to $(DEMO_OUT).
DEMO_OUT ?= out/demo
demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j2 $(TAPWATCH) $(TAPWATCH_SIM) $(SCENARIO)
	@BUILD=$(BUILD) tools/demo.sh $(SCENARIO_DIR) $(DEMO_OUT)
