"""Hostile uploads: zip bombs, forged directories, wrong file kinds, huge
sheets, and fuzzed bytes never get further than an InvalidInput."""

from __future__ import annotations

import io
import json
import random
import struct
import time
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.errors import InvalidInput
from indicators.xlsx import (
    check_zip_archive,
    period_data_from_xlsx,
    period_data_to_xlsx,
    plan_from_xlsx,
    plan_to_xlsx,
)
from indicators.xlsx.safety import MAX_CELLS, MAX_ROWS, load_xlsx

DEMO = Path(__file__).resolve().parents[2] / "assessment" / "demo_data"


def _load(name: str) -> dict[str, Any]:
    return json.loads((DEMO / name).read_text("utf-8"), parse_float=Decimal)


PLAN_BYTES = plan_to_xlsx(_load("plan-2026.json"))
DATA_BYTES = period_data_to_xlsx(_load("data-2026Q1.json"))


def _codes(exc: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {p.code for p in exc.value.problems}


def _zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _forge_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite an entry's declared uncompressed size in the central directory."""
    record = data.index(b"PK\x01\x02")
    while True:
        name_length = struct.unpack_from("<H", data, record + 28)[0]
        if data[record + 46 : record + 46 + name_length] == name.encode():
            break
        record = data.index(b"PK\x01\x02", record + 4)
    return data[: record + 24] + struct.pack("<L", size) + data[record + 28 :]


def _check(data: bytes, **limits: int) -> None:
    check_zip_archive(io.BytesIO(data), **limits)


# -- check_zip_archive -------------------------------------------------------


def test_exported_workbooks_pass_the_archive_check() -> None:
    _check(PLAN_BYTES)
    _check(DATA_BYTES)


@pytest.mark.parametrize(
    "data",
    [b"", b"PK", b"hello, world", "编码,名称\nT01,城关街道\n".encode(), bytes(5000)],
)
def test_bytes_that_are_not_a_zip_are_refused(data: bytes) -> None:
    with pytest.raises(InvalidInput) as exc:
        _check(data)
    assert _codes(exc) == {"not_an_archive"}


def test_thousands_of_entries_are_refused() -> None:
    data = _zip({f"xl/media/{i}.xml": b"" for i in range(2001)})
    with pytest.raises(InvalidInput) as exc:
        _check(data)
    assert _codes(exc) == {"zip_too_many_entries"}
    _check(data, max_entries=2001)


def test_a_forged_directory_claiming_one_gigabyte_is_refused_unread() -> None:
    # The entry's data is 10 bytes of garbage: refusing from the directory alone
    # shows nothing was decompressed.
    data = _forge_size(
        _zip({"xl/worksheets/sheet1.xml": b"x" * 10}), "xl/worksheets/sheet1.xml", 2**30
    )
    with pytest.raises(InvalidInput) as exc:
        _check(data)
    assert _codes(exc) == {"zip_too_large", "zip_ratio"}
    message = next(p.message for p in exc.value.problems if p.code == "zip_too_large")
    assert "1024 MB" in message and "200 MB" in message


@pytest.fixture(scope="module")
def real_bomb() -> bytes:
    """256 MiB of zeros, written lazily in 1 MiB chunks (about 1 MB zipped)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = bytes(2**20)
            for _ in range(256):
                entry.write(chunk)
        archive.writestr("[Content_Types].xml", b"<Types/>")
    return buffer.getvalue()


def test_a_real_zip_bomb_is_refused_quickly_in_little_memory(real_bomb: bytes) -> None:
    assert len(real_bomb) < 2 * 2**20
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InvalidInput) as exc:
            plan_from_xlsx(real_bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2
    assert peak < 16 * 2**20
    assert _codes(exc) == {"zip_too_large", "zip_ratio"}


def test_the_ratio_limit_is_a_parameter(real_bomb: bytes) -> None:
    with pytest.raises(InvalidInput) as exc:
        _check(real_bomb, max_total=2**40)
    assert _codes(exc) == {"zip_ratio"}
    _check(real_bomb, max_total=2**40, max_ratio=10**6)


def test_small_parts_may_compress_well() -> None:
    _check(_zip({"xl/styles.xml": b" " * 100_000}))


@pytest.mark.parametrize(
    "name",
    [
        "../evil.xml",
        "xl/../../evil.xml",
        "/etc/passwd",
        "\\evil.xml",
        "C:/evil.xml",
        "xl\\..\\evil",
    ],
)
def test_unsafe_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        _check(_zip({"[Content_Types].xml": b"", name: b"x"}))
    assert _codes(exc) == {"zip_unsafe_name"}
    assert exc.value.problems[0].path == name


def test_duplicate_names_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("xl/workbook.xml", b"a")
        archive.writestr("xl/workbook.xml", b"b")
    with pytest.raises(InvalidInput) as exc:
        _check(buffer.getvalue())
    assert _codes(exc) == {"zip_duplicate_name"}


def test_an_end_record_declaring_a_huge_directory_is_refused_before_parsing() -> None:
    data = bytearray(_zip({"a.xml": b"x"}))
    end = data.rindex(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 0xFFFF, 0xFFFF)  # entry counts
    with pytest.raises(InvalidInput) as exc:
        _check(bytes(data))
    assert _codes(exc) == {"zip_too_many_entries"}


# -- which files are workbooks -------------------------------------------------


def test_a_legacy_xls_file_is_refused_with_advice() -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with pytest.raises(InvalidInput) as exc:
        plan_from_xlsx(ole2)
    assert _codes(exc) == {"legacy_xls"}
    assert ".xlsx" in exc.value.problems[0].message


def test_csv_is_refused() -> None:
    with pytest.raises(InvalidInput) as exc:
        period_data_from_xlsx("乡镇,指标,数值\nT01,A1,3000\n".encode("gbk"))
    assert _codes(exc) == {"not_an_archive"}


def _with_entries(data: bytes, extra: dict[str, bytes], drop: str = "") -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = {n: source.read(n) for n in source.namelist() if n != drop}
    return _zip({**entries, **extra})


def test_a_workbook_with_macros_is_refused() -> None:
    with pytest.raises(InvalidInput) as exc:
        plan_from_xlsx(_with_entries(PLAN_BYTES, {"xl/vbaProject.bin": b"\x00" * 64}))
    assert _codes(exc) == {"macro_enabled"}


def test_a_macro_enabled_content_type_is_refused() -> None:
    types = zipfile.ZipFile(io.BytesIO(PLAN_BYTES)).read("[Content_Types].xml")
    types = types.replace(
        b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
    )
    with pytest.raises(InvalidInput) as exc:
        plan_from_xlsx(_with_entries(PLAN_BYTES, {"[Content_Types].xml": types}))
    assert _codes(exc) == {"macro_enabled"}


def test_other_zip_files_are_not_workbooks() -> None:
    docx = _zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    )
    with pytest.raises(InvalidInput) as exc:
        plan_from_xlsx(docx)
    assert _codes(exc) == {"not_xlsx"}
    with pytest.raises(InvalidInput) as exc:
        plan_from_xlsx(_with_entries(PLAN_BYTES, {}, drop="[Content_Types].xml"))
    assert _codes(exc) == {"not_xlsx"}


def test_file_objects_are_accepted() -> None:
    assert load_xlsx(io.BytesIO(PLAN_BYTES)).sheetnames[0] == "考核细则"

    class Stream(io.RawIOBase):  # an upload that cannot seek
        def __init__(self) -> None:
            self.inner = io.BytesIO(PLAN_BYTES)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            chunk = self.inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    assert load_xlsx(io.BufferedReader(Stream())).sheetnames[0] == "考核细则"


# -- sheet sizes -----------------------------------------------------------------


def _workbook_bytes(fill: Any) -> bytes:
    wb = openpyxl.Workbook()
    fill(wb.active)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_sheet_with_more_than_100000_rows_is_refused() -> None:
    def fill(ws: Any) -> None:
        ws.title = "填报"
        ws.append(["乡镇", "指标", "数值"])
        ws.cell(row=MAX_ROWS + 1, column=1, value="T01")  # sparse: a small file

    with pytest.raises(InvalidInput) as exc:
        period_data_from_xlsx(_workbook_bytes(fill), plan="p", period="q")
    assert _codes(exc) == {"too_many_rows"}
    assert "填报" in exc.value.problems[0].message
    assert "100000" in exc.value.problems[0].message


def test_a_sheet_at_the_row_limit_is_read() -> None:
    def fill(ws: Any) -> None:
        ws.title = "填报"
        ws.append(["乡镇", "指标", "数值"])
        ws.cell(row=MAX_ROWS, column=1, value="T01")
        ws.cell(row=MAX_ROWS, column=2, value="A1")
        ws.cell(row=MAX_ROWS, column=3, value=1)

    data = period_data_from_xlsx(_workbook_bytes(fill), plan="p", period="q")
    assert data["records"] == [{"township": "T01", "indicator": "A1", "value": 1}]


def test_cells_far_to_the_right_count_against_the_cell_limit() -> None:
    def fill(ws: Any) -> None:
        for row in range(1, MAX_CELLS // 16384 + 2):
            ws.cell(row=row, column=16384, value="x")

    with pytest.raises(InvalidInput) as exc:
        plan_from_xlsx(_workbook_bytes(fill))
    assert _codes(exc) == {"too_many_cells"}


def test_a_used_range_too_wide_to_walk_is_refused() -> None:
    def fill(ws: Any) -> None:
        ws.title = "填报"
        ws.append(["乡镇", "指标", "数值"])
        ws.cell(row=2, column=16384, value="x")

    with pytest.raises(InvalidInput) as exc:
        period_data_from_xlsx(_workbook_bytes(fill), plan="p", period="q")
    assert _codes(exc) == {"sheet_too_large"}
    assert "XFD2" in exc.value.problems[0].message


# -- fuzzing ---------------------------------------------------------------------

_IMPORTERS = (plan_from_xlsx, period_data_from_xlsx)
_FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _only_invalid_input(data: bytes) -> None:
    for importer in _IMPORTERS:
        try:
            importer(data)
        except InvalidInput as exc:
            assert exc.problems
            assert all(p.message for p in exc.problems)


@_FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_raise_only_invalid_input(data: bytes) -> None:
    _only_invalid_input(data)


@_FUZZ
@given(
    st.binary(max_size=512),
    st.sampled_from([b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0"]),
)
def test_random_bytes_behind_magic_numbers_raise_only_invalid_input(
    tail: bytes, magic: bytes
) -> None:
    _only_invalid_input(magic + tail)


@_FUZZ
@given(st.sampled_from([PLAN_BYTES, DATA_BYTES]), st.randoms(use_true_random=False))
def test_flipped_bytes_in_a_workbook_raise_only_invalid_input(
    data: bytes, rng: random.Random
) -> None:
    mutated = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        mutated[rng.randrange(len(mutated))] = rng.randrange(256)
    _only_invalid_input(bytes(mutated))


# Fragments that reach openpyxl's less trodden paths once inside well-formed zips.
_SNIPPETS = [
    b"",
    b"<",
    b"&amp;",
    b"&#0;",
    b'<c r="A1" t="e"><v>#N/A</v></c>',
    b'<c r="B2"><f>HYPERLINK("http://x")</f><v>1</v></c>',
    b'<c r="ZZZZ9"><v>1</v></c>',
    b'<c r="A1048577"><v>1</v></c>',
    b'<c r="C3" t="s"><v>99999</v></c>',
    b'<c r="D4" t="n"><v>abc</v></c>',
    b'<c r="D4" t="d"><v>not-a-date</v></c>',
    b'<c r="D4" t="b"><v>7</v></c>',
    b'<c r="D4" s="999"><v>1</v></c>',
    b'<mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells>',
    b'<mergeCell ref="A0:ZZZZ0"/>',
    b'<row r="-1"/>',
    b'<row r="99999999999"/>',
    b'<sheet name="x" sheetId="9" r:id="rId99"/>',
    b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
    "中文㽏𬌗😀".encode(),
]


@_FUZZ
@given(
    st.sampled_from([PLAN_BYTES, DATA_BYTES]),
    st.randoms(use_true_random=False),
    st.sampled_from(_SNIPPETS),
)
def test_mutated_parts_of_a_workbook_raise_only_invalid_input(
    data: bytes, rng: random.Random, snippet: bytes
) -> None:
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = {name: source.read(name) for name in source.namelist()}
    name = rng.choice(sorted(entries))
    content = entries[name]
    start = rng.randrange(len(content) + 1)
    end = min(len(content), start + rng.randrange(0, 40))
    entries[name] = content[:start] + snippet + content[end:]
    _only_invalid_input(_zip(entries))


_cell_values = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from(
        ["=1+1", '=HYPERLINK("x")', "９５", "1,286", "无", "是", "类别", "{}"]
    ),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
)
_edits = st.lists(
    st.tuples(st.integers(0, 6), st.integers(1, 60), st.integers(1, 20), _cell_values),
    min_size=1,
    max_size=12,
)


@_FUZZ
@given(st.sampled_from([PLAN_BYTES, DATA_BYTES]), _edits, st.booleans())
def test_random_cell_edits_raise_only_invalid_input(
    data: bytes, edits: list[tuple[int, int, int, Any]], merge: bool
) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for sheet, row, column, value in edits:
        ws = wb.worksheets[sheet % len(wb.worksheets)]
        ws.cell(row=row, column=column).value = value
    if merge:
        wb.worksheets[0].merge_cells(
            start_row=3, start_column=2, end_row=4, end_column=3
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    _only_invalid_input(buffer.getvalue())
