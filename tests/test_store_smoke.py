from tests.conftest import count


def test_a_new_store_has_the_default_reference_data(db):
    assert count(db, "municipalities") == 20
    assert count(db, "units") == 26
    assert count(db, "stays") == 0
