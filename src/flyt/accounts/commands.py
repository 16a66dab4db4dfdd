"""``flyt user`` (dashboard users), ``flyt token`` (bearer tokens for /api) and
``flyt audit`` (the audit log)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from flyt import i18n
from flyt.accounts.roles import ROLES
from flyt.cli.common import Context, db_option, user_errors


def _read_password() -> str:
    """One line from stdin (`--password-stdin`): a password never belongs on the command
    line, where `ps` and the shell history see it."""
    from flyt.accounts.passwords import MAX_LENGTH

    # Read no more than a password may have (and a little): the rule then says "too long".
    password = sys.stdin.readline(MAX_LENGTH + 2).rstrip("\r\n")
    if not password:
        raise click.ClickException("no password on stdin")
    return password


ORGANISATION_HELP = ("The organisation the user acts for: stolav, a kommunenummer or "
                     "fastlege-<kommunenummer> (a gp needs one). Default: a municipality "
                     "user's municipality, stolav for admin and analyst, none for others.")


def _described(role: str, organisation: str | None) -> str:
    """`gp fastlege-5001`, `reader`: what the user now is, for the confirmation."""
    return f"{role} {organisation}" if organisation else role


@click.group(name="user")
def user() -> None:
    """Dashboard users: add, list, disable, enable, set a password or a role."""


@user.command(name="add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--municipality", metavar="KOMMUNENUMMER",
              help="The municipality of a municipality user (e.g. 5031); only for them.")
@click.option("--organisation", metavar="ORG_ID", help=ORGANISATION_HELP)
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@click.option("--oidc-subject", metavar="SUB",
              help="The user's `sub` at the OpenID Connect provider ([web.oidc]).")
@db_option
@user_errors
def add(name: str, role: str, municipality: str | None, organisation: str | None,
        password_stdin: bool, oidc_subject: str | None, db_url: str | None) -> None:
    """Add a user who signs in with a password (--password-stdin), with OpenID Connect
    (--oidc-subject), or both."""
    from flyt.accounts import users

    if not password_stdin and not oidc_subject:
        raise click.UsageError("give --password-stdin, --oidc-subject or both")
    password = _read_password() if password_stdin else None
    record = users.add(Context(db_url).db, name, role, municipality, password=password,
                       oidc_subject=oidc_subject, organisation=organisation)
    click.echo(f"added {name} ({_described(role, record.organisation)})", err=True)


@user.command(name="list")
@db_option
@user_errors
def list_users(db_url: str | None) -> None:
    """Users, one a line: name, role, municipality, organisation, how they sign in,
    status ("-" for none)."""
    from flyt.accounts import users

    for record in users.all_users(Context(db_url).db):
        ways = [w for w, on in (("password", record.password_hash),
                                ("oidc", record.oidc_subject)) if on]
        click.echo("\t".join([record.name, record.role, record.municipality or "-",
                              record.organisation or "-",
                              "+".join(ways) or "-",
                              "disabled" if record.disabled else "active"]))


@user.command(name="disable")
@click.argument("name")
@db_option
@user_errors
def disable(name: str, db_url: str | None) -> None:
    """Stop a user from signing in; a running server ends their sessions within 2 s."""
    from flyt.accounts import users

    users.disable(Context(db_url).db, name)
    click.echo(f"disabled {name}", err=True)


@user.command(name="enable")
@click.argument("name")
@db_option
@user_errors
def enable(name: str, db_url: str | None) -> None:
    """Let a disabled user sign in again."""
    from flyt.accounts import users

    users.enable(Context(db_url).db, name)
    click.echo(f"enabled {name}", err=True)


@user.command(name="passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, required=True,
              help="Read the new password from stdin.")
@db_option
@user_errors
def passwd(name: str, password_stdin: bool, db_url: str | None) -> None:
    """Set a user's password; a running server ends their sessions within 2 s."""
    from flyt.accounts import users

    users.set_password(Context(db_url).db, name, _read_password())
    click.echo(f"password set for {name}", err=True)


@user.command(name="role")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--municipality", metavar="KOMMUNENUMMER",
              help="The municipality of a municipality user (e.g. 5031); only for them.")
@click.option("--organisation", metavar="ORG_ID", help=ORGANISATION_HELP)
@db_option
@user_errors
def set_role(name: str, role: str, municipality: str | None, organisation: str | None,
             db_url: str | None) -> None:
    """Give a user another role (and municipality and organisation: the new role's
    default unless given); a running server ends their sessions within 2 s."""
    from flyt.accounts import users

    db = Context(db_url).db
    users.set_role(db, name, role, municipality, organisation=organisation)
    record = users.get(db, name)
    now = record.organisation if record else organisation
    click.echo(f"{name} is now {_described(role, now)}", err=True)


@user.command(name="link")
@click.argument("name")
@click.option("--oidc-subject", metavar="SUB", required=True,
              help="The `sub` at the OpenID Connect provider; empty to unlink.")
@db_option
@user_errors
def link(name: str, oidc_subject: str, db_url: str | None) -> None:
    """Link a user to their OpenID Connect subject."""
    from flyt.accounts import users

    users.set_subject(Context(db_url).db, name, oidc_subject or None)
    click.echo(f"{'linked' if oidc_subject else 'unlinked'} {name}", err=True)


@click.group(name="token")
def token() -> None:
    """Bearer tokens for the JSON API (/api/…): create, list, revoke."""


def _moment(at: object) -> str:
    """A stored time as the list shows it (ISO 8601 to the minute), or "-"."""
    return at.isoformat(sep=" ", timespec="minutes") if at is not None else "-"  # type: ignore[attr-defined]


lang_option = click.option("--lang", type=click.Choice(i18n.LANGS), default="nb",
                           show_default=True, help="Language of the messages.")


@token.command(name="create")
@click.option("--user", "user_name", required=True, metavar="NAME",
              help="The user the token acts as (their role and organisation).")
@click.option("--label", default="", metavar="TEXT",
              help="What the token is for (shown in lists), e.g. the system that uses it.")
@lang_option
@db_option
@user_errors
def create_token(user_name: str, label: str, lang: str, db_url: str | None) -> None:
    """Make a token and print it once on stdout: it is stored only as a hash."""
    from flyt.accounts import tokens

    secret, info = tokens.create(Context(db_url).db, user_name, label)
    click.echo(secret)
    click.echo(i18n.t("token_created", lang).format(prefix=info.prefix, user=info.user_name),
               err=True)


@token.command(name="list")
@click.option("--user", "user_name", metavar="NAME", help="Only this user's tokens.")
@lang_option
@db_option
@user_errors
def list_tokens(user_name: str | None, lang: str, db_url: str | None) -> None:
    """Tokens, one a line: prefix, user, label, created, last used, revoked ("-" for
    none). Never the token itself."""
    from flyt.accounts import tokens

    found = tokens.listing(Context(db_url).db, user_name)
    if not found:
        click.echo(i18n.t("token_none", lang), err=True)
    for info in found:
        click.echo("\t".join([info.prefix, info.user_name, info.label or "-",
                              _moment(info.created_at), _moment(info.last_used_at),
                              _moment(info.revoked_at)]))


@token.command(name="revoke")
@click.argument("prefix")
@lang_option
@db_option
@user_errors
def revoke_token(prefix: str, lang: str, db_url: str | None) -> None:
    """Revoke the token with PREFIX (see `flyt token list`): its requests get 401."""
    from flyt.accounts import tokens

    info = tokens.revoke(Context(db_url).db, prefix)
    click.echo(i18n.t("token_revoked", lang).format(prefix=info.prefix, user=info.user_name,
                                                    at=_moment(info.revoked_at)), err=True)


@click.group(name="audit")
def audit_group() -> None:
    """The audit log: patient-level reads, sign-ins and changes."""


@audit_group.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: stdout).")
@db_option
@user_errors
def export(fmt: str, output: Path | None, db_url: str | None) -> None:
    """Export the whole audit log, newest first."""
    from flyt.accounts import audit

    db = Context(db_url).db
    rows = audit.entries(db, limit=None)
    text = audit.to_csv(rows) if fmt == "csv" else audit.to_json(rows) + "\n"
    audit.record_as(db, None, "audit.export", fmt, f"{len(rows)} rows (command line)")
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{len(rows)} entries written to {output}", err=True)
    else:
        click.echo(text, nl=False)
