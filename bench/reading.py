"""Reading and validation costs: load the default case from CSV and from xlsx, and
reject a zip bomb before parsing. Prints seconds and peak Python memory.

Run: .venv/bin/python bench/reading.py
"""

from __future__ import annotations

import io
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from model.data.case import load_case
from model.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


def timed(label: str, fn, repeat: int = 3) -> float:  # noqa: ANN001
    fn()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<44} {best:8.3f} s (best of {repeat})")
    return best


def as_workbook(folder: Path, path: Path) -> None:
    case = load_case(folder)
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in case.tables.items():
        ws = wb.create_sheet(name)
        data = frame.drop(columns=["_row"])
        ws.append(list(data.columns))
        for row in data.itertuples(index=False):
            ws.append([_cell(v) for v in row])
    wb.save(path)


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def bomb(path: Path, megabytes: int) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<x>" + b" " * (megabytes * 2**20)
                   + b"</x>")
    path.write_bytes(buffer.getvalue())


def main() -> None:
    default = ROOT / "inputs" / "default"
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "default.xlsx"
        as_workbook(default, xlsx)
        csv_s = timed("load_case(inputs/default) from CSV", lambda: load_case(default))
        xlsx_s = timed("load_case(default) from xlsx", lambda: load_case(xlsx))
        print(f"{'xlsx / CSV':<44} {xlsx_s / csv_s:8.2f} x")
        path = Path(tmp) / "bomb.xlsx"
        bomb(path, 300)
        print(f"zip bomb: {path.stat().st_size:,} bytes on disk, 300 MiB declared")
        tracemalloc.start()
        start = time.perf_counter()
        try:
            load_case(path)
        except InputError as exc:
            message = str(exc)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{'rejected before parsing in':<44} {seconds:8.3f} s, peak "
              f"{peak / 2**20:.1f} MiB Python memory")
        print(f"  {message}")


if __name__ == "__main__":
    main()
