"""The Calibration sheet: how well the baseline reproduces the observed base
years (``calibration_fit``: observed, model, gap %) and China's traced share of
the alliance's key-element supply (``china_content``), and the Summary's one
line on it."""

from __future__ import annotations

import math

import pandas as pd

from model.report.excel.cells import BOLD, Rows, Sheets
from model.report.excel.data import ReportData
from model.results.china_content import alliance_share

FMT_SHARE = "0.000"
FMT_PCT = "0.0"
KEY_ELEMENTS = ("NdPr", "Dy", "Tb")


def china_shares(data: ReportData) -> pd.DataFrame:
    """China's traced share of the scope's NdPr, Dy and Tb supply per scenario and
    year (``alliance_share`` of the china_content table)."""
    table = data.table("china_content")
    if table.empty:
        return pd.DataFrame(columns=["scenario", "element", "year", "element_t",
                                     "china_share"])
    return alliance_share(table, data.scope, KEY_ELEMENTS)


def _fit_frame(fit: pd.DataFrame) -> pd.DataFrame:
    frame = fit.drop(columns="scenario").copy()
    frame["within"] = (frame["gap_pct"].abs() <= frame["tolerance_pct"] + 1e-6
                       ).map({True: "yes", False: "no"})
    return frame


def calibration_line(data: ReportData) -> str | None:
    """One sentence: how many observed values the baseline holds, the largest gap,
    and China's traced 2025 (base-year) share of alliance NdPr, Dy and Tb."""
    fit = data.table("calibration_fit")
    if fit.empty:
        return None
    gaps = fit["gap_pct"].dropna()
    worst = fit.loc[gaps.abs().idxmax()] if len(gaps) else None
    years = sorted(set(fit["year"].astype(int)))
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    held = int((fit["gap_pct"].abs() <= fit["tolerance_pct"] + 1e-6).sum()
               + fit["gap_pct"].isna().sum())
    text = (f"Calibration: the baseline reproduces {held} of {len(fit)} observed "
            f"{span} values within their tolerance")
    if worst is not None:
        what = " ".join(str(worst[c]) for c in ("quantity", "region", "process",
                                                "commodity") if str(worst[c]))
        text += f" (largest gap {worst['gap_pct']:+.1f} %, {what} {int(worst['year'])})"
    shares = china_shares(data)
    base = shares[(shares["scenario"] == data.baseline)
                  & (shares["year"] == data.years[0])] if data.years else shares
    if len(base):
        parts = [f"{e} {100 * float(s):.0f} %" for e, s in
                 zip(base["element"], base["china_share"], strict=True)
                 if math.isfinite(float(s))]
        text += (f"; China's traced share of alliance supply in {data.years[0]}: "
                 + ", ".join(parts))
    return text + " (sheet Calibration)."


def write_calibration(sheets: Sheets, data: ReportData) -> None:
    """The Calibration sheet (only when the case has calibration rows or the run
    traced China content)."""
    fit = data.table("calibration_fit")
    shares = china_shares(data)
    if fit.empty and shares.empty:
        return
    ws = sheets.new("Calibration", [14, 12, 12, 16, 16, 14, 12, 12, 10, 12, 8],
                    fit=True)  # printed landscape, one page wide
    rows = Rows(ws)
    rows.text("Calibration: the baseline against the observed base years", BOLD)
    line = calibration_line(data)
    if line:
        rows.paragraph(line)
    rows.paragraph("Observed values (table calibration) are held in the baseline "
                   "within value × (1 ± tolerance_pct/100); china_share is measured "
                   "at the stage of its commodity: shipments from China (and the "
                   "Chinese share of stock draws) over all supply to the buyers. "
                   "The traced shares below follow every stage (china_content).")
    rows.append()
    if not fit.empty:
        rows.block("calibration_fit (observed, model, gap %)", _fit_frame(fit),
                   {"year": "0", "observed": FMT_SHARE, "model": FMT_SHARE,
                    "gap_pct": FMT_PCT, "tolerance_pct": FMT_PCT})
        rows.append()
    if not shares.empty:
        wide = shares.pivot_table(index=["scenario", "year"], columns="element",
                                  values="china_share", sort=False).reset_index()
        wide.columns = [str(c) for c in wide.columns]
        rows.block("China's traced share of alliance and partner supply (0-1)",
                   wide, {"year": "0"} | dict.fromkeys(KEY_ELEMENTS, FMT_SHARE))
