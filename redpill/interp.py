"""Facts about the running interpreter that select a layout table.

Nothing here reads memory; it only answers "which CPython is this?" so that
:mod:`redpill.structs` can hand out the matching struct tables.
"""

from __future__ import annotations

import platform
import sys
import sysconfig
from dataclasses import dataclass

MIN_MINOR = 11
MAX_MINOR = 15


class UnsupportedInterpreter(RuntimeError):
    """Raised when the running interpreter is not a CPython redpill can read."""


@dataclass(frozen=True)
class Interpreter:
    """The build facts a layout depends on."""

    implementation: str
    version: str
    minor: int
    free_threaded: bool
    pointer_size: int
    byteorder: str
    digit_bits: int
    digit_size: int
    trace_refs: bool
    has_ctypes: bool = True

    def as_payload(self) -> dict[str, object]:
        """The payload's ``interpreter`` block for this interpreter."""
        return {
            "implementation": self.implementation,
            "version": self.version,
            "pointer_size": self.pointer_size,
            "free_threaded": self.free_threaded,
            "byteorder": self.byteorder,
            "digit_bits": self.digit_bits,
        }


def _implementation_name() -> str:
    name = sys.implementation.name
    return {"cpython": "CPython", "pypy": "PyPy", "graalpy": "GraalPy"}.get(name, name)


def detect() -> Interpreter:
    """Describe the running interpreter (whether or not redpill supports it)."""
    ft = sysconfig.get_config_var("Py_GIL_DISABLED") == 1
    try:
        import ctypes

        pointer_size = ctypes.sizeof(ctypes.c_void_p)
        has_ctypes = True
    except ImportError:  # WASI builds have no _ctypes
        pointer_size = 8 if sys.maxsize > 2**32 else 4
        has_ctypes = False
    return Interpreter(
        implementation=_implementation_name(),
        version=platform.python_version(),
        minor=sys.version_info.minor if sys.version_info.major == 3 else 0,
        free_threaded=ft,
        pointer_size=pointer_size,
        byteorder=sys.byteorder,
        digit_bits=sys.int_info.bits_per_digit,
        digit_size=sys.int_info.sizeof_digit,
        trace_refs=hasattr(sys, "getobjects"),
        has_ctypes=has_ctypes,
    )


def unsupported_reason(interp: Interpreter) -> str | None:
    """Why redpill cannot read this interpreter's memory, or None when it can."""
    if sys.implementation.name != "cpython":
        return (
            f"redpill needs CPython: it reads CPython's memory layout; this is "
            f"{_implementation_name()} {platform.python_version()}, where id() is not an "
            "address. Nothing was read."
        )
    if not (MIN_MINOR <= interp.minor <= MAX_MINOR):
        return (
            f"redpill supports CPython 3.{MIN_MINOR} to 3.{MAX_MINOR}; this is "
            f"CPython {interp.version}. Nothing was read."
        )
    if not interp.has_ctypes:
        return "redpill reads memory with ctypes, which this build of CPython lacks."
    if interp.trace_refs and interp.minor <= 12:
        return "redpill does not support Py_TRACE_REFS builds (their object header is longer)."
    if interp.byteorder != "little":
        return "redpill's layout tables are checked on little-endian machines only."
    return None


CURRENT = detect()
