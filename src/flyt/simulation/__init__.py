"""What-if simulation (issue 15, spec/capacity.md "What-if simulation", docs/simulation.md):
the scenario files (`scenario`, pure) and the calibration data read from the store
(`calibration`) so far; the calibrated model comes next."""
