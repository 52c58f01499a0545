"""The score's check of the equivalents listed in docs/testing.md."""

from tests.mutate import stale_listings


def test_a_listed_equivalent_that_is_killed_or_gone_is_named() -> None:
    # a: survived (a true listing, not named); b: killed since (named);
    # c: timed out, which counts as caught (named); d: no group has it (named
    # only once every group has run, since an unrun group has no names yet)
    same = {"m.x_f__mutmut_1", "m.x_f__mutmut_2", "m.x_f__mutmut_3", "m.x_g__mutmut_9"}
    seen = {"m.x_f__mutmut_1": "survived", "m.x_f__mutmut_2": "killed",
            "m.x_f__mutmut_3": "timeout"}
    assert stale_listings(same, seen, complete=True) == [
        "listed as equivalent but killed: m.x_f__mutmut_2",
        "listed as equivalent but killed: m.x_f__mutmut_3",
        "listed as equivalent but no such mutant: m.x_g__mutmut_9"]
    assert stale_listings(same, seen, complete=False) == [
        "listed as equivalent but killed: m.x_f__mutmut_2",
        "listed as equivalent but killed: m.x_f__mutmut_3"]
