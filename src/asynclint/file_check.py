"""Reading one file and checking it (and with fixing, fixing it): every
failure, from an unreadable file to undecodable bytes, becomes data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from asynclint.analysis import Analysis
from asynclint.index import decode_source
from asynclint.types import FileError

if TYPE_CHECKING:
    from asynclint.checker import Checker
    from asynclint.fixing import FileFix


def check_one(
    checker: Checker,
    path: Path,
    text: str | None,
    fix: bool,
    unsafe: bool,
    search_first: bool = False,
) -> tuple[Analysis, FileFix | None]:
    """Check (and with `fix`, fix) one file; errors become data."""
    try:
        if text is None:
            data = path.read_bytes()
            if b"\0" in data:
                return _failed(path, _nul_failure(data)), None
            text = decode_source(data)
        else:
            data = text.encode("utf-8", "surrogatepass")
    except IsADirectoryError:
        return _failed(path, "is a directory, not a Python file"), None
    except PermissionError:
        return _failed(path, "cannot read: permission denied"), None
    except FileNotFoundError:
        return _failed(path, "no such file"), None
    except OSError as error:
        return _failed(path, f"cannot read: {error.strerror or error}"), None
    except (UnicodeDecodeError, SyntaxError, LookupError) as error:
        return _failed(path, f"cannot decode: {decode_failure(data, error)}"), None
    analysis = checker.analyze(path, text, data, search_first)
    if not fix or analysis.error is not None:
        return analysis, None
    from asynclint.fixing import fix_file  # LibCST loads only when fixing

    settings = checker.settings
    outcome = fix_file(
        checker,
        path,
        text,
        analysis,
        unsafe,
        lambda v: settings.reports(v.path, v.code),
    )
    return outcome.analysis, outcome


def _nul_failure(data: bytes) -> str:
    """Why bytes holding NUL are no source: binary, or a wide encoding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Python reads no UTF-16 or UTF-32 source, whatever a cookie says.
        return "is UTF-16 or UTF-32 text; Python source must be UTF-8 or ASCII-based"
    return "contains a NUL byte; not a Python source file"


def decode_failure(data: bytes, error: Exception) -> str:
    """Why `data` is not source text, pointing at the first bad byte."""
    if isinstance(error, SyntaxError) and "encoding declaration" in str(error.msg):
        # tokenize found undecodable bytes before any coding cookie.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            error = bad
    if not isinstance(error, UnicodeDecodeError):
        return getattr(error, "msg", None) or str(error)
    line = data.count(b"\n", 0, error.start) + 1
    where = f"byte 0x{data[error.start]:02x} on line {line}"
    if error.encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
        return (
            f"not valid UTF-8 ({where}); a coding comment can declare another encoding"
        )
    return f"not valid {error.encoding} as its coding comment says ({where})"


def _failed(path: Path, message: str) -> Analysis:
    return Analysis(
        path.absolute(), (), FileError(path.absolute(), message), None, None, ()
    )


# -- main side ------------------------------------------------------------
