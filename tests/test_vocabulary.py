"""One vocabulary: sectors, user-value parsing and the defaults module."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

from nabij import defaults
from nabij.errors import InputError
from nabij.sectors import FUNDEREND, PO, SECTORS, VO, parse_level, parse_sector, parse_threshold
from nabij.tables import SCHOOL_TYPES

SRC = Path(__file__).resolve().parents[1] / "src" / "nabij"


def test_sectors_cover_the_school_types_once() -> None:
    assert set(PO.types) | set(VO.types) == set(SCHOOL_TYPES)
    assert not set(PO.types) & set(VO.types)
    assert FUNDEREND.types == PO.types + VO.types
    assert [s.label for s in SECTORS.values()] == ["PO", "VO", "funderend"]
    assert FUNDEREND.age_columns == ("kinderen_po", "kinderen_vo")
    assert VO.special_types() == ("VSO",)


@pytest.mark.parametrize("raw,code", [("po", "PO"), (" Vo ", "VO"), ("po+vo", "PO+VO"),
                                      ("PO + VO", "PO+VO"), ("funderend", "PO+VO")])
def test_parse_sector_is_case_insensitive(raw: str, code: str) -> None:
    assert parse_sector(raw).code == code


def test_bad_user_values_raise_one_dutch_error_type() -> None:
    with pytest.raises(InputError, match="Ongeldige sector") as e:
        parse_sector("mbo", file="indeling.csv", row=3, column="sector")
    assert "indeling.csv, rij 3, kolom 'sector'" in str(e.value)
    with pytest.raises(InputError, match="--niveau"):
        parse_level("provincie")
    assert parse_level("PC4") == "pc4"
    assert parse_threshold("8.000", option="--fusie-drempel", integer=True) == 8000
    assert parse_threshold("0,25", option="--s1-aandeel") == 0.25
    with pytest.raises(InputError, match="--fusie-drempel"):
        parse_threshold("-5", option="--fusie-drempel")
    with pytest.raises(InputError):
        parse_threshold("veel", option="--fusie-drempel")


def test_every_default_documents_unit_and_reason() -> None:
    tree = ast.parse((SRC / "defaults.py").read_text(encoding="utf-8"))
    body = tree.body
    names = []
    for node, nxt in zip(body, body[1:] + [None], strict=True):
        if isinstance(node, ast.AnnAssign):
            name = node.target.id  # type: ignore[union-attr]
            names.append(name)
            doc = nxt.value.value if isinstance(nxt, ast.Expr) else None
            assert isinstance(doc, str) and len(doc) > 40, f"{name} heeft geen uitleg"
    assert len(names) >= 10
    assert defaults.MIN_REGION_PUPILS == 10_000
    assert defaults.PRIVACY_THRESHOLD == 10


def test_threshold_literal_lives_only_in_defaults() -> None:
    out = subprocess.run(["grep", "-rn", "--include=*.py", r"10_000\|10000", str(SRC)],
                         capture_output=True, text=True).stdout
    files = {Path(line.split(":", 1)[0]).name for line in out.splitlines()}
    assert files == {"defaults.py"}, out
