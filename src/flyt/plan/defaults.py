"""The default plan (default_plan.json, package data): transcribed from the seeds, each
item with a `_source` note naming the seed and what it says (docs/plan.md)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from flyt.plan.exchange import from_document
from flyt.plan.model import Plan

FILE = "default_plan.json"


@cache
def default_plan() -> Plan:
    text = (resources.files("flyt.plan") / FILE).read_text(encoding="utf-8")
    plan, problems = from_document(json.loads(text))
    assert not problems, [p.line("en") for p in problems]  # the package's own file
    return plan
