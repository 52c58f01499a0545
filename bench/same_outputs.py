"""Are two runs' outputs the same? ``python -m bench.same_outputs OUT_A OUT_B``.

For checking a change to extraction, KPI assembly or the report that must not
change any output: every ``tables/*.csv`` byte for byte, and every cell of every
sheet of ``report.xlsx`` (value, type, number format, font, fill, alignment,
quote prefix), the sheets' order, merged cells, Excel Tables and the number of
charts. The ``Run info`` sheet holds the run's own timings; its rows whose key
names a time or a memory peak are left out, and the time of the run
(``2026-12-01 15:38 UTC``) is read as the same everywhere. Exit code 1 and one line per
difference (at most ``--show``) when they differ.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from openpyxl import load_workbook

VOLATILE = ("seconds", "peak_rss_mb", "case_path", "versions.")
WHEN = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")  # the run's time, Summary


def csv_differences(a: Path, b: Path) -> list[str]:
    names_a = sorted(p.name for p in (a / "tables").glob("*.csv"))
    names_b = sorted(p.name for p in (b / "tables").glob("*.csv"))
    out = [] if names_a == names_b else [f"tables differ: {names_a} vs {names_b}"]
    out += [f"tables/{n} differs" for n in names_a if n in names_b and
            (a / "tables" / n).read_bytes() != (b / "tables" / n).read_bytes()]
    return out


def _style(cell: object) -> tuple[object, ...]:
    f, fill, al = cell.font, cell.fill, cell.alignment  # type: ignore[attr-defined]
    return (cell.data_type, cell.number_format,  # type: ignore[attr-defined]
            (f.name, f.b, f.sz, f.color.rgb if f.color is not None else None),
            (fill.fill_type, fill.fgColor.rgb),
            (al.horizontal, al.vertical, al.wrap_text),
            cell.quotePrefix)  # type: ignore[attr-defined]


def _cells(ws: object, sheet: str) -> dict[tuple[int, int], tuple[object, ...]]:
    out = {}
    skip: set[int] = set()
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            if cell.value is None and cell.style_id == 0:
                continue
            if (sheet == "Run info" and cell.column == 1 and isinstance(
                    cell.value, str) and any(v in cell.value for v in VOLATILE)):
                skip.add(cell.row)
            value = (WHEN.sub("<time>", cell.value) if isinstance(cell.value, str)
                     else cell.value)
            out[(cell.row, cell.column)] = (value, *_style(cell))
    return {k: v for k, v in out.items() if k[0] not in skip}


def xlsx_differences(a: Path, b: Path, show: int) -> list[str]:
    wa, wb = load_workbook(a), load_workbook(b)
    if wa.sheetnames != wb.sheetnames:
        return [f"sheets differ: {wa.sheetnames} vs {wb.sheetnames}"]
    out = []
    for name in wa.sheetnames:
        sa, sb = wa[name], wb[name]
        ca, cb = _cells(sa, name), _cells(sb, name)
        diff = [k for k in sorted(set(ca) | set(cb)) if ca.get(k) != cb.get(k)]
        out += [f"{name}!{k}: {ca.get(k)} vs {cb.get(k)}" for k in diff[:show]]
        if len(diff) > show:
            out.append(f"{name}: {len(diff)} cells differ")
        meta_a = (sorted(map(str, sa.merged_cells.ranges)),
                  sorted((t.name, t.ref) for t in sa.tables.values()),
                  len(sa._charts), sa.freeze_panes)  # noqa: SLF001
        meta_b = (sorted(map(str, sb.merged_cells.ranges)),
                  sorted((t.name, t.ref) for t in sb.tables.values()),
                  len(sb._charts), sb.freeze_panes)  # noqa: SLF001
        if meta_a != meta_b:
            out.append(f"{name}: merged cells, tables, charts or panes differ")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--show", type=int, default=5)
    args = parser.parse_args(argv)
    found = csv_differences(args.a, args.b) + xlsx_differences(
        args.a / "report.xlsx", args.b / "report.xlsx", args.show)
    for line in found:
        print(line)
    print("same" if not found else f"{len(found)} differences")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
