"""The ``float`` reader: ``ob_fval`` and its IEEE 754 sign, exponent and mantissa."""

from __future__ import annotations

import math
import struct

from .context import Ctx, Reading, fixed_reading, own_memory


def read_float(o: object, tp: type, ctx: Ctx) -> Reading:
    """A float: its header and ``ob_fval``, with the sign, exponent and mantissa bits."""
    lay, data, r = fixed_reading(o, tp, ctx, "float")
    fv = lay.field("ob_fval")
    raw = data[fv.offset : fv.offset + 8]
    bits = int.from_bytes(raw, "little")
    value = struct.unpack("<d", raw)[0]
    r.blocks["float"] = {
        "value": float.__repr__(value),
        "hex": f"{bits:016x}",
        "sign": bits >> 63,
        "exponent": (bits >> 52) & 0x7FF,
        "mantissa": f"{bits & ((1 << 52) - 1):013x}",
    }
    for fd in r.fields:
        if fd["name"] == "ob_fval":
            fd["note"] = f"IEEE-754 bits {bits:016x}"
    if value != float.__float__(o) and not math.isnan(value):  # type: ignore[arg-type]
        r.notes.append("ob_fval read from memory differs from the value (layout mismatch?)")
    r.memory = own_memory(o, tp, ctx, data)
    return r
