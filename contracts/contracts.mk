# Contract generation: contracts/*.def -> rtl/gen/*.vh and host/include/tapwatch/tw_*.h (committed, checked).
CONTRACTS := meta counters protocol regs oui_entry prefix_entry port_entry rule_entry settings alert_rec flow_rec \
             pfx_iv_entry
GEN_VH := $(patsubst %,rtl/gen/tw_%.vh,$(CONTRACTS))
GEN_H := $(patsubst %,host/include/tapwatch/tw_%.h,$(CONTRACTS))

rtl/gen/tw_%.vh: contracts/%.def contracts/gen.awk
	@mkdir -p $(@D)
	awk -v out=vh -v guard=TW_$(shell echo $* | tr a-z A-Z) -f contracts/gen.awk $< > $@.tmp && mv $@.tmp $@
host/include/tapwatch/tw_%.h: contracts/%.def contracts/gen.awk
	awk -v out=h -v guard=TW_$(shell echo $* | tr a-z A-Z) -f contracts/gen.awk $< > $@.tmp && mv $@.tmp $@

.PHONY: gen check-gen
gen: $(GEN_VH) $(GEN_H)
# Fails when a committed generated file differs from what its contract produces.
check-gen:
	@set -e; for c in $(CONTRACTS); do \
	  G=TW_$$(echo $$c | tr a-z A-Z); \
	  awk -v out=vh -v guard=$$G -f contracts/gen.awk contracts/$$c.def | cmp -s - rtl/gen/tw_$$c.vh || { echo "rtl/gen/tw_$$c.vh is stale: run make gen"; exit 1; }; \
	  awk -v out=h -v guard=$$G -f contracts/gen.awk contracts/$$c.def | cmp -s - host/include/tapwatch/tw_$$c.h || { echo "host/include/tapwatch/tw_$$c.h is stale: run make gen"; exit 1; }; \
	done; echo "contracts: generated files up to date"
