# tapwatch on the Digilent Nexys Video (Rev. A): Xilinx Artix-7 XC7A200T-1SBG484C. Top: rtl/boards/tw_nexys_video.v.
# Pins from the board's public master constraints and reference manual. Ethernet (RTL8211E) is in the 2.5 V bank
# 13, DPTI (FT2232H channel A) in the 3.3 V bank 14.

set_property CFGBVS VCCO [current_design]
set_property CONFIG_VOLTAGE 3.3 [current_design]

# ---- 100 MHz oscillator and CPU_RESET button (active low)
set_property -dict {PACKAGE_PIN R4 IOSTANDARD LVCMOS33} [get_ports sysclk]
create_clock -name sysclk -period 10.000 [get_ports sysclk]
set_property -dict {PACKAGE_PIN G4 IOSTANDARD LVCMOS15} [get_ports cpu_resetn]
set_false_path -from [get_ports cpu_resetn]

# ---- LEDs
set_property -dict {PACKAGE_PIN T14 IOSTANDARD LVCMOS25} [get_ports {led[0]}]
set_property -dict {PACKAGE_PIN T15 IOSTANDARD LVCMOS25} [get_ports {led[1]}]
set_property -dict {PACKAGE_PIN T16 IOSTANDARD LVCMOS25} [get_ports {led[2]}]
set_property -dict {PACKAGE_PIN U16 IOSTANDARD LVCMOS25} [get_ports {led[3]}]
set_property -dict {PACKAGE_PIN V15 IOSTANDARD LVCMOS25} [get_ports {led[4]}]
set_property -dict {PACKAGE_PIN W16 IOSTANDARD LVCMOS25} [get_ports {led[5]}]
set_property -dict {PACKAGE_PIN W15 IOSTANDARD LVCMOS25} [get_ports {led[6]}]
set_property -dict {PACKAGE_PIN Y13 IOSTANDARD LVCMOS25} [get_ports {led[7]}]
set_false_path -to [get_ports {led[*]}]

# ---- Ethernet PHY (RGMII)
set_property -dict {PACKAGE_PIN U7  IOSTANDARD LVCMOS33} [get_ports eth_rst_b]
set_property -dict {PACKAGE_PIN AA16 IOSTANDARD LVCMOS25} [get_ports eth_mdc]
set_property -dict {PACKAGE_PIN Y16 IOSTANDARD LVCMOS25} [get_ports eth_mdio]
set_property -dict {PACKAGE_PIN V13 IOSTANDARD LVCMOS25} [get_ports eth_rxck]
set_property -dict {PACKAGE_PIN W10 IOSTANDARD LVCMOS25} [get_ports eth_rxctl]
set_property -dict {PACKAGE_PIN AB16 IOSTANDARD LVCMOS25} [get_ports {eth_rxd[0]}]
set_property -dict {PACKAGE_PIN AA15 IOSTANDARD LVCMOS25} [get_ports {eth_rxd[1]}]
set_property -dict {PACKAGE_PIN AB15 IOSTANDARD LVCMOS25} [get_ports {eth_rxd[2]}]
set_property -dict {PACKAGE_PIN AB11 IOSTANDARD LVCMOS25} [get_ports {eth_rxd[3]}]
set_property -dict {PACKAGE_PIN AA14 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports eth_txck]
set_property -dict {PACKAGE_PIN V10 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports eth_txctl]
set_property -dict {PACKAGE_PIN Y12 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {eth_txd[0]}]
set_property -dict {PACKAGE_PIN W12 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {eth_txd[1]}]
set_property -dict {PACKAGE_PIN W11 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {eth_txd[2]}]
set_property -dict {PACKAGE_PIN Y11 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {eth_txd[3]}]
set_false_path -to [get_ports {eth_rst_b eth_mdc eth_mdio}]

# RGMII receive: 125 MHz, data edge-aligned with RXC at the pins (the PHY adds no RX delay); the IDELAYE2 taps in
# rtl/boards/xilinx/tw_rgmii_ddr.v centre it. RGMII v2.0 allows +-0.5 ns skew between RXC and data at the source.
create_clock -name eth_rxck -period 8.000 [get_ports eth_rxck]
create_clock -name eth_rxck_virt -period 8.000
set_input_delay -clock eth_rxck_virt -max 0.500 [get_ports {eth_rxd[*] eth_rxctl}]
set_input_delay -clock eth_rxck_virt -min -0.500 [get_ports {eth_rxd[*] eth_rxctl}]
set_input_delay -clock eth_rxck_virt -clock_fall -max 0.500 -add_delay [get_ports {eth_rxd[*] eth_rxctl}]
set_input_delay -clock eth_rxck_virt -clock_fall -min -0.500 -add_delay [get_ports {eth_rxd[*] eth_rxctl}]
# edge-aligned DDR capture: only same-edge paths are real (rise->rise is the next-cycle sample)
set_false_path -setup -rise_from [get_clocks eth_rxck_virt] -rise_to [get_clocks eth_rxck]
set_false_path -setup -fall_from [get_clocks eth_rxck_virt] -fall_to [get_clocks eth_rxck]
set_false_path -hold -rise_from [get_clocks eth_rxck_virt] -fall_to [get_clocks eth_rxck]
set_false_path -hold -fall_from [get_clocks eth_rxck_virt] -rise_to [get_clocks eth_rxck]

# RGMII transmit (unused by the monitor-only top, kept constrained): TXC is forwarded from the 90-degree MMCM
# output, so data at the pins leads TXC by 2 ns.
create_generated_clock -name eth_txck -source [get_pins clocks/mmcm/CLKOUT1] -multiply_by 1 [get_ports eth_txck]
set_output_delay -clock eth_txck -max 1.000 [get_ports {eth_txd[*] eth_txctl}]
set_output_delay -clock eth_txck -min -0.800 [get_ports {eth_txd[*] eth_txctl}]
set_output_delay -clock eth_txck -clock_fall -max 1.000 -add_delay [get_ports {eth_txd[*] eth_txctl}]
set_output_delay -clock eth_txck -clock_fall -min -0.800 -add_delay [get_ports {eth_txd[*] eth_txctl}]

# ---- DPTI: FT2232H channel A, 245 synchronous FIFO, 60 MHz CLKOUT
set_property -dict {PACKAGE_PIN Y18 IOSTANDARD LVCMOS33} [get_ports prog_clko]
set_property -dict {PACKAGE_PIN U20 IOSTANDARD LVCMOS33} [get_ports {prog_d[0]}]
set_property -dict {PACKAGE_PIN P14 IOSTANDARD LVCMOS33} [get_ports {prog_d[1]}]
set_property -dict {PACKAGE_PIN P15 IOSTANDARD LVCMOS33} [get_ports {prog_d[2]}]
set_property -dict {PACKAGE_PIN U17 IOSTANDARD LVCMOS33} [get_ports {prog_d[3]}]
set_property -dict {PACKAGE_PIN R17 IOSTANDARD LVCMOS33} [get_ports {prog_d[4]}]
set_property -dict {PACKAGE_PIN P16 IOSTANDARD LVCMOS33} [get_ports {prog_d[5]}]
set_property -dict {PACKAGE_PIN R18 IOSTANDARD LVCMOS33} [get_ports {prog_d[6]}]
set_property -dict {PACKAGE_PIN N14 IOSTANDARD LVCMOS33} [get_ports {prog_d[7]}]
set_property -dict {PACKAGE_PIN V17 IOSTANDARD LVCMOS33} [get_ports prog_oen]
set_property -dict {PACKAGE_PIN P19 IOSTANDARD LVCMOS33} [get_ports prog_rdn]
set_property -dict {PACKAGE_PIN N17 IOSTANDARD LVCMOS33} [get_ports prog_rxen]
set_property -dict {PACKAGE_PIN P17 IOSTANDARD LVCMOS33} [get_ports prog_siwun]
set_property -dict {PACKAGE_PIN Y19 IOSTANDARD LVCMOS33} [get_ports prog_txen]
set_property -dict {PACKAGE_PIN R19 IOSTANDARD LVCMOS33} [get_ports prog_wrn]
create_clock -name prog_clko -period 16.667 [get_ports prog_clko]
# FT2232H sync FIFO: CLKOUT -> RXF#/TXE#/data valid within 9 ns; OE#/RD#/WR#/data need 7.5 ns setup, 0 hold
set_input_delay -clock prog_clko -max 9.000 [get_ports {prog_d[*] prog_rxen prog_txen}]
set_input_delay -clock prog_clko -min 0.000 [get_ports {prog_d[*] prog_rxen prog_txen}]
set_output_delay -clock prog_clko -max 7.500 [get_ports {prog_d[*] prog_oen prog_rdn prog_wrn prog_siwun}]
set_output_delay -clock prog_clko -min 0.000 [get_ports {prog_d[*] prog_oen prog_rdn prog_wrn prog_siwun}]
set_property IOB TRUE [get_ports {prog_d[*] prog_oen prog_rdn prog_wrn prog_siwun}]

# ---- clock groups: every crossing goes through Gray-code FIFOs or two-flop synchronisers
set_clock_groups -asynchronous \
    -group [get_clocks -include_generated_clocks sysclk] \
    -group [get_clocks {eth_rxck eth_rxck_virt}] \
    -group [get_clocks prog_clko]
