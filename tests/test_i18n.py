"""Every user-facing text key exists in both languages (flyt.i18n), and a missing one is
not silent.

The keys are found by reading the code: string literals passed to `t(...)` /
`i18n.t(...)` in the Python modules (their syntax tree) and in the Jinja templates
(Jinja's own parser). A key built at run time (`t(sector)`, `t(goal.status)`,
`f"kpi{k}_short"`) is followed to the string literals assigned to it where it is
local, and otherwise enumerated in RUNTIME_KEYS below from the code lists it comes
from. A new run-time key that RUNTIME_KEYS does not know fails the test, naming the
place, so that the list cannot fall behind the code; an entry no lookup uses any more
fails too, so that it cannot stay behind either.

Besides `t(...)`, a lookup is `Text.of(key, ...)` (flyt.ingest.errors.Text: words
looked up when they are said), and the `word` filter (flyt.web.pages.words): a code
Flyt writes itself is said in words, a code a user chose (a source's name) as it is.
"""

from __future__ import annotations

import ast
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes

from flyt import i18n
from flyt.accounts import ROLES
from flyt.capacity import escalation as capacity_escalation
from flyt.capacity import escalation_alert, escalation_text
from flyt.capacity import report as capacity_report
from flyt.capacity import text as capacity_text
from flyt.deviations import answer_mail, incident, learning
from flyt.deviations.annual import NOTES
from flyt.deviations.codes import DEFAULT_CATEGORIES, LEVELS, NOTIFIABLE, SEVERITIES, STATUSES
from flyt.deviations.pages import learning as learning_pages
from flyt.deviations.reminders import DIGEST_KIND, REMINDER_KIND
from flyt.deviations.report import KIND_ORDER
from flyt.deviations.workflow import TRANSITIONS
from flyt.distribution.settings import KINDS
from flyt.domain import codes
from flyt.ingest.kinds import KIND_SPECS
from flyt.plan import notify as plan_notify
from flyt.reports.monthly import TABLE_KPIS
from flyt.simulation import run as sim_run
from flyt.simulation import scenario as sim_scenario
from flyt.simulation import summary as sim_summary
from flyt.simulation import text as sim_text
from flyt.web.auth import fields
from flyt.web.pages.words import AUDIT_ACTIONS
from tests.support.source import SRC, syntax_tree, texts

# Every template, an area's pages in templates/pages too (flyt.deviations).
TEMPLATES = sorted(SRC.rglob("templates/**/*.j2"))


# --- reading the Python modules -------------------------------------------------------

def python_files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def calls(path: Path) -> Iterator[ast.Call]:
    for node in ast.walk(syntax_tree(path)):
        if isinstance(node, ast.Call):
            yield node


def call_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(
        func, ast.Attribute) else None


def is_text_lookup(call: ast.Call) -> bool:
    """`i18n.t(...)`, or `t(...)`: flyt.i18n.t imported, or a local `t` wrapping it; or
    `Text.of(...)`, whose key Text looks up when it is said."""
    func = call.func
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        return (owner, func.attr) in (("i18n", "t"), ("Text", "of"))
    return isinstance(func, ast.Name) and func.id == "t"


def positional_strings(function: str, index: int) -> set[str]:
    """The string literals passed as argument `index` to calls of `function` anywhere."""
    return {value for path in python_files() for call in calls(path)
            if call_name(call) == function and len(call.args) > index
            for value in texts(call.args[index:index + 1])}


def keyword_strings(function: str | None, keyword: str) -> set[str]:
    """The string literals passed as `keyword=` to calls of `function` (None: of any
    function) anywhere."""
    return {value for path in python_files() for call in calls(path)
            if function is None or call_name(call) == function
            for value in texts([k.value for k in call.keywords if k.arg == keyword])}


def is_audit_entry(call: ast.Call) -> bool:
    """`audit.record(...)` or `audit.record_as(...)` (flyt.accounts.audit)."""
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr in ("record", "record_as")
            and isinstance(func.value, ast.Name) and func.value.id == "audit")


def argument_values(is_call: Callable[[ast.Call], bool], index: int, keyword: str) -> set[str]:
    """What the argument at `index` (or `keyword=`) of the calls `is_call` picks can be,
    where the code says it: literals, either side of `x if c else y`, local names
    assigned literals. Other values (an f-string with a count in it) are left out."""
    found: set[str] = set()
    for path in python_files():
        for call in calls(path):
            if not is_call(call):
                continue
            given = call.args[index:index + 1] + [k.value for k in call.keywords
                                                   if k.arg == keyword]
            for value in given:
                found |= resolve(value, f"{path.relative_to(SRC.parent)}:{call.lineno}")[0]
    return found


def parameter_defaults(parameter: str) -> set[str]:
    """The string literals a parameter named `parameter` has as its default, anywhere."""
    found: set[str] = set()
    for path in python_files():
        for node in ast.walk(syntax_tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args
                positional = arguments.posonlyargs + arguments.args
                defaults = [*zip(positional[len(positional) - len(arguments.defaults):],
                                 arguments.defaults, strict=True),
                            *zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)]
                found |= texts([d for a, d in defaults if a.arg == parameter and d is not None])
    return found


def returned_strings(module: str, function: str) -> set[str]:
    """The string literals `function` of `module` returns."""
    for node in ast.walk(syntax_tree(SRC / module)):
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return texts([r.value for r in ast.walk(node)
                         if isinstance(r, ast.Return) and r.value is not None])
    raise AssertionError(f"{module} has no function {function}")


def assigned_strings(module: str, name: str) -> set[str]:
    """The string literals assigned to `name` in `module` (also `name, x = "a", y`)."""
    found: set[str] = set()
    for node in ast.walk(syntax_tree(SRC / module)):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                found |= texts([value for target_name, value in pairs(target, node.value)
                               if target_name == name])
    return found


def class_strings(module: str, name: str) -> set[str]:
    """The string literals assigned to `name` in the class bodies of `module`."""
    return {value for node in ast.walk(syntax_tree(SRC / module)) if isinstance(node, ast.ClassDef)
            for statement in node.body if isinstance(statement, ast.Assign)
            for target in statement.targets
            for value in texts([v for n, v in pairs(target, statement.value) if n == name])}


def pairs(target: ast.expr, value: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    """(name, value) of an assignment, tuple unpacking included."""
    if isinstance(target, ast.Name):
        yield target.id, value
    elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
        for t, v in zip(target.elts, value.elts, strict=False):
            yield from pairs(t, v)


# --- where the run-time keys come from --------------------------------------------------

SECTOR_CODES = (*codes.SECTORS, codes.ALL_SECTORS)


def goal_statuses() -> set[str]:
    return returned_strings("domain/goals.py", "status")


def dict_values(module: str, key: str) -> set[str]:
    """What the value under `key` in the dict displays of `module` can be: a literal, or
    a name bound by a loop over a literal tuple (`for f in ("pdf", "xlsx")`)."""
    found: set[str] = set()
    for node in ast.walk(syntax_tree(SRC / module)):
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values, strict=True):
                if isinstance(k, ast.Constant) and k.value == key:
                    values, unknown = resolve(v, f"flyt/{module}:{v.lineno}")
                    assert unknown == [], unknown
                    found |= values
    return found


def import_statuses() -> set[str]:
    """An import's status: the fourth argument (or `status=`) of ImportReport(...)."""
    return positional_strings("ImportReport", 3) | keyword_strings("ImportReport", "status")


def prefixed(prefix: str, values: Iterable[str]) -> set[str]:
    return {f"{prefix}{v}" for v in values}


def user_error_codes() -> set[str]:
    """The `code` of a users.UserError or a passwords.WeakPassword (message, code)."""
    return {code for error in ("UserError", "WeakPassword")
            for code in positional_strings(error, 1) | keyword_strings(error, "code")}


def audit_actions() -> set[str]:
    """Every action the audit log records, and the list its page filters by."""
    return argument_values(is_audit_entry, 2, "action") | set(AUDIT_ACTIONS)


def audit_details() -> set[str]:
    """The details the audit log records as fixed words ("password", "linked"); the
    others (counts, names) are said in parts by words.audit_detail."""
    return argument_values(is_audit_entry, 4, "detail")


def flyt_sources() -> set[str]:
    """The sources Flyt names itself: the default of a `source` parameter ("default"),
    a literal `source=` (the demo data), and the PLO replay's SOURCE."""
    return (parameter_defaults("source") | keyword_strings(None, "source")
            | assigned_strings("plo/replay.py", "SOURCE"))


# words.word(code, kind): the codes of each kind Flyt writes itself.
WORD_CODES: dict[str, Callable[[], Iterable[str]]] = {
    "kind": lambda: KIND_SPECS,  # import kinds
    "source": flyt_sources,
    "action": audit_actions,
    "detail": audit_details,
    "role": lambda: ROLES,  # in an audit detail: "role=analyst"
    "devann_cat": lambda: DEFAULT_CATEGORIES,  # the deviations' pages: a category
}


def word_kinds() -> set[str]:
    """The kinds `word` is asked for: word(code, "kind") in the modules, and
    `code | word("kind", lang)` in the templates."""
    in_templates = {f.args[0].value for path in TEMPLATES for f in
                    jinja_tree(path).find_all(nodes.Filter)
                    if f.name == "word" and f.args and isinstance(f.args[0], nodes.Const)}
    return positional_strings("word", 1) | in_templates


def word_keys() -> set[str]:
    return {f"{kind}_{code}" for kind in word_kinds() for code in WORD_CODES[kind]()}


# An expression (as written in the code) whose value is a text key → every key it can be.
# A name that says little on its own is given with its module ("flyt/x.py: key").
RUNTIME_KEYS: dict[str, Callable[[], Iterable[str]]] = {
    # the what-if's measures, runs and steps (flyt.simulation.words)
    "flyt/simulation/words.py: f'sim_measure_{measure}'": lambda: {
        f"sim_measure_{m}" for m in sim_summary.MEASURES},
    "flyt/simulation/words.py: f'sim_run_{run}'": lambda: {
        f"sim_run_{r}" for r in sim_summary.RUNS},
    "flyt/simulation/words.py: f'sim_step_{step}'": lambda: {
        f"sim_step_{s}" for s in sim_run.STEPS},
    "flyt/simulation/words.py: f'sim_kind_{change.kind}'": lambda: {
        f"sim_kind_{k}" for k in sim_scenario.KINDS},
    # the what-if page's change kinds in words (flyt.simulation.pages.view)
    "f'simpage_kind_{kind}'": lambda: {f"simpage_kind_{k}" for k in sim_scenario.KINDS},
    "f'simpage_help_{kind}'": lambda: {f"simpage_help_{k}" for k in sim_scenario.KINDS},
    # sector codes (flyt.domain.codes)
    **dict.fromkeys(("sector", "s", "goal.sector"), lambda: SECTOR_CODES),
    # goal statuses (flyt.domain.goals.status), alone and as the short form
    **dict.fromkeys(("goal.status", "g.status", "status"), goal_statuses),
    "line.status + '_short'": lambda: {f"{s}_short" for s in goal_statuses()},
    # the KPIs beside UKP days in the monthly report's tables
    "f'kpi{k}_short'": lambda: {f"kpi{k}_short" for k in TABLE_KPIS},
    # the mailed reports (flyt.distribution.settings.KINDS) and their send log
    **dict.fromkeys(("f'dist_kind_{k}'", "f'dist_kind_{kind}'", "f'dist_kind_{slot.kind}'"),
                    lambda: {f"dist_kind_{k}" for k in KINDS}),
    # the send log lists every kind: the reports', the deviations', the plan's and the
    # escalation levels' mails
    "f'dist_kind_{row.kind}'": lambda: {f"dist_kind_{k}" for k in (
        *KINDS, REMINDER_KIND, DIGEST_KIND, answer_mail.KIND, plan_notify.KIND,
        escalation_alert.KIND)},
    "f'dist_status_{row.status}'": lambda: {
        f"dist_status_{s}" for s in assigned_strings("distribution/delivery.py", "status")},
    # a page's title: the `title=` of @page(...) and render_page(...)
    "title": lambda: keyword_strings("page", "title") | keyword_strings("render_page", "title"),
    # the sign-in page's error: the `error=` of login_form(...)
    "flyt/web/auth/routes.py: error": lambda: keyword_strings("login_form", "error"),
    # a form field's name in "too long" (flyt.web.auth.fields.LIMITS: limit, label)
    "flyt/web/auth/fields.py: label": lambda: {label for _, label in fields.LIMITS.values()},
    # the users page: a refusal (user_error_<code>; a fields.TooLong, without a code, is
    # already a sentence), the change just made (what its handlers pass to _after), the
    # roles (flyt.web.deps.ROLES)
    "getattr(refused, 'code', '')": user_error_codes,
    "'user_done_' ~ data.done": lambda: prefixed("user_done_", positional_strings("_after", 2)),
    **dict.fromkeys(("'role_' ~ u.role", "'role_' ~ r"), lambda: prefixed("role_", ROLES)),
    # the data page's import log, and an upload's status in the audit log's details
    **dict.fromkeys(("'import_' ~ h.status", "'import_' + m[1]"),
                    lambda: prefixed("import_", import_statuses())),
    # the reports page: a link's format; why there is no payment basis (the key of a
    # PaymentError(message, key), or of a PaymentConfigError's class, e.g. NoDayRate)
    "'format_' ~ link.format": lambda: prefixed(
        "format_", dict_values("web/pages/reports.py", "format")
        | dict_values("payment/pages.py", "format")),
    "getattr(error, 'key', None)": lambda: (positional_strings("PaymentError", 1)
                                            | keyword_strings("PaymentError", "key")
                                            | class_strings("payment/rates.py", "key")),
    # the trends page: whether lower or higher is better (flyt.domain.codes.Better)
    "'better_' ~ data.better": lambda: prefixed("better_", (b.value for b in codes.Better)),
    # Flyt's own codes as words (the `word` filter)
    "flyt/web/pages/words.py: f'{kind}_{text}'": word_keys,
    # ingest: Text's own lookup of its key (each Text.of(key, ...) is read as a lookup
    # where it is written); a Text read back from the checks' error table (its key is a
    # Check's, or a Text.of's in flyt.ingest.national_ids); what records an import
    # found elsewhere are (flyt.ingest.elsewhere: one import kind)
    "flyt/ingest/errors.py: self.key": lambda: (),
    "flyt/ingest/checks.py: key": lambda: keyword_strings("Check", "key"),
    "flyt/ingest/elsewhere.py: self.kind": lambda: KIND_SPECS,
    # deviations: an error's key, the first argument of each refusal where it is raised
    "flyt/deviations/errors.py: self.key": lambda: set().union(*(
        positional_strings(error, 0) for error in (
            "InvalidDeviation", "TransitionRefused", "StaleVersion", "DeviationNotFound",
            "NotAllowed")),
        keyword_strings(None, "refusal"),  # a helper's refusal (flyt.deviations.learning)
        {f"dev_transition_not_{side}" for side in ("reporter", "receiver", "system")}),
    # the deviations' annual report: a code's label (its prefix and the codes, where Flyt
    # has words for them; otherwise the code itself), a kind's, a section's note
    "flyt/deviations/annual.py: _LABEL_PREFIX[dimension] + value": lambda: {
        key for key in i18n._TEXT if key.startswith(("devann_cat_", "devann_sev_",
                                                     "devann_level_", "devann_status_"))},
    "flyt/deviations/annual.py: kind": lambda: KIND_ORDER,
    "flyt/deviations/annual.py: NOTES[dimension]": lambda: set(NOTES.values()),
    # deviations reminders: the late step, a status, the send log's kinds of its mails
    "flyt/deviations/reminders.py: late": lambda: ("acknowledge", "answer"),
    "flyt/deviations/reminders.py: code": lambda: STATUSES,
    "flyt/deviations/reminders.py: mail.kind": lambda: (REMINDER_KIND, DIGEST_KIND),
    # the deviations' list and page: a code in words, a step's button, a late step
    **dict.fromkeys(("'devann_sev_' ~ d.severity", "'devann_sev_' ~ r.severity",
                     "'devann_sev_' ~ sev"), lambda: prefixed("devann_sev_", SEVERITIES)),
    **dict.fromkeys(("'devann_status_' ~ code", "'devann_status_' ~ r.status",
                     "'devann_status_' ~ st"), lambda: prefixed("devann_status_", STATUSES)),
    "'devann_level_' ~ d.level": lambda: prefixed("devann_level_", LEVELS),
    "'devcase_action_' ~ to": lambda: prefixed("devcase_action_", TRANSITIONS),
    "'devcase_overdue_' ~ o": lambda: ("devcase_overdue_acknowledge", "devcase_overdue_answer"),
    # deviations import: a refusal's key, shown as a bad row's reason
    "flyt/deviations/importing.py: refused.key": lambda: set().union(*(
        positional_strings(error, 0) for error in ("InvalidDeviation",))),
}
# deviations learning: a measure's status, what a change did, the incident record's
# notification choices, checklist steps and a notifiable severity
RUNTIME_KEYS.update({
    "measure_status": lambda: learning.STATUSES,  # f"learn_status_{measure_status}"
    **dict.fromkeys(("'learn_status_' ~ s", "'learn_status_' ~ m.status"),
                    lambda: prefixed("learn_status_", learning.STATUSES)),
    "'learn_done_' ~ data.done": lambda: prefixed("learn_done_", learning_pages.DONE),
    "'incident_notice_' ~ n": lambda: prefixed("incident_notice_", incident.NOTICES),
    "'incident_step_' ~ s.code": lambda: prefixed("incident_step_", incident.STEPS),
    "'devann_sev_' ~ data.severity": lambda: prefixed("devann_sev_", NOTIFIABLE),
})
# capacity forecast: an error's key, the backtest table's headings and groups
RUNTIME_KEYS.update({
    "flyt/capacity/commands.py: error.key": lambda: positional_strings("ForecastError", 0),
    "flyt/capacity/text.py: k": lambda: capacity_text.HEADER_KEYS,
    # the what-if validation's table: its columns and its two coverage lines
    "flyt/simulation/text.py: k": lambda: sim_text.HEADER_KEYS,
    "flyt/simulation/text.py: key": lambda: sim_text.COVERAGE_KEYS,
    "GROUP_KEYS[group]": lambda: capacity_text.GROUP_KEYS.values(),
})
# capacity escalation: the levels' names, the table's headings, the indicators' names
RUNTIME_KEYS.update({
    "LEVEL_KEYS[level]": lambda: capacity_escalation.LEVEL_KEYS.values(),
    "flyt/capacity/escalation_text.py: k": lambda: escalation_text.HEADER_KEYS,
    **dict.fromkeys(("INDICATOR_KEYS[indicator.name]", "INDICATOR_KEYS[m]",
                     "INDICATOR_KEYS[name]"),
                    lambda: escalation_text.INDICATOR_KEYS.values()),
})
# capacity report: the units' kinds and the seasons' names
RUNTIME_KEYS.update({
    **dict.fromkeys(("KIND_KEYS[b.kind]", "KIND_KEYS[x.beds.kind]"),
                    lambda: capacity_report.KIND_KEYS.values()),
    **dict.fromkeys(("SEASON_KEYS[period.kind]", "SEASON_KEYS[p.kind]"),
                    lambda: capacity_report.SEASON_KEYS.values()),
    "flyt/capacity/pages/accuracy.py: error.key": lambda: positional_strings(
        "ForecastError", 0),
})
# what-if calibration: an error's key
RUNTIME_KEYS.update({
    "flyt/simulation/calibration.py: self.key": lambda: positional_strings(
        "CalibrationError", 0),
})
used_entries: set[str] = set()  # the RUNTIME_KEYS entries the reading needed


def runtime_keys(text: str, place: str) -> set[str] | None:
    """The keys RUNTIME_KEYS gives for `text` at `place` (file:line), if it knows it."""
    for entry in (f"{place.rsplit(':', 1)[0]}: {text}", text):
        if entry in RUNTIME_KEYS:
            used_entries.add(entry)
            return set(RUNTIME_KEYS[entry]())
    return None


@dataclass(frozen=True)
class Use:
    """A text lookup whose key is `expression` (code), at `place` (file:line)."""

    place: str
    expression: str


def resolve(expr: ast.expr, place: str) -> tuple[set[str], list[Use]]:
    """The keys `expr` can be, and the parts only RUNTIME_KEYS can tell."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}, []
    if isinstance(expr, ast.IfExp):
        return merge(resolve(e, place) for e in (expr.body, expr.orelse))
    if isinstance(expr, ast.BoolOp):
        return merge(resolve(e, place) for e in expr.values)
    if isinstance(expr, ast.Name) and (values := local_values(expr)) is not None:
        return merge(resolve(v, place) for v in values)
    text = ast.unparse(expr)
    if (keys := runtime_keys(text, place)) is not None:
        return keys, []
    if isinstance(expr, ast.JoinedStr):
        return resolve_format(expr, place)
    return set(), [Use(place, text)]


def resolve_format(expr: ast.JoinedStr, place: str) -> tuple[set[str], list[Use]]:
    """An f-string with one placeholder: each value of the placeholder, filled in."""
    holes = [v for v in expr.values if isinstance(v, ast.FormattedValue)]
    if len(holes) != 1:
        return set(), [Use(place, ast.unparse(expr))]
    values, unknown = resolve(holes[0].value, place)
    parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in expr.values]
    return {"".join(parts).format(v) for v in values}, unknown


def merge(results: Iterable[tuple[set[str], list[Use]]]) -> tuple[set[str], list[Use]]:
    keys: set[str] = set()
    unknown: list[Use] = []
    for found, missing in results:
        keys |= found
        unknown += missing
    return keys, unknown


def enclosing_function(node: ast.AST) -> ast.AST | None:
    while (node := getattr(node, "parent", None)) is not None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return node
    return None


def local_values(name: ast.Name) -> list[ast.expr] | None:
    """What a local variable is assigned in its function, or None when not only that
    (a parameter, or a loop over something other than a literal tuple or list)."""
    function = enclosing_function(name)
    if function is None:
        return None
    values: list[ast.expr] = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            values += [v for target in node.targets for n, v in pairs(target, node.value)
                       if n == name.id]
        elif isinstance(node, ast.For | ast.comprehension) and isinstance(
                node.target, ast.Name) and node.target.id == name.id:
            if not isinstance(node.iter, ast.Tuple | ast.List):
                return None
            values += node.iter.elts
    return values or None


def passes_its_parameter_on(call: ast.Call) -> bool:
    """`lambda key: i18n.t(key, lang)` / `def t(key): return i18n.t(key, lang)`: a
    wrapper, whose callers are read instead."""
    argument = call.args[0]
    function = enclosing_function(call)
    if not isinstance(argument, ast.Name) or function is None:
        return False
    names = [a.arg for a in function.args.args]
    body = function.body if isinstance(function, ast.Lambda) else (
        function.body[0].value if len(function.body) == 1
        and isinstance(function.body[0], ast.Return) else None)
    return body is call and names[:1] == [argument.id]


def python_keys() -> tuple[dict[str, set[str]], list[Use]]:
    """Every key the Python modules look up (key → places), and the unknown run-time ones."""
    keys: dict[str, set[str]] = {}
    unknown: list[Use] = []
    for path in python_files():
        for call in calls(path):
            if not is_text_lookup(call) or not call.args or passes_its_parameter_on(call):
                continue
            place = f"{path.relative_to(SRC.parent)}:{call.lineno}"
            found, missing = resolve(call.args[0], place)
            for key in found:
                keys.setdefault(key, set()).add(place)
            unknown += missing
    return keys, unknown


# --- reading the templates ------------------------------------------------------------

def jinja_tree(path: Path) -> nodes.Template:
    return jinja2.Environment().parse(path.read_text(encoding="utf-8"), path.name)


def jinja_text(node: nodes.Node) -> str:
    """An expression as written (enough of it to name it in RUNTIME_KEYS)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{jinja_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    if isinstance(node, nodes.Add):
        return f"{jinja_text(node.left)} + {jinja_text(node.right)}"
    if isinstance(node, nodes.Concat):
        return " ~ ".join(jinja_text(n) for n in node.nodes)
    return f"<{type(node).__name__}>"


def jinja_loop_values(template: nodes.Template, name: str) -> list[nodes.Expr] | None:
    """The literal tuple or list a loop variable runs over, if every loop binding it does."""
    values: list[nodes.Expr] = []
    for loop in template.find_all(nodes.For):
        if isinstance(loop.target, nodes.Name) and loop.target.name == name:
            if not isinstance(loop.iter, nodes.Tuple | nodes.List):
                return None
            values += loop.iter.items
    return values or None


def resolve_jinja(template: nodes.Template, expr: nodes.Expr,
                  place: str) -> tuple[set[str], list[Use]]:
    if isinstance(expr, nodes.Const) and isinstance(expr.value, str):
        return {expr.value}, []
    if isinstance(expr, nodes.Name) and (values := jinja_loop_values(template, expr.name)):
        return merge(resolve_jinja(template, v, place) for v in values)
    text = jinja_text(expr)
    if (keys := runtime_keys(text, place)) is not None:
        return keys, []
    if isinstance(expr, nodes.Concat):  # "report_" ~ report: each part's values, joined
        parts = [resolve_jinja(template, n, place) for n in expr.nodes]
        if all(not unknown for _, unknown in parts):
            return {"".join(p) for p in itertools.product(*(sorted(k) for k, _ in parts))}, []
    return set(), [Use(place, text)]


def template_keys() -> tuple[dict[str, set[str]], list[Use]]:
    keys: dict[str, set[str]] = {}
    unknown: list[Use] = []
    for path in TEMPLATES:
        template = jinja_tree(path)
        for call in template.find_all(nodes.Call):
            if not (isinstance(call.node, nodes.Name) and call.node.name == "t" and call.args):
                continue
            place = f"{path.relative_to(SRC.parent)}:{call.lineno}"
            found, missing = resolve_jinja(template, call.args[0], place)
            for key in found:
                keys.setdefault(key, set()).add(place)
            unknown += missing
    return keys, unknown


def macro_names() -> set[str]:
    return {m.name for path in TEMPLATES for m in jinja_tree(path).find_all(nodes.Macro)}


def t_handed_on(path: Path) -> list[str]:
    """Where a template hands `t` itself to something other than one of its macros
    (whose own lookups are read here): the keys looked up there cannot be checked."""
    template = jinja_tree(path)
    macros = macro_names()
    allowed = {id(arg) for call in template.find_all(nodes.Call)
               if isinstance(call.node, nodes.Name) and call.node.name in macros
               for arg in [*call.args, *(k.value for k in call.kwargs)]}
    callees = {id(call.node) for call in template.find_all(nodes.Call)}
    return [f"{path.name}:{name.lineno}" for name in template.find_all(nodes.Name)
            if name.name == "t" and name.ctx == "load"
            and id(name) not in callees and id(name) not in allowed]


# --- the tests --------------------------------------------------------------------------

def all_keys() -> dict[str, set[str]]:
    keys, _ = python_keys()
    for key, places in template_keys()[0].items():
        keys.setdefault(key, set()).update(places)
    return keys


def test_the_code_is_read_far_enough_to_find_known_keys() -> None:
    # A guard on the reading itself: literals, a run-time f-string, a wrapper's callers,
    # a template literal, a template loop over a literal tuple, a page title, an error's
    # key (the sign-in page's, a password rule's, an error class's), a Text.of(...) with
    # an f-string and with a local, a template's "prefix" ~ loop value, a dict value
    # bound by a loop, a field's label, and the `word` filter's codes.
    keys = all_keys()
    for key in ("community", "kpi3_short", "dist_kind_snapshot", "dist_status_failed",
                "snapshot_file", "trend_pages_note", "psykisk_helsevern", "users_title",
                "sign_in_oidc_unknown", "user_error_password_short", "payment_error_no_rate",
                "red_short", "ingest_records_beds", "ingest_xlsx_reaches", "report_payment",
                "format_csv", "field_next", "better_lower", "kind_short-stays",
                "source_demo", "action_sign_in.ok", "detail_linked", "role_reader"):
        assert key in keys, key


def test_every_run_time_key_is_known_to_this_test() -> None:
    _, python_unknown = python_keys()
    _, template_unknown = template_keys()
    unknown = sorted(f"{u.place}: {u.expression}" for u in python_unknown + template_unknown)
    assert unknown == [], "tell RUNTIME_KEYS which keys these can be:\n" + "\n".join(unknown)


def test_every_run_time_entry_is_still_needed() -> None:
    python_keys()
    template_keys()
    assert sorted(set(RUNTIME_KEYS) - used_entries) == []


def test_every_word_kind_has_its_codes_here() -> None:
    assert word_kinds() == set(WORD_CODES)


def test_templates_hand_t_only_to_their_own_macros() -> None:
    handed_on = [place for path in TEMPLATES for place in t_handed_on(path)]
    assert handed_on == []


def test_every_key_the_code_uses_has_a_text_in_both_languages() -> None:
    missing = sorted(f"{key} ({lang}), used at {', '.join(sorted(places))}"
                     for key, places in all_keys().items() for lang in i18n.LANGS
                     if not i18n._TEXT.get(key, {}).get(lang, "").strip())
    assert missing == [], "\n".join(missing)


def test_every_text_is_used_somewhere() -> None:
    unused = sorted(set(i18n._TEXT) - set(all_keys()))
    assert unused == [], "no code looks these up any more: " + ", ".join(unused)


def test_every_text_has_both_languages_and_nothing_else() -> None:
    incomplete = sorted(key for key, entry in i18n._TEXT.items()
                        if set(entry) != set(i18n.LANGS)
                        or not all(entry[lang].strip() for lang in i18n.LANGS))
    assert incomplete == []


def test_a_missing_key_raises_under_the_tests() -> None:
    with pytest.raises(KeyError, match="no_such_key"):
        i18n.t("no_such_key", "en")


def test_a_text_missing_in_one_language_raises_under_the_tests(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._TEXT, "only_nb", {"nb": "bare bokmål"})
    assert i18n.t("only_nb", "nb") == "bare bokmål"
    with pytest.raises(KeyError, match="only_nb"):
        i18n.t("only_nb", "en")


def test_outside_the_tests_a_missing_key_is_shown_as_itself_and_logged_once(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv(i18n.STRICT_ENV)
    monkeypatch.setattr(i18n, "_reported", set())
    with caplog.at_level(logging.WARNING, logger="flyt.i18n"):
        assert i18n.t("no_such_key", "en") == "no_such_key"
        assert i18n.t("no_such_key", "en") == "no_such_key"
    assert [r.getMessage() for r in caplog.records] == [
        "no 'en' text for the i18n key 'no_such_key'"]


def test_outside_the_tests_a_text_missing_in_english_falls_back_to_bokmal(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv(i18n.STRICT_ENV)
    monkeypatch.setattr(i18n, "_reported", set())
    monkeypatch.setitem(i18n._TEXT, "only_nb", {"nb": "bare bokmål"})
    with caplog.at_level(logging.WARNING, logger="flyt.i18n"):
        assert i18n.t("only_nb", "en") == "bare bokmål"
    assert len(caplog.records) == 1


def test_a_language_we_do_not_have_gets_bokmal_without_a_warning(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="flyt.i18n"):
        assert i18n.t("green_short", "se") == "grønn"
    assert caplog.records == []
