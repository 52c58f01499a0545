"""docs/validation.md is generated from the schema and rule registries."""

from __future__ import annotations

from model.data.rules_doc import DOC_PATH, render
from model.data.schema import TABLES
from model.data.validate import SEMANTIC_RULES


def test_committed_doc_equals_generated() -> None:
    assert DOC_PATH.read_text(encoding="utf-8") == render(), (
        "docs/validation.md is out of date: run python -m model.data.rules_doc")


def test_doc_lists_every_column_and_rule() -> None:
    text = render()
    for spec in TABLES:
        assert f"### {spec.name}" in text
        for col in spec.columns:
            assert f"| `{col.name}` |" in text
    for rule in SEMANTIC_RULES:
        assert f"**{rule.id}** ({rule.severity})" in text
