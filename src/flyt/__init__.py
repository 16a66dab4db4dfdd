"""Flyt: patient flow statistics for a Norwegian health community."""

__version__ = "0.1.0"
