"""`flyt demo` leaves a dashboard user `demo` (analyst) with a fresh random password."""

from __future__ import annotations

import re

from flyt.accounts import passwords, users
from flyt.cli.common import Context
from flyt.cli.data import demo_user_text


def test_the_demo_user_gets_a_new_random_password_each_time(db_url):
    ctx = Context(db_url)
    first = re.search(r"passordet (\S+)$", demo_user_text(ctx, "nb")).group(1)
    second = re.search(r"password (\S+)$", demo_user_text(ctx, "en")).group(1)
    user = users.get(ctx.db, "demo")
    assert user is not None and user.role == "analyst" and first != second
    assert passwords.verify(user.password_hash, second)
    assert not passwords.verify(user.password_hash, first)
