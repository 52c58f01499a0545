"""Option values are checked the same way by every command (issue 10, item 6).

Before, ``solve --threads -1`` ran (HiGHS refused the value unchecked and solved
with its default, and run.json recorded -1), ``sweep --time-limit -1`` ran while
``solve`` refused it, and ``sweep --seed -1`` / ``--workers 0`` were refused later
with other words. Now one set of argparse types (``model.arguments``) refuses
each bad value at once: exit 2, one message naming the option and the value, no
traceback, no output written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from model.cli import build_parser, main
from tests.sweep.cases import chain_case

BAD_VALUES = [
    ("solve", "--threads", "-1", "an integer >= 1"),
    ("solve", "--threads", "0", "an integer >= 1"),
    ("solve", "--threads", "2.5", "an integer >= 1"),
    ("solve", "--scenarios-at-once", "0", "an integer >= 1"),
    ("solve", "--time-limit", "-1", "a number of seconds >= 0"),
    ("solve", "--time-limit", "nan", "a number of seconds >= 0"),
    ("sweep", "--time-limit", "-1", "a number of seconds >= 0"),
    ("sweep", "--time-limit", "inf", "a number of seconds >= 0"),
    ("sweep", "--seed", "-1", "an integer >= 0"),
    ("sweep", "--workers", "0", "an integer >= 1"),
    ("sweep", "--workers", "-2", "an integer >= 1"),
    ("sweep", "--samples", "0", "an integer >= 1"),
    ("synth", "--seed", "-1", "an integer >= 0"),
    ("synth", "--regions", "2", "an integer >= 3"),
]


def _argv(command: str, case: Path, out: Path, option: str, value: str) -> list[str]:
    if command == "synth":
        return ["synth", str(out), f"{option}={value}"]
    argv = [command, str(case), "--out", str(out), f"{option}={value}"]
    if command == "sweep":  # a sweep that would run: serial, one sample
        argv += ["--executor", "serial"]
        if option != "--samples":
            argv += ["--samples", "1"]
    return argv


@pytest.mark.parametrize(("command", "option", "value", "wanted"), BAD_VALUES,
                         ids=[f"{c}{o}={v}" for c, o, v, _ in BAD_VALUES])
def test_a_bad_option_value_exits_2_naming_option_and_value(
        tmp_path: Path, capsys: pytest.CaptureFixture, command: str, option: str,
        value: str, wanted: str) -> None:
    case = chain_case(tmp_path / "case")
    out = tmp_path / "out"
    assert main(_argv(command, case, out, option, value)) == 2
    err = capsys.readouterr().err
    assert f"reroute {command}: error: argument {option}: '{value}' is not {wanted}" \
        in err, err
    assert "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(("argv", "option", "expected"), [
    (["solve", "--threads", "4"], "threads", 4),
    (["solve", "--scenarios-at-once", "1"], "scenarios_at_once", 1),
    (["solve", "--time-limit", "0.5"], "time_limit", 0.5),
    (["sweep", "--samples", "1", "--time-limit", "0"], "time_limit", 0.0),
    (["sweep", "--samples", "1", "--seed", "0"], "seed", 0),
    (["sweep", "--samples", "1", "--workers", "1"], "workers", 1)])
def test_values_at_the_limits_are_accepted(argv: list[str], option: str,
                                           expected: float) -> None:
    args = build_parser().parse_args(argv)
    assert getattr(args, option) == expected
