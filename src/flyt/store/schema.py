"""The stored records, as SQLAlchemy Core tables.

The migrations in ``store/migrations`` create exactly these tables; a test checks
that the two agree. Timestamps are naive local wall-clock time (Europe/Oslo),
as the sources give them (spec/kpi.md counts calendar dates in local time).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()


def id_column(table: str) -> sa.Column:
    """The table's id, allocated by the database from a sequence of its own
    (``<table>_id_seq``, also the column's default): concurrent writers never take the
    same one, and an INSERT without the id gets the next (``RETURNING id`` tells which).

    A sequence rather than an identity column because the same definition then holds on
    both engines: DuckDB has sequences but no identity (nor SERIAL) columns. On
    PostgreSQL migration 0009 also makes the column own its sequence."""
    sequence = sa.Sequence(f"{table}_id_seq", metadata=metadata)
    return sa.Column("id", sa.Integer, sequence, server_default=sequence.next_value(),
                     primary_key=True)


municipalities = sa.Table(
    "municipalities",
    metadata,
    sa.Column("code", sa.String(4), primary_key=True),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("region", sa.String, nullable=False),
    sa.Column("population", sa.Integer),
)

units = sa.Table(
    "units",
    metadata,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("kind", sa.String, nullable=False),  # hospital | aftercare | short_term
    sa.Column("owner", sa.String, nullable=False),
    sa.Column("beds_default", sa.Integer),
)

# Calendar dates, so that day counting is a join that every engine runs the same way.
calendar = sa.Table(
    "calendar",
    metadata,
    sa.Column("d", sa.Date, primary_key=True),
    sa.Column("month", sa.Date, nullable=False),
)

imports = sa.Table(
    "imports",
    metadata,
    id_column("imports"),
    sa.Column("kind", sa.String, nullable=False),
    sa.Column("source", sa.String, nullable=False),
    sa.Column("file_name", sa.String, nullable=False),
    sa.Column("file_sha256", sa.String(64), nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("status", sa.String, nullable=False),  # ok | rejected
    sa.Column("rows_read", sa.Integer, nullable=False, server_default="0"),
    sa.Column("rows_new", sa.Integer, nullable=False, server_default="0"),
    sa.Column("rows_updated", sa.Integer, nullable=False, server_default="0"),
    sa.Column("rows_unchanged", sa.Integer, nullable=False, server_default="0"),
    sa.Column("rows_rejected", sa.Integer, nullable=False, server_default="0"),
    sa.Column("message", sa.Text),
)

stays = sa.Table(
    "stays",
    metadata,
    sa.Column("source", sa.String, primary_key=True),
    sa.Column("stay_id", sa.String, primary_key=True),
    sa.Column("patient_id", sa.String, nullable=False),
    sa.Column("municipality", sa.String(4), nullable=False),
    sa.Column("sector", sa.String, nullable=False),
    sa.Column("admission_type", sa.String, nullable=False),
    sa.Column("admitted_at", sa.DateTime, nullable=False),
    sa.Column("ready_at", sa.DateTime),
    sa.Column("discharged_at", sa.DateTime),
    sa.Column("discharge_destination", sa.String),
    sa.Column("location", sa.String),
    sa.Column("department", sa.String),
    sa.Column("birth_year", sa.Integer),
    sa.Column("sex", sa.String(1)),
    sa.Column("frailty_score", sa.Integer),
    sa.Column("import_id", sa.Integer, nullable=False),
)

ukp_periods = sa.Table(
    "ukp_periods",
    metadata,
    sa.Column("source", sa.String, primary_key=True),
    sa.Column("stay_id", sa.String, primary_key=True),
    sa.Column("ready_from", sa.DateTime, primary_key=True),
    sa.Column("ready_to", sa.DateTime),
    sa.Column("import_id", sa.Integer, nullable=False),
)

short_stays = sa.Table(
    "short_stays",
    metadata,
    sa.Column("source", sa.String, primary_key=True),
    sa.Column("stay_id", sa.String, primary_key=True),
    sa.Column("patient_id", sa.String, nullable=False),
    sa.Column("municipality", sa.String(4), nullable=False),
    sa.Column("unit", sa.String, nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("ended_at", sa.DateTime),
    sa.Column("from_hospital", sa.Boolean),
    sa.Column("import_id", sa.Integer, nullable=False),
)

bed_census = sa.Table(
    "bed_census",
    metadata,
    sa.Column("source", sa.String, primary_key=True),
    sa.Column("unit", sa.String, primary_key=True),
    sa.Column("counted_at", sa.DateTime, primary_key=True),
    sa.Column("available", sa.Integer, nullable=False),
    sa.Column("occupied", sa.Integer, nullable=False),
    sa.Column("over_capacity", sa.Boolean, nullable=False),
    sa.Column("import_id", sa.Integer, nullable=False),
)

# One computed result set per cut-off; `data_version` is the newest import it saw,
# so a reader knows whether the stored numbers are current.
result_sets = sa.Table(
    "result_sets",
    metadata,
    sa.Column("cutoff", sa.DateTime, primary_key=True),
    sa.Column("data_version", sa.Integer, nullable=False),
    sa.Column("computed_at", sa.DateTime, nullable=False),
    sa.Column("seconds", sa.Double, nullable=False),
    sa.Column("goals_key", sa.String(64), nullable=False),
    # The shared edition's hidden cells, decided for these settings (flyt.engine.pattern).
    sa.Column("pattern_key", sa.String(64)),
)

kpi_results = sa.Table(
    "kpi_results",
    metadata,
    sa.Column("cutoff", sa.DateTime, primary_key=True),
    sa.Column("month", sa.Date, primary_key=True),
    sa.Column("group_type", sa.String, primary_key=True),
    sa.Column("group_id", sa.String, primary_key=True),
    sa.Column("sector", sa.String, primary_key=True),
    sa.Column("kpi", sa.SmallInteger, primary_key=True),
    sa.Column("value", sa.Double),
    sa.Column("numerator", sa.BigInteger),
    sa.Column("denominator", sa.BigInteger),
    sa.Column("persons", sa.BigInteger, nullable=False),  # people behind the cell (disclosure)
    sa.Column("value_12m", sa.Double),
    sa.Column("numerator_12m", sa.BigInteger),
    sa.Column("denominator_12m", sa.BigInteger),
    sa.Column("persons_12m", sa.BigInteger),
    sa.Column("preliminary", sa.Boolean, nullable=False),
    # Disclosure control (flyt.disclosure.pattern): hidden in the shared edition.
    sa.Column("hidden", sa.Boolean, server_default=sa.false()),
    sa.Column("hidden_12m", sa.Boolean, server_default=sa.false()),
)

goal_results = sa.Table(
    "goal_results",
    metadata,
    sa.Column("cutoff", sa.DateTime, primary_key=True),
    sa.Column("month", sa.Date, primary_key=True),
    sa.Column("kpi", sa.SmallInteger, primary_key=True),
    sa.Column("sector", sa.String, primary_key=True),
    sa.Column("group_type", sa.String, primary_key=True),
    sa.Column("group_id", sa.String, primary_key=True),
    sa.Column("baseline", sa.Double),
    sa.Column("target", sa.Double),
    sa.Column("value", sa.Double),
    sa.Column("achievement", sa.Double),
    sa.Column("expected", sa.Double, nullable=False),
    sa.Column("status", sa.String),
)

# PLO pasientlogistikk messages (flyt.plo): every message as received, the receiver
# configuration, patient links and the receipts sent. No national id is stored in
# clear: patient keys are pseudonyms ("h:…") made at read time.
plo_receivers = sa.Table(
    "plo_receivers",
    metadata,
    sa.Column("her_id", sa.String, primary_key=True),
    sa.Column("municipality", sa.String(4), nullable=False),
)

plo_messages = sa.Table(
    "plo_messages",
    metadata,
    id_column("plo_messages"),
    sa.Column("msg_id", sa.String),  # MsgInfo/MsgId; empty when unreadable
    sa.Column("file_name", sa.String, nullable=False),
    sa.Column("received_at", sa.DateTime, nullable=False),
    sa.Column("msg_type", sa.String),
    sa.Column("version", sa.String),
    sa.Column("status", sa.String, nullable=False),  # applied|duplicate|cancelled|…
    sa.Column("reason", sa.Text),
    sa.Column("error_code", sa.String),
    sa.Column("receiver_her_id", sa.String),  # the mapped HER-id (or the receiver's own)
    sa.Column("as_copy", sa.Boolean),  # reached us as copy receiver
    sa.Column("patient_key", sa.String),  # canonical pseudonym (see plo_patient_links)
    sa.Column("send_status", sa.String(1)),  # Forsendelsesstatus N | C | M | A
    sa.Column("refers_to", sa.String),  # RefToParent
    sa.Column("match_key", sa.String),
    sa.Column("content_digest", sa.String(64)),
    sa.Column("replaced_by", sa.Integer),  # the cancellation or change that undid it
    sa.Column("gen_date", sa.DateTime),
    sa.Column("event_at", sa.DateTime),
    sa.Column("admitted_at", sa.DateTime),
    sa.Column("ready_at", sa.DateTime),
    sa.Column("ready_estimate", sa.Boolean),
    sa.Column("deregistered_at", sa.DateTime),
    sa.Column("discharged_at", sa.DateTime),
    sa.Column("died_at", sa.DateTime),
    sa.Column("discharged_to", sa.String),  # code list 8408
    sa.Column("discharge_state", sa.String),  # code list 8431 (2 = dead)
    sa.Column("sector_hint", sa.String),  # names of the sender/unit, for the sector rule
    sa.Column("department", sa.String),
    sa.Column("birth_year", sa.Integer),
    sa.Column("sex", sa.String(1)),
    # The bytes exactly as received, encrypted (flyt.plo.sealing): they hold the national id.
    sa.Column("sealed", sa.LargeBinary),
)

plo_patient_links = sa.Table(
    "plo_patient_links",
    metadata,
    sa.Column("alias_key", sa.String, primary_key=True),
    sa.Column("patient_key", sa.String, nullable=False),
)

plo_receipts = sa.Table(
    "plo_receipts",
    metadata,
    id_column("plo_receipts"),
    sa.Column("message_id", sa.Integer, nullable=False),
    sa.Column("msg_id", sa.String),
    sa.Column("status", sa.String, nullable=False),  # ok | error
    sa.Column("code", sa.String),
    sa.Column("text", sa.Text),
    sa.Column("xml", sa.LargeBinary, nullable=False),
    sa.Column("path", sa.String),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

# Report distribution (flyt.distribution.delivery): one row per attempt to mail a report.
# The schedule reads it to send each due report once, across restarts.
report_sends = sa.Table(
    "report_sends",
    metadata,
    id_column("report_sends"),
    sa.Column("kind", sa.String, nullable=False),  # monthly | snapshot
    sa.Column("period", sa.String, nullable=False),  # "2024-03" or "2024-03-04T07:00"
    sa.Column("recipients", sa.Text, nullable=False),  # comma-separated addresses
    sa.Column("status", sa.String, nullable=False),  # sent | failed
    sa.Column("attempt", sa.Integer, nullable=False),  # 1, 2, … for this kind and period
    sa.Column("error", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

# Dashboard users (flyt.web.auth). A municipality user sees one municipality's exact
# figures; `municipality` is checked against `municipalities` in code rather than by a
# foreign key, so that reference data stays editable on DuckDB (no updates of keys
# referenced by a foreign key there).
users = sa.Table(
    "users",
    metadata,
    id_column("users"),
    sa.Column("name", sa.String, nullable=False, unique=True),
    sa.Column("role", sa.String, nullable=False),  # flyt.accounts.ROLES
    sa.Column("municipality", sa.String(4)),
    # The org_id the user acts for (flyt.accounts.roles, spec/deviations.md); None: a
    # reader without one, or the improvement group. Checked in code, as `municipality`.
    sa.Column("organisation", sa.String),
    sa.Column("password_hash", sa.String),  # Argon2id; empty for OpenID Connect-only users
    sa.Column("oidc_subject", sa.String, unique=True),  # the provider's `sub`
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", sa.DateTime, nullable=False),
    # Raised by sign-out, a new password, disable, enable, a new role: every session
    # cookie made with an older generation is refused (flyt.web.auth.session).
    sa.Column("session_generation", sa.Integer, server_default=sa.text("0")),
)

# Who read patient-level rows and who changed what (flyt.accounts.audit). Append-only.
audit_log = sa.Table(
    "audit_log",
    metadata,
    id_column("audit_log"),
    sa.Column("created_at", sa.DateTime, nullable=False),  # `at` is reserved in DuckDB
    sa.Column("user_name", sa.String),  # None: not signed in (a failed sign-in) or the CLI
    sa.Column("action", sa.String, nullable=False),  # sign_in | patients.read | user.add | …
    sa.Column("target", sa.String, nullable=False, server_default=""),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Column("ip", sa.String),
)
sa.Index("ix_audit_log_created_at", audit_log.c.created_at)

# Samhandlingsavvik (flyt.deviations.records). The id is `AV-<year>-<number>`, the number
# from the year's own sequence (`deviation_numbers_<year>`, made when the year's first
# deviation is reported). `version` rises with every change (optimistic concurrency).
deviations = sa.Table(
    "deviations",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("source", sa.String),  # an imported one: its system and id there
    sa.Column("source_id", sa.String),
    sa.Column("reporter_org", sa.String, nullable=False),
    sa.Column("reported_by", sa.Integer),  # users.id; None when imported
    sa.Column("occurred_at", sa.DateTime, nullable=False),
    sa.Column("occurred_has_time", sa.Boolean, nullable=False),  # a date alone: 00:00
    sa.Column("reported_at", sa.DateTime, nullable=False),
    sa.Column("category", sa.String, nullable=False),
    sa.Column("subcategory", sa.String),
    sa.Column("severity", sa.String, nullable=False),
    sa.Column("level", sa.String, nullable=False),
    sa.Column("agreement_clause", sa.String),
    sa.Column("patient_ref", sa.String),
    sa.Column("place", sa.String),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("immediate_action", sa.Text),
    sa.Column("anonymous", sa.Boolean, nullable=False),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("acknowledged_at", sa.DateTime),  # the latest step to each, for deadlines
    sa.Column("answered_at", sa.DateTime),
    sa.Column("closed_at", sa.DateTime),
    # The searchable fields in lower case (flyt.deviations.listing; migration 0015).
    sa.Column("search_text", sa.Text),
    sa.UniqueConstraint("source", "source_id", name="uq_deviations_source"),
)
# On PostgreSQL only (migration 0015; DuckDB scans faster): indexes on (reported_at, id),
# reporter_org, deviation_receivers.org_id and a trigram index on search_text.

deviation_receivers = sa.Table(
    "deviation_receivers",
    metadata,
    sa.Column("deviation_id", sa.String, primary_key=True),
    sa.Column("org_id", sa.String, primary_key=True),
)

# Every step of a deviation, its report first (from_status None). Append-only.
deviation_events = sa.Table(
    "deviation_events",
    metadata,
    id_column("deviation_events"),
    sa.Column("deviation_id", sa.String, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),  # the version the step made
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("user_id", sa.Integer),  # None: the system (automatic close) or an import
    sa.Column("organisation", sa.String),  # the side's org_id; None for the system
    sa.Column("from_status", sa.String),
    sa.Column("to_status", sa.String, nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("answer", sa.Text),
    sa.Column("reason", sa.Text),
)
sa.Index("ix_deviation_events_deviation", deviation_events.c.deviation_id)

# --- deviations learning (flyt.deviations.learning, flyt.deviations.incident) ---
# A learning point (læringspunkt), linked to one or more deviations; `version` rises with
# every change of its own fields (optimistic concurrency, as deviations).
learning_points = sa.Table(
    "learning_points",
    metadata,
    id_column("learning_points"),
    sa.Column("title", sa.String, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("created_by", sa.String),  # the user's name
    sa.Column("created_org", sa.String),  # the organisation it was made for; None: the group
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)

learning_links = sa.Table(
    "learning_links",
    metadata,
    sa.Column("learning_id", sa.Integer, primary_key=True),
    sa.Column("deviation_id", sa.String, primary_key=True),
)
sa.Index("ix_learning_links_deviation", learning_links.c.deviation_id)

# A measure (tiltak) of a learning point, with its own version.
learning_measures = sa.Table(
    "learning_measures",
    metadata,
    id_column("learning_measures"),
    sa.Column("learning_id", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("owner_org", sa.String, nullable=False),
    sa.Column("owner_person", sa.String),  # free text: a person or a role
    sa.Column("due_on", sa.Date),
    sa.Column("status", sa.String, nullable=False),  # planlagt|pagar|gjennomfort|forkastet
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)
sa.Index("ix_learning_measures_learning", learning_measures.c.learning_id)

# A notifiable deviation's notification duty (to Statens helsetilsyn) and the outcome of
# its incident analysis (IS-0583); one row per deviation, made at its first save.
deviation_incidents = sa.Table(
    "deviation_incidents",
    metadata,
    sa.Column("deviation_id", sa.String, primary_key=True),
    sa.Column("notice", sa.String),  # sendt | ikke_sendt | ikke_aktuelt; None: not decided
    sa.Column("notice_reason", sa.Text),
    sa.Column("notice_sent_on", sa.Date),
    sa.Column("notice_reference", sa.String),
    sa.Column("conclusion", sa.Text),
    sa.Column("learning_id", sa.Integer),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String),
    sa.Column("version", sa.Integer, nullable=False),
)

# The analysis checklist: one row per step done (flyt.deviations.incident.STEPS).
deviation_incident_steps = sa.Table(
    "deviation_incident_steps",
    metadata,
    sa.Column("deviation_id", sa.String, primary_key=True),
    sa.Column("step", sa.String, primary_key=True),
    sa.Column("done_on", sa.Date),
    sa.Column("done_by", sa.String),
)

# --- deviations api: bearer tokens for /api (flyt.accounts.tokens) ---
# A token is shown once and stored only as its SHA-256; `prefix` is its public part, to
# find the row and to name the token in lists and the audit log. `user_id`: users.id.
api_tokens = sa.Table(
    "api_tokens",
    metadata,
    id_column("api_tokens"),
    sa.Column("prefix", sa.String, nullable=False, unique=True),
    sa.Column("token_hash", sa.String, nullable=False),
    sa.Column("user_id", sa.Integer, nullable=False),
    sa.Column("label", sa.String, nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.String),  # None: the command line
    sa.Column("last_used_at", sa.DateTime),
    sa.Column("revoked_at", sa.DateTime),
)

# Attachments of deviations (flyt.deviations.attachments). The file lies under the data
# directory by its random `stored_name`; `file_name` is the user's (sanitised), for
# display and the download only. `media_type` is the one found in the content.
deviation_attachments = sa.Table(
    "deviation_attachments",
    metadata,
    id_column("deviation_attachments"),
    sa.Column("deviation_id", sa.String, nullable=False),
    sa.Column("file_name", sa.String, nullable=False),
    sa.Column("stored_name", sa.String, nullable=False),
    sa.Column("media_type", sa.String, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("user_id", sa.Integer),  # users.id of who added it; None: not stored
    sa.Column("organisation", sa.String, nullable=False),  # the side that added it
    sa.UniqueConstraint("stored_name", name="uq_deviation_attachments_stored_name"),
)
sa.Index("ix_deviation_attachments_deviation", deviation_attachments.c.deviation_id)

# --- plan ---
# The action plan (flyt.plan, docs/plan.md): one vision, the Theory of Change's elements
# and their links, the measures with their activities. Ids are the plan's own (kept by
# an import); `position` keeps the order people wrote. Measures and activities carry a
# `version` for optimistic concurrency; every status and comment change is appended to
# plan_history and never changed.
plan_vision = sa.Table(
    "plan_vision",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),  # 1: one plan
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String),
)

plan_elements = sa.Table(
    "plan_elements",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("kind", sa.String, nullable=False),  # ressurs|aktivitet|utfall|resultat|effekt
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("kpi", sa.Integer),  # 1-6 on an effect tied to a KPI
    sa.Column("position", sa.Integer, nullable=False),
)

plan_links = sa.Table(
    "plan_links",
    metadata,
    sa.Column("from_id", sa.String, primary_key=True),
    sa.Column("to_id", sa.String, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)

plan_measures = sa.Table(
    "plan_measures",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("start_on", sa.Date),
    sa.Column("end_on", sa.Date),
    sa.Column("priority", sa.String),  # hoy | middel | lav
    sa.Column("scope", sa.String),  # stort | middels | lite
    sa.Column("responsible", sa.Text, nullable=False),
    sa.Column("status", sa.String),  # green | yellow | red; None: not set
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String),
)

plan_measure_toc = sa.Table(
    "plan_measure_toc",
    metadata,
    sa.Column("measure_id", sa.String, primary_key=True),
    sa.Column("element_id", sa.String, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)

plan_activities = sa.Table(
    "plan_activities",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("measure_id", sa.String, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("start_on", sa.Date),
    sa.Column("end_on", sa.Date),
    sa.Column("priority", sa.String),
    sa.Column("scope", sa.String),
    sa.Column("responsible", sa.Text, nullable=False),
    sa.Column("done", sa.Boolean, nullable=False),
    sa.Column("status", sa.String),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String),
)

# Append-only: who changed which status or comment of a measure or activity, and when.
plan_history = sa.Table(
    "plan_history",
    metadata,
    id_column("plan_history"),
    sa.Column("changed_at", sa.DateTime, nullable=False),
    sa.Column("changed_by", sa.String),  # None: the command line
    sa.Column("item_type", sa.String, nullable=False),  # measure | activity
    sa.Column("item_id", sa.String, nullable=False),
    sa.Column("field", sa.String, nullable=False),  # status | comment
    sa.Column("old_value", sa.Text),
    sa.Column("new_value", sa.Text),
)
sa.Index("ix_plan_history_item", plan_history.c.item_id)

# The status an activity had when flyt.plan.notify last looked (migration 0017): one row
# per activity, replaced as its status changes; `notified_at` is when its owner was last
# mailed (None: recorded without a mail — first seen, or better than before).
plan_notices = sa.Table(
    "plan_notices",
    metadata,
    sa.Column("activity_id", sa.String, primary_key=True),
    sa.Column("status", sa.String, nullable=False),  # green | yellow | red
    sa.Column("changed_at", sa.DateTime, nullable=False),
    sa.Column("notified_at", sa.DateTime),
)

# --- capacity ---
# The escalation level of the community and each municipality at a moment (flyt.capacity,
# docs/capacity.md "Escalation levels"; migration 0018): one row per group and `at`,
# replaced when that moment is computed again; `indicators` is their JSON list.
escalation_levels = sa.Table(
    "escalation_levels",
    metadata,
    id_column("escalation_levels"),
    sa.Column("computed_at", sa.DateTime, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False, quote=True),  # a DuckDB keyword
    sa.Column("group_type", sa.String, nullable=False),  # community | municipality
    sa.Column("group_id", sa.String, nullable=False),  # all | kommunenummer
    sa.Column("level", sa.Integer, nullable=False),  # 1-4
    sa.Column("indicators", sa.Text, nullable=False),
    sa.UniqueConstraint("at", "group_type", "group_id", name="uq_escalation_levels_group_at"),
)

# The level each group's recipients were last told of (flyt.capacity.escalation_alert;
# migration 0020): one row per group, replaced as its level changes; `at` is the snapshot
# moment of that level, `notified_at` when it was mailed (None: recorded without a mail —
# the first run, or a fall).
escalation_notices = sa.Table(
    "escalation_notices",
    metadata,
    sa.Column("group_type", sa.String, primary_key=True),  # community | municipality
    sa.Column("group_id", sa.String, primary_key=True),  # all | kommunenummer
    sa.Column("level", sa.Integer, nullable=False),  # 1-4
    sa.Column("at", sa.DateTime, nullable=False, quote=True),  # a DuckDB keyword
    sa.Column("notified_at", sa.DateTime),
)

# Each municipality's escalation plan (flyt.capacity.plans, docs/capacity.md "Escalation
# plans"; migration 0019): its actions per level, contacts (a JSON list of {role, name,
# phone, email}) and the short-term beds it can lend; `version` rises with every save.
escalation_plans = sa.Table(
    "escalation_plans",
    metadata,
    sa.Column("municipality", sa.String(4), primary_key=True),  # kommunenummer
    sa.Column("lendable_short_term_beds", sa.Integer, nullable=False),
    sa.Column("contacts", sa.Text, nullable=False),
    sa.Column("actions_level_1", sa.Text, nullable=False),
    sa.Column("actions_level_2", sa.Text, nullable=False),
    sa.Column("actions_level_3", sa.Text, nullable=False),
    sa.Column("actions_level_4", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String),
)
