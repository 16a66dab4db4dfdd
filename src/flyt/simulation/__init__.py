"""What-if simulation (issue 15, spec/capacity.md "What-if simulation", docs/simulation.md):
the scenario files (`scenario`, pure) so far; the calibrated model comes next."""
