"""What-if simulation of the flow between hospital and municipalities (spec/capacity.md)."""
