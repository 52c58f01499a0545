"""model/results/frictions.py on a hand-built index and solution (no solve).

friction_rows: the binding rows of each friction family and of ramping capacity,
each expected row worked out by hand below; attribute: the rule of the module
docstring on hand-made lead-time and friction rows. These are the frictions
mutation group's tests; the solved cases of tests/results/test_frictions.py check
the same rule through a solve, in ``make test``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.formulation.adoption import ADOPTION
from model.formulation.build_rate import BUILD_RATE
from model.formulation.collection import COLLECTION
from model.formulation.declare import ConstraintFamily
from model.results import frictions
from model.solver.records import RowBlock, Solution

# mine makes ore; sep turns ore into ox; grind makes swarf, which recyc turns into
# ox too (sep is the first maker of ox, grind the only maker of swarf)
IO = pd.DataFrame(
    [("mine", "ore", "out"), ("sep", "ore", "in"), ("sep", "ox", "out"),
     ("grind", "swarf", "out"), ("recyc", "swarf", "in"), ("recyc", "ox", "out")],
    columns=["process", "commodity", "direction"])
# a family that states no friction: its binding rows are not frictions
OTHER = ConstraintFamily("other", "<=", lambda ix: None, "not a friction")


def _frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _index() -> LPIndex:
    act = _frame(["region", "process", "year", "existing_tpa", "existing_usable_tpa",
                  "availability"],
                 [("us", "sep", 2026, 100.0, 100.0, 0.9),
                  ("us", "sep", 2027, 100.0, 100.0, 0.9),
                  ("au", "mine", 2026, 80.0, 60.0, 1.0),
                  ("au", "mine", 2027, 80.0, 60.0, 1.0),
                  ("cn", "mine", 2026, 0.0, 0.0, 1.0)])
    # build 0 (40 tpa) is in us sep: half usable in 2026, fully in 2027
    window = _frame(["act", "build", "fraction"], [(0, 0, 0.5), (1, 0, 1.0)])
    empty = pd.DataFrame()
    return LPIndex(years=[2025, 2026, 2027], discount={}, act=act, build=empty,
                   flow=empty, short=empty, surplus=empty, stock=empty,
                   balance_terms=empty, build_window=window, expansion_limits=empty,
                   reserves=empty, process_io=IO)


def _block(columns: list[str], rows: list[tuple]) -> RowBlock:
    return RowBlock(0, _frame(columns, rows), np.zeros(len(rows)))


def _solution() -> Solution:
    rows = {
        "build_rate": _block(["limit", "stage", "target", "year"],
                             [("rate", "mining", "all", 2026),
                              ("rate", "mining", "all", 2027)]),
        "adoption": _block(["region", "recipe", "year"],
                           [("us", "recyc", 2026), ("us", "recyc", 2027)]),
        "collection": _block(["region", "scrap", "year"],
                             [("us", "swarf", 2027), ("jp", "dust", 2027)]),
        "other": _block(["region", "year"], [("us", 2026)]),
    }
    duals = {"build_rate": np.array([-1978.0, -5e-7]),  # the second: not binding
             "adoption": np.array([12.0, 0.0]), "collection": np.array([-7.0, 3.0]),
             "other": np.array([500.0]),
             # capacity rows of the five act rows
             "capacity_limit": np.array([-30.0, -50.0, -10.0, -5e-7, -100.0])}
    return Solution(objective=0.0, values={"build": np.array([40.0])},
                    row_duals=duals, col_duals={}, rows=rows)


FAMILIES = [BUILD_RATE, ADOPTION, COLLECTION, OTHER]


def test_friction_rows_of_each_family_and_of_ramping_capacity() -> None:
    # Friction families, in the order given, binding rows only (|dual| > 1e-6):
    #   build rate: 2026's row (|-1978|); no process or region key: blank;
    #   adoption: the recipe is the process: recyc, us, 2026, 12;
    #   collection: the scrap's maker is the process: swarf -> grind (7); dust
    #     has no maker: blank (3). 'other' states no friction: left out.
    # Ramp-up (|capacity dual| x availability), where capacity is not yet usable:
    #   us sep 2026: 40 tpa built at fraction 0.5 -> 20 lost; 30 x 0.9 = 27;
    #   us sep 2027: fraction 1, nothing lost: no row;
    #   au mine 2026: 80 exist, 60 usable -> 20 lost; 10 x 1.0 = 10;
    #   au mine 2027: 20 lost but the row does not bind; cn mine: nothing lost.
    frame = frictions.friction_rows(_index(), _solution(), "S", FAMILIES)
    assert list(frame.columns) == frictions.COLUMNS
    assert [tuple(r) for r in frame.itertuples(index=False)] == [
        ("S", "build rate", "mining", "", "", 2026, 1978.0),
        ("S", "adoption", "", "recyc", "us", 2026, 12.0),
        ("S", "collection", "", "grind", "us", 2027, 7.0),
        ("S", "collection", "", "", "jp", 2027, 3.0),
        ("S", "ramp-up", "", "sep", "us", 2026, 27.0),
        ("S", "ramp-up", "", "mine", "au", 2026, 10.0)]
    assert list(frame.index) == list(range(6))
    assert (frame["year"].dtype, frame["value_usd_per_t"].dtype) == (
        np.int64, np.float64)


def test_ramp_up_counts_lost_capacity_above_a_millionth_of_a_tonne() -> None:
    # a build of 2e-6 tpa at fraction 0.5 loses 1e-6 tpa: not ramping (the
    # threshold is 'more than 1e-6'); 4e-6 tpa loses 2e-6: ramping, 27 as above
    ix, sol = _index(), _solution()
    ix.act["existing_usable_tpa"] = ix.act["existing_tpa"]
    for built, rows in ((2e-6, []), (4e-6, [("S", "ramp-up", "", "sep", "us", 2026,
                                               27.0)])):
        sol.values["build"] = np.array([built])
        frame = frictions.friction_rows(ix, sol, "S", [])
        assert [tuple(r) for r in frame.itertuples(index=False)] == rows


def test_no_binding_friction_gives_an_empty_table_of_the_columns() -> None:
    # every dual zero and no family: no rows, still the columns and their types
    ix, sol = _index(), _solution()
    sol.row_duals = {k: np.zeros(len(v)) for k, v in sol.row_duals.items()}
    frame = frictions.friction_rows(ix, sol, "S", FAMILIES)
    assert list(frame.columns) == frictions.COLUMNS
    assert frame.empty
    assert (frame["year"].dtype, frame["value_usd_per_t"].dtype) == (
        np.int64, np.float64)


def test_a_scenario_without_capacity_rows_has_no_ramp_up_rows() -> None:
    # no capacity_limit duals: only the collection rows of the first test
    ix, sol = _index(), _solution()
    del sol.row_duals["capacity_limit"]
    frame = frictions.friction_rows(ix, sol, "S", [COLLECTION])
    assert [tuple(r) for r in frame.itertuples(index=False)] == [
        ("S", "collection", "", "grind", "us", 2027, 7.0),
        ("S", "collection", "", "", "jp", 2027, 3.0)]


def test_a_dual_of_exactly_a_millionth_does_not_bind() -> None:
    # binding means |dual| > 1e-6 USD/t (bottlenecks.BINDING), for a friction
    # family's row and for a ramping capacity row alike. The adoption duals
    # become -1e-6 (2026) and 2e-6 (2027); the capacity duals of the two ramping
    # rows become 1e-6 (us sep 2026) and -2e-6 (au mine 2026). Kept: adoption
    # 2027 (|2e-6|) and au mine 2026, 2e-6 x availability 1.0 = 2e-6.
    ix, sol = _index(), _solution()
    sol.row_duals["adoption"] = np.array([-1e-6, 2e-6])
    sol.row_duals["capacity_limit"] = np.array([1e-6, 0.0, -2e-6, 0.0, 0.0])
    frame = frictions.friction_rows(ix, sol, "S", [ADOPTION])
    assert [tuple(r) for r in frame.itertuples(index=False)] == [
        ("S", "adoption", "", "recyc", "us", 2027, 2e-6),
        ("S", "ramp-up", "", "mine", "au", 2026, 2e-6)]


def test_a_friction_keyed_by_process_names_that_process() -> None:
    # a friction family whose rows are keyed by (region, process, year): the
    # row's process is its process key (no recipe or scrap key to read instead)
    plant = ConstraintFamily("plant", "<=", lambda ix: None, "per plant",
                             friction="plant")
    ix, sol = _index(), _solution()
    sol.rows["plant"] = _block(["region", "process", "year"], [("us", "sep", 2026)])
    sol.row_duals["plant"] = np.array([4.0])
    frame = frictions.friction_rows(ix, sol, "S", [plant])
    assert tuple(frame.iloc[0]) == ("S", "plant", "", "sep", "us", 2026, 4.0)


def test_a_blank_key_reads_as_blank() -> None:
    # a build-rate row over every stage (a blank stage key): stage "", not "nan"
    ix, sol = _index(), _solution()
    keys = sol.rows["build_rate"].keys
    keys["stage"] = keys["stage"].astype(object)
    keys.loc[0, "stage"] = None
    frame = frictions.friction_rows(ix, sol, "S", [BUILD_RATE])
    assert frame["stage"].iloc[0] == ""


# attribute: ox is made by sep (refining) from ore of mine (mining); the
# horizon is 2025-2030.
PROCESSES = pd.DataFrame({"process": ["mine", "sep", "grind", "recyc"],
                          "stage": ["mining", "refining", "scrap", "recycling"]})


def _lead(year: float | None, binding: object = False, earliest: float = 2026
          ) -> pd.DataFrame:
    return pd.DataFrame({"scenario": ["S"], "commodity": ["ox"],
                         "self_sufficient_year": [year], "stage": ["refining"],
                         "lead_time_binding": [binding],
                         "earliest_online_year": [earliest]})


def _rows(rows: list[tuple]) -> pd.DataFrame:
    return _frame(frictions.COLUMNS, [("S", *r) for r in rows])


def _attribute(lead: pd.DataFrame, rows: pd.DataFrame) -> tuple[str, str]:
    out = frictions.attribute(lead, rows, IO, PROCESSES, 2025, 2030)
    assert list(out.columns) == [*lead.columns, "friction", "friction_stage"]
    return out["friction"].iloc[0], out["friction_stage"].iloc[0]


RATE_ROWS = [  # build rate (stage rows, no process) 10 a row: 3 rows in 2026,
    ("build rate", "mining", "", "", 2026, 10.0),   # one in 2027: worth 10 + 10
    ("build rate", "mining", "", "", 2026, 10.0),
    ("build rate", "mining", "", "", 2026, 10.0),
    ("build rate", "mining", "", "", 2027, 10.0)]


def test_met_from_the_start_has_no_friction() -> None:
    assert _attribute(_lead(2025), _rows(RATE_ROWS)) == ("", "")


def test_lead_time_when_the_year_is_the_earliest_online_year() -> None:
    # bound by its lead time and met in (or before) 2026, its earliest year
    assert _attribute(_lead(2026, True, 2026), _rows(RATE_ROWS)) == (
        "lead time", "refining")
    # met later than the lead time allows: the frictions decide (build rate)
    assert _attribute(_lead(2027, True, 2026), _rows(RATE_ROWS))[0] == "build rate"
    # not bound by its lead time (blank, as False): the frictions decide, and
    # none binds before 2026
    assert _attribute(_lead(2026, None, 2026), _rows(RATE_ROWS)) == (
        "other limits", "")


def test_the_friction_worth_most_per_year_wins_not_the_most_rows() -> None:
    # Met in 2028: the years before are 2026-27. build rate: the largest row a
    # year, 10 + 10 = 20 (not 40, the sum of its four rows). A collection row
    # of kiln (99) is not in ox's chain (sep, mine, recyc, grind); a ramp-up
    # row of sep (refining) in 2026 worth 25 is: ramp-up 25 > 20 wins, stage
    # refining (the process's stage). A 2028 row (not before the year) of 100
    # is not counted.
    rows = _rows([*RATE_ROWS, ("ramp-up", "", "sep", "us", 2026, 25.0),
                  ("collection", "", "kiln", "us", 2026, 99.0),
                  ("ramp-up", "", "mine", "au", 2028, 100.0)])
    assert _attribute(_lead(2028), rows) == ("ramp-up", "refining")
    # without the ramp-up row of sep, build rate (20) wins, stage mining
    assert _attribute(_lead(2028), _rows(RATE_ROWS)) == ("build rate", "mining")


def test_never_met_counts_every_year_of_the_horizon() -> None:
    # never self-sufficient: the years before 2031 count; a 2030 ramp-up row of
    # mine worth 15 beats build rate's 10 + 10 only with a second year: 15 + 15
    rows = _rows([*RATE_ROWS, ("ramp-up", "", "mine", "au", 2029, 15.0),
                  ("ramp-up", "", "mine", "au", 2030, 15.0)])
    assert _attribute(_lead(None), rows) == ("ramp-up", "mining")


def test_the_stage_is_that_of_the_winning_rows_largest_sum() -> None:
    # build rate rows of two stages: per year only the largest row counts, the
    # refining one (30 against mining's 10) in 2026 and 2027: stage refining
    rows = _rows([*RATE_ROWS, ("build rate", "refining", "", "", 2026, 30.0),
                  ("build rate", "refining", "", "", 2027, 30.0)])
    assert _attribute(_lead(2028), rows) == ("build rate", "refining")


def test_no_friction_before_the_year_means_other_limits() -> None:
    # met in 2027 later than the lead time's 2026 and nothing binds before 2027
    rows = _rows([("build rate", "mining", "", "", 2027, 10.0)])
    assert _attribute(_lead(2027, True, 2026), rows) == ("other limits", "")


def test_several_lead_rows_each_see_their_scenario_and_chain() -> None:
    # One call, four rows. ox's chain: sep (refining), mine (mining), recyc,
    # grind (scrap); ore's: mine (mining). Rows of S: build rate at mining 10 in
    # 2026 and 2027 (20), ramp-up of sep 25 in 2026. Rows of T: ramp-up of mine 5
    # in 2026, collection of grind 7 in 2027.
    # S/ox, met 2028: ramp-up 25 > build rate 20, stage refining (sep's).
    # S/ore, met 2028: sep is not in ore's chain: build rate 20, stage mining.
    # T/ox, met 2028: only T's rows: collection 7 > ramp-up 5, stage scrap
    # (grind's); S's ramp-up (25) does not count for T.
    # T/ore, met 2025 (base year): no friction.
    lead = pd.DataFrame({"scenario": ["S", "S", "T", "T"],
                         "commodity": ["ox", "ore", "ox", "ore"],
                         "self_sufficient_year": [2028, 2028, 2028, 2025],
                         "stage": ["refining", "mining", "refining", "mining"],
                         "lead_time_binding": [False] * 4,
                         "earliest_online_year": [2026] * 4})
    rows = _frame(frictions.COLUMNS, [
        ("S", "build rate", "mining", "", "", 2026, 10.0),
        ("S", "build rate", "mining", "", "", 2027, 10.0),
        ("S", "ramp-up", "", "sep", "us", 2026, 25.0),
        ("T", "ramp-up", "", "mine", "au", 2026, 5.0),
        ("T", "collection", "", "grind", "us", 2027, 7.0)])
    out = frictions.attribute(lead, rows, IO, PROCESSES, 2025, 2030)
    assert list(zip(out["friction"], out["friction_stage"])) == [
        ("ramp-up", "refining"), ("build rate", "mining"), ("collection", "scrap"),
        ("", "")]


def test_a_friction_named_longer_than_other_limits_keeps_its_whole_name() -> None:
    # a friction label of 22 characters (longer than "other limits", 12): the
    # only friction of ox's chain before 2028, of sep (refining), so it sets the
    # year with its name in full
    rows = _rows([("offtake contract floor", "", "sep", "us", 2026, 5.0)])
    assert _attribute(_lead(2028), rows) == ("offtake contract floor", "refining")


def test_a_tie_within_a_year_goes_to_the_row_listed_first() -> None:
    # Two ramp-up rows of ox's chain in 2026, both worth 10: a year counts its
    # most valuable row once, and between equal rows the one listed first in
    # the friction rows ("order"). Listed sep (refining) then mine (mining): the
    # kept row is sep's, stage refining; listed the other way: mine's, mining.
    # (Either way ramp-up is worth 10, the only friction.)
    sep = ("ramp-up", "", "sep", "us", 2026, 10.0)
    mine = ("ramp-up", "", "mine", "au", 2026, 10.0)
    assert _attribute(_lead(2028), _rows([sep, mine])) == ("ramp-up", "refining")
    assert _attribute(_lead(2028), _rows([mine, sep])) == ("ramp-up", "mining")


def test_ties_in_worth_go_to_the_first_name_whatever_the_listing() -> None:
    # ox met 2028. build rate at mining 10 in 2026 and adoption of recyc
    # (recycling) 10 in 2027: each friction is worth 10, the tie goes to the
    # first friction by name, adoption (a < b), stage recycling, in either order
    # of listing.
    rate = ("build rate", "mining", "", "", 2026, 10.0)
    adopt = ("adoption", "", "recyc", "us", 2027, 10.0)
    for listed in ([rate, adopt], [adopt, rate]):
        assert _attribute(_lead(2028), _rows(listed)) == ("adoption", "recycling")
    # build rate alone, at mining 10 in 2026 and at refining 10 in 2027: worth
    # 20; its stages' sums tie at 10, so the first stage by name, mining (m < r)
    refine = ("build rate", "refining", "", "", 2027, 10.0)
    for listed in ([rate, refine], [refine, rate]):
        assert _attribute(_lead(2028), _rows(listed)) == ("build rate", "mining")
