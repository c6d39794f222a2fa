"""Refuse hostile uploads before a parser expands them.

An .xlsx (or .docx) is a zip of XML parts, and openpyxl trusts both layers. So:
first the zip's central directory (names and declared sizes, nothing
decompressed), then a streaming count of each sheet's rows and cells, and only
then the full load, whose memory those counts bound. Declared sizes are enough:
zipfile stops each entry at its declared size and checks its CRC, so an entry
cannot expand past what its directory record says.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
from typing import BinaryIO

import openpyxl
from openpyxl.workbook.workbook import Workbook

from indicators.errors import InvalidInput, Problem, ProblemList

MAX_ROWS = 100_000  # per sheet, header included
# About 400 bytes each once openpyxl has loaded them: 1M cells is a 100,000-row
# sheet of 10 columns and keeps a worker under half a gigabyte.
MAX_CELLS = 1_000_000
MAX_COLUMNS = 200
MAX_SHEETS = 50
# A tiny part (styles, an empty sheet) may compress 500:1 and be harmless; the
# total cap covers many small parts, so the ratio is judged on large ones only.
RATIO_MIN_SIZE = 2**20
# Central directory records are 46 bytes plus the name; real names are short.
_DIRECTORY_BYTES_PER_ENTRY = 1024
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DRIVE_RE = re.compile(r"[A-Za-z]:")

NOT_AN_ARCHIVE = "文件已损坏,或不是 Office 文档(.xlsx/.docx)"
NOT_XLSX = (
    "文件不是有效的 Excel 工作簿(.xlsx),请在 Excel 中另存为“Excel 工作簿(*.xlsx)”"
)
LEGACY_XLS = (
    "这是旧版 Excel 文件(.xls),请在 Excel 中另存为“Excel 工作簿(*.xlsx)”后再上传"
)
MACRO_ENABLED = "文件含有宏(.xlsm),出于安全原因不能导入,请另存为不含宏的 .xlsx"


def _refuse(code: str, message: str, path: str = "") -> InvalidInput:
    return InvalidInput([Problem(path, code, message)])


def check_zip_archive(
    fileobj: BinaryIO,
    *,
    max_entries: int = 2000,
    max_total: int = 200 * 2**20,
    max_ratio: int = 200,
) -> None:
    """Refuse a zip that is malformed, has too many entries, declares too much
    data or a bomb-like compression ratio, or holds unsafe names.

    Reads the central directory only; raises InvalidInput listing every problem.
    """
    bounds = _directory_bounds(fileobj)
    if bounds is None:
        raise _refuse("not_an_archive", NOT_AN_ARCHIVE)
    entries, directory_size = bounds
    # Checked before zipfile reads the directory: it builds an object per
    # record, so a forged directory could exhaust memory on its own.
    if (
        entries > max_entries
        or directory_size > max_entries * _DIRECTORY_BYTES_PER_ENTRY
    ):
        raise _refuse(
            "zip_too_many_entries",
            f"压缩包内文件过多(声明 {entries} 个,上限 {max_entries} 个),疑似恶意文件",
        )
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
    except Exception as exc:  # untrusted bytes: zipfile raises many kinds
        raise _refuse("not_an_archive", NOT_AN_ARCHIVE) from exc
    problems = ProblemList()
    if len(infos) > max_entries:
        problems.add(
            "",
            "zip_too_many_entries",
            f"压缩包内文件过多({len(infos)} 个,上限 {max_entries} 个),疑似恶意文件",
        )
    total = 0
    names: set[str] = set()
    for info in infos:
        name = info.filename
        if _unsafe_name(name):
            problems.add(
                name, "zip_unsafe_name", f"压缩包内含有不安全的路径“{name[:80]}”"
            )
        if name in names:
            problems.add(name, "zip_duplicate_name", f"压缩包内“{name[:80]}”重复出现")
        names.add(name)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_MIN_SIZE and ratio > max_ratio:
            problems.add(
                name,
                "zip_ratio",
                f"“{name[:80]}”的压缩比异常({ratio:.0f} 倍,上限 {max_ratio} 倍),"
                "疑似压缩炸弹",
            )
    if total > max_total:
        problems.add(
            "",
            "zip_too_large",
            f"解压后共 {total / 2**20:.0f} MB,超过上限 {max_total / 2**20:.0f} MB",
        )
    problems.raise_if_any()


def _directory_bounds(fileobj: BinaryIO) -> tuple[int, int] | None:
    """(entry count, directory size) from the end-of-central-directory record.

    Zip64 archives mark both with all-ones, which then exceed any limit: fine,
    since office files never need zip64.
    """
    try:
        size = fileobj.seek(0, io.SEEK_END)
        if size < _EOCD_SIZE:
            return None
        tail_size = min(size, _EOCD_SIZE + 0xFFFF)  # the record, then a comment
        fileobj.seek(size - tail_size)
        tail = fileobj.read(tail_size)
    except (OSError, ValueError):
        return None
    # As zipfile does: a record without comment sits at the very end.
    at = len(tail) - _EOCD_SIZE
    if tail[at : at + 4] != _EOCD:
        at = tail.rfind(_EOCD, 0, len(tail) - _EOCD_SIZE + 1)
        if at < 0:
            return None
    fields = struct.unpack("<4s4H2LH", tail[at : at + _EOCD_SIZE])
    return fields[4], fields[5]


def _unsafe_name(name: str) -> bool:
    parts = re.split(r"[\\/]", name)
    return (
        name.startswith(("/", "\\"))
        or bool(_DRIVE_RE.match(name))
        or ".." in parts
        or "\x00" in name
    )


def _as_fileobj(data: bytes | bytearray | memoryview | BinaryIO) -> BinaryIO:
    if isinstance(data, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(data))
    if not hasattr(data, "read"):
        raise TypeError(f"expected bytes or a binary file, got {type(data).__name__}")
    if data.seekable():
        return data
    return io.BytesIO(data.read())  # zipfile needs to seek


def load_xlsx(data: bytes | bytearray | memoryview | BinaryIO) -> Workbook:
    """A workbook from untrusted bytes, or InvalidInput saying why not.

    Loaded with formulas visible (data_only=False) so the readers can refuse
    them rather than import a stale cached value.
    """
    fileobj = _as_fileobj(data)
    fileobj.seek(0)
    if fileobj.read(len(_OLE2_MAGIC)) == _OLE2_MAGIC:
        raise _refuse("legacy_xls", LEGACY_XLS)
    check_zip_archive(fileobj)
    _refuse_macros(fileobj)
    _check_sheet_sizes(fileobj)
    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extras
            return openpyxl.load_workbook(
                fileobj, read_only=False, data_only=False, keep_links=False
            )
    except Exception as exc:  # untrusted XML: openpyxl raises many kinds
        raise _refuse("not_xlsx", NOT_XLSX) from exc


def _refuse_macros(fileobj: BinaryIO) -> None:
    fileobj.seek(0)
    with zipfile.ZipFile(fileobj) as archive:
        names = archive.namelist()
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise _refuse("macro_enabled", MACRO_ENABLED)
        try:
            info = archive.getinfo("[Content_Types].xml")
        except KeyError:
            raise _refuse("not_xlsx", NOT_XLSX) from None
        if info.file_size > 2**20:
            raise _refuse("not_xlsx", NOT_XLSX)
        try:
            types = archive.read(info)
        except Exception as exc:  # corrupt entry: zipfile raises many kinds
            raise _refuse("not_xlsx", NOT_XLSX) from exc
    if b"macroEnabled" in types:
        raise _refuse("macro_enabled", MACRO_ENABLED)


def _check_sheet_sizes(fileobj: BinaryIO) -> None:
    """Stream every sheet once, counting rows and the cells a full load would
    create, and refuse before that load if either is too many."""
    fileobj.seek(0)
    problems = ProblemList()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about what it skips
            _count_cells(fileobj, problems)
    except InvalidInput:
        raise
    except Exception as exc:  # untrusted XML: openpyxl raises many kinds
        raise _refuse("not_xlsx", NOT_XLSX) from exc
    problems.raise_if_any()


def _count_cells(fileobj: BinaryIO, problems: ProblemList) -> None:
    workbook = openpyxl.load_workbook(fileobj, read_only=True, keep_links=False)
    try:
        if len(workbook.sheetnames) > MAX_SHEETS:
            problems.add("", "too_many_sheets", f"工作表超过 {MAX_SHEETS} 个")
            return
        cells = 0
        for ws in workbook.worksheets:
            ws.reset_dimensions()  # the declared size may lie; count instead
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                cells += len(row)
                if number > MAX_ROWS:
                    problems.add(
                        ws.title,
                        "too_many_rows",
                        f"工作表“{ws.title}”超过 {MAX_ROWS} 行,请拆分后分批导入",
                    )
                    break
                if cells > MAX_CELLS:
                    problems.add(
                        ws.title,
                        "too_many_cells",
                        f"工作簿的单元格超过 {MAX_CELLS} 个(在“{ws.title}”处),"
                        "请删除多余的行、列或拆分后分批导入",
                    )
                    return
    finally:
        workbook.close()
