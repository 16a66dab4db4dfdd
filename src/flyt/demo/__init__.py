"""Synthetic demo data: calibrated, reproducible, no real patients.

The entry point is flyt.demo.generate.generate (not re-exported here, so that
`flyt.demo.generate` stays the module and can be patched and imported as one).
"""
