"""Helpers shared by the KPI tests: record builders and the reference implementation."""
