"""The Sources-of-supply sheet: who supplies the scope, from where and from when.

Per scenario: the new capacity it builds, region by stage (table
``new_capacity_by_stage``), then for each key product a stacked column chart of
the scope's supply by origin region and stage over the years (table
``supply_by_origin``; model/results/sources.py says what is counted). The charts
read the blocks of the sheet 'Supply chart data'; an 'origin · stage' keeps its
colour from chart to chart unless another series of the same chart has it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from model.report.excel.cells import BOLD, FMT_T, HEADING, Rows, Sheets
from model.report.excel.charts import (
    ROWS_PER_CHART,
    ChartBook,
    axes,
    stacked_columns,
)
from model.report.excel.data import ReportData
from model.report.excel.pivot import pivot_sum

MAX_SERIES = 10
MAX_CHARTS_PER_SCENARIO = 8
END_PRODUCTS = ("magnet", "alloy")
OTHER = "other"
NOTES = [
    "What the alliance and its partners have of each key product, by the region "
    "where it was made and the stage that made it: made in the scope, shipped in "
    "from outside it (split over the origin's stages in proportion to what it made "
    "that year; 'trade' when it made none), or drawn from a scope stockpile. "
    "Shipments within the scope are counted once, where the product was made.",
    "Tables: data_supply_by_origin and data_new_capacity_by_stage (and "
    "tables/*.csv). New capacity: tpa coming online over the horizon, by region "
    "and stage.",
]


def label(origin: str, stage: str) -> str:
    return f"{origin} · {stage}"


def labelled(data: ReportData) -> pd.DataFrame:
    """supply_by_origin with an 'origin · stage' label column."""
    supply = data.table("supply_by_origin")
    if supply.empty:
        return supply
    return supply.assign(label=[label(o, s) for o, s in
                                zip(supply["origin"], supply["stage"], strict=True)])


def label_order(supply: pd.DataFrame) -> list[str]:
    """Every label, largest total supply first: its colour on every chart."""
    if supply.empty:
        return []
    totals = supply.groupby("label", sort=False)["supplied_t"].sum()
    return list(totals.sort_values(ascending=False, kind="stable").index)


# 20 colours (the ten of charts.PALETTE, then their light tints), so that the
# eleven series of a chart never share one
SUPPLY_PALETTE = ("1F77B4", "D62728", "2CA02C", "FF7F0E", "9467BD", "8C564B",
                  "E377C2", "BCBD22", "17BECF", "AEC7E8", "FF9896", "98DF8A",
                  "FFBB78", "C5B0D5", "C49C94", "F7B6D2", "DBDB8D", "9EDAE5",
                  "393B79", "637939")
OTHER_COLOUR = "7F7F7F"


def colours(order: list[str], labels: list[str]) -> list[str]:
    """A colour per label of one chart: the label's own (by its place in
    ``order``, the same on every chart) unless an earlier series of the chart has
    it, then the next free one; 'other' is grey."""
    used: set[str] = set()
    out = []
    for label in labels:
        if label == OTHER:
            out.append(OTHER_COLOUR)
            continue
        start = (order.index(label) if label in order else 0) % len(SUPPLY_PALETTE)
        ring = SUPPLY_PALETTE[start:] + SUPPLY_PALETTE[:start]
        hex_ = next((c for c in ring if c not in used), ring[0])
        used.add(hex_)
        out.append(hex_)
    return out


Sums = dict[tuple[str, str], pd.DataFrame]


def supply_sums(supply: pd.DataFrame) -> Sums:
    """Supply (t) summed per scenario, commodity, year and label, once for every
    chart (each sum over the same rows in the same order as one chart's own): per
    (scenario, commodity), a frame of its years (rows) and the labels it has
    (columns), 0 where a label has no row in a year."""
    if supply.empty:
        return {}
    sums = supply.groupby(["scenario", "commodity", "year", "label"])[
        "supplied_t"].sum().unstack("label")  # NaN: no row of that label
    values, labels = sums.to_numpy(dtype=float), sums.columns
    years = sums.index.get_level_values("year")
    out = {}
    for key, rows in sums.groupby(level=[0, 1], sort=False).indices.items():
        block = values[rows]
        has = ~np.isnan(block).all(axis=0)
        rows_by_labels = np.ascontiguousarray(np.nan_to_num(block[:, has], nan=0.0))
        out[key] = pd.DataFrame(  # laid out as unstack lays out its frame, so
            # that the sums over 'other' columns add in the same order
            rows_by_labels, index=years[rows], columns=labels[has], copy=False)
    return out


def supply_over_time(sums: Sums, years: list[int], scenario: str,
                     commodity: str, order: list[str]) -> pd.DataFrame:
    """Supply (t) per year (rows) and 'origin · stage' (columns) of one product
    in one scenario (from ``supply_sums``); beyond ``MAX_SERIES`` labels, the
    rest summed as 'other'."""
    wide = sums.get((scenario, commodity))
    if wide is None:
        wide = pd.DataFrame(index=pd.Index([], name="year"))
    columns = [c for c in order if c in wide.columns]
    wide = wide.reindex(index=years, columns=columns, fill_value=0.0)
    if len(columns) > MAX_SERIES:
        wide = wide[columns[:MAX_SERIES]].assign(
            **{OTHER: wide[columns[MAX_SERIES:]].sum(axis=1)})
    return wide.rename_axis(index="year", columns=None).reset_index()


def capacity_table(data: ReportData, scenario: str) -> pd.DataFrame:
    """New capacity (tpa) of one scenario: a row per region, a column per stage."""
    builds = data.table("new_capacity_by_stage")
    builds = builds[builds["scenario"] == scenario] if len(builds) else builds
    if builds.empty:
        return pd.DataFrame(columns=["region"])
    wide = pivot_sum(builds, "region", "stage", "capacity_tpa", fill_value=0.0,
                     sort=False)
    stages = list(dict.fromkeys(data.stage_of.values()))
    wide = wide[[s for s in stages if s in wide.columns]
                + [s for s in wide.columns if s not in stages]]
    return wide.rename_axis(index="region", columns=None).reset_index()


def products(data: ReportData, supply: pd.DataFrame) -> list[str]:
    """The products to chart: the end products (magnets, alloys) in table order,
    then the others by the value of the scope's supply of them over every
    scenario (tonnes x reference price), largest first."""
    if supply.empty:
        return []
    listed = [str(c) for c in dict.fromkeys(supply["commodity"])]
    ends = [c for c in listed if data.kind_of.get(c) in END_PRODUCTS]
    commodities = data.inputs.get("commodities", pd.DataFrame())
    price = dict(zip(commodities.get("commodity", []),
                     commodities.get("reference_price_usd_per_t", []), strict=True))
    tonnes = supply.groupby("commodity")["supplied_t"].sum()
    value = {c: float(tonnes.get(c, 0.0)) * _number(price.get(c)) for c in listed}
    rest = sorted((c for c in listed if c not in ends), key=lambda c: -value[c])
    return ends + rest


def _number(value: object) -> float:
    number = pd.to_numeric(value, errors="coerce")
    return 0.0 if pd.isna(number) else float(number)


def write_supply(sheets: Sheets, data: ReportData) -> None:
    """Sources of supply and its chart data sheet (created in that order)."""
    ws = sheets.new("Sources of supply", [18] + [12] * 10, fit=True)
    rows = Rows(ws)
    rows.text("Sources of supply: who supplies the alliance and partners, from "
              "where and from when", BOLD)
    for note in NOTES:
        rows.paragraph(note, 120)
    book = ChartBook(ws, sheets.new("Supply chart data", [22] + [14] * 12))
    supply = labelled(data)
    order = label_order(supply)
    sums, charted = supply_sums(supply), products(data, supply)
    for scenario in data.scenarios:
        rows.append()
        rows.text(f"Scenario '{scenario}'", HEADING)
        table = capacity_table(data, scenario)
        if len(table):
            rows.block("New capacity by region and stage (tpa, all online years)",
                       table, {})
        else:
            rows.text("No new capacity.")
        _charts(rows, book, data, (sums, charted), scenario, order)


def _charts(rows: Rows, book: ChartBook, data: ReportData,
            supply: tuple[Sums, list[str]], scenario: str, order: list[str]
            ) -> None:
    """The scenario's supply charts, two per band of rows below the table
    (``supply``: the ``supply_sums`` and the ``products`` to chart)."""
    frames = []
    sums, charted = supply
    for commodity in charted:
        frame = supply_over_time(sums, data.years, scenario, commodity, order)
        if frame.shape[1] > 1 and frame.iloc[:, 1:].to_numpy().sum() > 0:
            frames.append((commodity, frame))
    frames = frames[:MAX_CHARTS_PER_SCENARIO]
    top = rows.row + 2
    for i, (commodity, frame) in enumerate(frames):
        chart = stacked_columns()
        name = data.name_of.get(commodity, commodity)
        title = f"{name}: supply by origin and stage (t), {scenario}"
        axes(chart, title, "year", "t", FMT_T)
        column = "A" if i % 2 == 0 else "I"
        book.add(chart, title, frame, FMT_T,
                 anchor=f"{column}{top + ROWS_PER_CHART * (i // 2)}")
        for series, hex_ in zip(chart.series, colours(
                order, list(map(str, frame.columns[1:]))), strict=True):
            series.colour = hex_
    for _ in range(ROWS_PER_CHART * math.ceil(len(frames) / 2)):
        rows.append()
