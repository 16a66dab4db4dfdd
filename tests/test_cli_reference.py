"""`flyt reference`: the community's lists are configuration, editable and checked."""

from __future__ import annotations

from click.testing import CliRunner

from flyt.cli.main import cli
from tests.conftest import count
from tests.support.records import load, stay


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_show_prints_the_default_municipalities_as_csv(db_url):
    result = run("reference", "show", "municipalities", "--db", db_url)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "kommunenummer,name,region,population_approx"
    assert "5001,Trondheim,Trondheim,214600" in lines
    assert len(lines) == 21


def test_load_replaces_the_municipalities_and_regions(db, db_url, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("kommunenummer,name,region,population_approx\n"
                    "5001,Trondheim,By,214600\n5031,Malvik,Omland,14900\n", encoding="utf-8")
    result = run("reference", "load", "municipalities", str(path), "--db", db_url)
    assert result.exit_code == 0, result.output
    assert count(db, "municipalities") == 2


def test_load_refuses_to_drop_a_municipality_that_stays_still_use(db, db_url, tmp_path):
    load(db, stays=[stay("A", "p1", municipality="5028", admitted="2024-01-02")])
    path = tmp_path / "m.csv"
    path.write_text("kommunenummer,name,region,population_approx\n5001,Trondheim,By,1\n",
                    encoding="utf-8")
    result = run("reference", "load", "municipalities", str(path), "--db", db_url)
    assert result.exit_code == 1 and "still use 5028" in result.output
    assert count(db, "municipalities") == 20


def test_a_bad_code_is_named_with_its_line(db, db_url, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("kommunenummer,name,region,population_approx\n501,X,Y,1\n", encoding="utf-8")
    result = run("reference", "load", "municipalities", str(path), "--db", db_url)
    assert result.exit_code == 1 and "line 2" in result.output and "4 digits" in result.output
    assert count(db, "municipalities") == 20
