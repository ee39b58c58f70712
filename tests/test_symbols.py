"""The one canonicaliser, and the one symbol form that the code, the shapes and the JSON
Schema share."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from ldexport.resources import data_dir, schema_path
from ldexport.symbols import SYMBOL_PATTERN, canonical, describe, file_name, is_symbol


@pytest.mark.parametrize(
    ("printed", "symbol", "name"),
    [
        ("A/RES/58/136", "A/RES/58/136", "A_RES_58_136"),
        ("A/RES/36/120 E", "A/RES/36/120E", "A_RES_36_120E"),
        ("A/RES/181 (II)", "A/RES/181(II)", "A_RES_181_II"),
        ("A/RES/ES-10/19", "A/RES/ES-10/19", "A_RES_ES-10_19"),
        ("S/RES/1373 (2001)", "S/RES/1373(2001)", "S_RES_1373_2001"),
        ("S/RES/1373\u00a0(2001)", "S/RES/1373(2001)", "S_RES_1373_2001"),
        ("A/57/152/Add.1/Corr.1", "A/57/152/Add.1/Corr.1", "A_57_152_Add.1_Corr.1"),
        (" A/RES/2200 (XXI) A ", "A/RES/2200(XXI)A", "A_RES_2200_XXIA"),
    ],
)
def test_canonical_and_file_name(printed: str, symbol: str, name: str) -> None:
    assert canonical(printed) == symbol
    assert is_symbol(symbol)
    assert file_name(printed) == name


@pytest.mark.parametrize("text", ["A /RES/1", "58/136", "a/res/58/136", "A/RES/58/136 ", ""])
def test_not_symbols(text: str) -> None:
    assert not is_symbol(text)


@pytest.mark.parametrize(
    ("symbol", "body", "session", "number", "parent"),
    [
        ("A/RES/58/136", "un-ga", "58", "58/136", None),
        ("A/RES/36/120E", "un-ga", "36", "36/120 E", "A/RES/36/120"),
        ("A/RES/181(II)", "un-ga", "2", "181 (II)", None),
        ("A/RES/ES-10/19", "un-ga", "ES-10", "ES-10/19", None),
        ("S/RES/1373(2001)", "un-sc", None, "1373", None),
        ("A/58/499", "un-ga", "58", None, None),
    ],
)
def test_describe(
    symbol: str, body: str, session: str | None, number: str | None, parent: str | None
) -> None:
    info = describe(symbol)
    assert (info.body, info.session, info.number, info.parent) == (body, session, number, parent)


def test_code_shapes_and_schema_share_one_symbol_form() -> None:
    shapes = Graph()
    for path in sorted(data_dir("shapes").glob("*.ttl")):
        shapes.parse(path)
    shape = URIRef("https://w3id.org/ldexport/shapes#IdentifierForm")
    assert str(shapes.value(shape, SH.pattern)) == SYMBOL_PATTERN
    schema = json.loads(schema_path().read_text())
    assert schema["$defs"]["symbol"]["pattern"] == SYMBOL_PATTERN
