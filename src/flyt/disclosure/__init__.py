"""Disclosure control for everything that leaves the owning organisation
(spec/kpi.md, "Disclosure control").

* ``gauss``   — exact linear algebra: secondary suppression and the audit.
* ``model``   — the KPI table's cells as vectors over atoms.
* ``pattern`` — primary rule, key cells, the least-information-loss order; the
  hidden cells of one result set.
* ``audit``   — checks what any shared output shows against every relation at once.
"""
