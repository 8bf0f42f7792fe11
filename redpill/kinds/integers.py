"""The ``int`` (and ``bool``) reader: the digits, sign and size word (``ob_size`` before
3.12, ``lv_tag`` after), the value as text, and the small-int cache."""

from __future__ import annotations

import sys
from functools import cache

from .. import structs
from ..memory import (
    int_length,
    read_bytes,
)
from .context import FIELD_ARRAY_CAP, Ctx, Reading, field_value, header_fields, memory_dict

#: How many int digits are listed in the int block.
DIGITS_CAP = 64


#: Ints with more digits than this are shown in hex (decimal conversion is quadratic).
DECIMAL_DIGITS_CAP = 100


@cache
def small_int_range() -> tuple[int, int]:
    """Probe the small-int cache on this interpreter: (lowest, highest) shared value."""

    def cached(v: int) -> bool:
        s = str(v)
        return int(s) is int(s)

    lo, hi = structs.facts().small_ints_default
    if not cached(lo) or not cached(hi):  # tables disagree with this build: probe from 0
        lo = hi = 0
    while lo > -4096 and cached(lo - 1):
        lo -= 1
    while hi < 65536 and cached(hi + 1):
        hi += 1
    return lo, hi


def read_int(o: object, tp: type, ctx: Ctx) -> Reading:
    """An int (or bool): its header, the size word, the digits, the sign and the value."""
    facts = ctx.facts
    lay = structs.layout("int", facts.interp)
    assert lay.tail is not None
    enc = facts.long
    head = read_bytes(id(o), lay.tail.offset)
    tag = field_value(head, lay, enc.tag_field)
    if enc.tag_field == "ob_size":
        ndigits = abs(tag)
        sign = (tag > 0) - (tag < 0)
    else:
        ndigits = tag >> enc.size_shift
        sign = 1 - (tag & enc.sign_mask)
    total = int_length(lay, ndigits)
    shown_digits = min(ndigits, DIGITS_CAP)
    n = min(total, max(int_length(lay, shown_digits), ctx.opts.max_bytes))
    data = read_bytes(id(o), n)
    dsize = lay.tail.size
    digits = [
        int.from_bytes(
            data[lay.tail.offset + i * dsize : lay.tail.offset + (i + 1) * dsize], "little"
        )
        for i in range(shown_digits)
    ]
    kind = "bool" if tp is bool else "int"
    r = Reading(kind)
    r.fields = header_fields(ctx, data, tp, lay)
    tag_note = ""
    if enc.tag_field == "lv_tag":
        bits = [f"{ndigits} digit{'s' if ndigits != 1 else ''}", f"sign {sign:+d}"]
        if enc.immortal_bit and tag & enc.immortal_bit:
            bits.append("small-int bit")
        tag_note = ", ".join(bits)
    else:
        tag_note = f"sign * digits = {tag}"
    for fd in r.fields:
        if fd["name"] == enc.tag_field:
            fd["note"] = tag_note
    for i in range(min(max(ndigits, 1), FIELD_ARRAY_CAP)):
        off = lay.tail.offset + i * dsize
        if off + dsize > len(data):
            break
        v = int.from_bytes(data[off : off + dsize], "little")
        r.fields.append(
            {"name": f"ob_digit[{i}]", "offset": off, "size": dsize, "ctype": "digit", "value": v}
        )
    bits = facts.interp.digit_bits
    # the value, from Python (builtin int methods only), checked against the digits
    value = int.__index__(o)  # type: ignore[arg-type]
    text = int_text(value, ndigits)
    if ndigits <= DIGITS_CAP:
        recomputed = sum(d << (bits * i) for i, d in enumerate(digits)) * sign
        if recomputed != value:
            r.notes.append("the digits read from memory do not match the value (layout mismatch?)")
    lo, hi = small_int_range()
    cached = tp is int and lo <= value <= hi and o is int(str(value))
    r.blocks["int"] = {
        "value": text,
        "sign": sign,
        "ndigits": ndigits,
        "digits": digits,
        "digit_bits": bits,
        "small_int_cached": bool(cached),
        "tag_field": enc.tag_field,
        "tag": str(tag),
    }
    r.memory = memory_dict(id(o), data, total, ctx.opts.max_bytes)
    return r


def int_text(value: int, ndigits: int) -> str:
    """The value as text: decimal when it is short enough to convert (at most
    DECIMAL_DIGITS_CAP digits and within ``sys.get_int_max_str_digits()``, which is never
    changed), else ``0x`` + hex, cut after 64 hex digits with a trailing ``…``."""
    limit = _int_max_str_digits()
    # decimal digits of |value| are at most bit_length * log10(2) + 1
    decimal_max = int.bit_length(value) * 30103 // 100000 + 1
    if ndigits <= DECIMAL_DIGITS_CAP and (limit == 0 or decimal_max <= limit):
        try:
            return int.__repr__(value)
        except ValueError:  # the limit changed under us
            pass
    hexdigits = int.__format__(abs(value), "x")
    sign = "-" if value < 0 else ""
    if len(hexdigits) > 64:
        return f"{sign}0x{hexdigits[:64]}…"
    return f"{sign}0x{hexdigits}"


def _int_max_str_digits() -> int:
    get = getattr(sys, "get_int_max_str_digits", None)
    try:
        return int(get()) if get is not None else 0
    except Exception:
        return 0
