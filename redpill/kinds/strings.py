"""Readers of text: ``str`` (its state bits, kind, and the characters decoded from
memory, lone surrogates escaped) and ``bytes`` (``ob_sval``)."""

from __future__ import annotations

from .. import structs
from ..memory import (
    read_bytes,
    str_length,
)
from ..structs import Facts
from ..text import has_surrogates, sendable
from .buffers import bytes_buffer
from .context import Ctx, Reading, field_value, header_fields, memory_dict
from .typeinfo import ellipsized

_STR_CODECS = {1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}


def decode_str_state(state: int, facts: Facts) -> dict[str, int]:
    """The bits of a str's ``state`` field: interned, kind, compact, ascii and the build's
    extra bit."""
    s = facts.str_state
    state &= s.mask
    return {
        "interned": (state >> s.interned[0]) & ((1 << s.interned[1]) - 1),
        "kind": (state >> s.kind[0]) & ((1 << s.kind[1]) - 1),
        "compact": (state >> s.compact) & 1,
        "ascii": (state >> s.ascii) & 1,
        "extra": (state >> s.extra_bit) & 1,
    }


def read_str_at(address: int, facts: Facts, cap: int = 200) -> str | None:
    """Decode a compact str at ``address`` (held alive by someone else).  None if not one."""
    lay = structs.layout("str_ascii", facts.interp)
    data = read_bytes(address, lay.sizeof)
    if field_value(data, lay, "ob_type") != id(str):
        return None
    length = field_value(data, lay, "length")
    st = decode_str_state(field_value(data, lay, "state"), facts)
    if not st["compact"] or st["kind"] not in _STR_CODECS or length < 0:
        return None
    n = min(length, cap)
    start = lay.sizeof if st["ascii"] else structs.layout("str_compact", facts.interp).sizeof
    raw = read_bytes(address + start, n * st["kind"])
    return sendable(raw.decode(_STR_CODECS[st["kind"]], errors="surrogatepass"))


def read_str(o: object, tp: type, ctx: Ctx) -> Reading:
    """A str: its header, length, hash and state, and the characters decoded from memory."""
    facts = ctx.facts
    ascii_lay = structs.layout("str_ascii", facts.interp)
    head = read_bytes(id(o), ascii_lay.sizeof)
    length = field_value(head, ascii_lay, "length")
    st = decode_str_state(field_value(head, ascii_lay, "state"), facts)
    compact, is_ascii, kind_code = bool(st["compact"]), bool(st["ascii"]), st["kind"]
    if compact and is_ascii:
        lay = ascii_lay
    elif compact:
        lay = structs.layout("str_compact", facts.interp)
    else:
        lay = structs.layout("str_legacy", facts.interp)
    total = str_length(facts, length, kind_code or 1, compact, is_ascii)
    cap = ctx.opts.max_text
    n_chars = min(length, cap)
    width = kind_code or 1
    n = min(
        total,
        max(lay.sizeof + (n_chars + 1) * width if compact else lay.sizeof, ctx.opts.max_bytes),
    )
    data = read_bytes(id(o), n)
    r = Reading("str", fields=header_fields(ctx, data, tp, lay))
    s = facts.str_state
    for fd in r.fields:
        if fd["name"] == "state":
            fd["note"] = (
                f"interned={st['interned']} kind={kind_code} compact={int(compact)} "
                f"ascii={int(is_ascii)} {s.extra_name}={st['extra']} (padding bits masked)"
            )
        elif fd["name"] == "hash" and fd["value"] == -1:
            fd["note"] = "not computed yet"
    # the characters
    text: str | None = None
    if kind_code in _STR_CODECS:
        if compact:
            raw = data[lay.sizeof : lay.sizeof + n_chars * width]
            if len(raw) < n_chars * width:
                raw = read_bytes(id(o) + lay.sizeof, n_chars * width)
        else:
            ptr = field_value(data, lay, "data")
            raw = read_bytes(ptr, n_chars * width) if ptr and n_chars else b""
        text = raw.decode(_STR_CODECS[kind_code], errors="surrogatepass")
        if text != str.__getitem__(o, slice(0, n_chars)):  # type: ignore[arg-type]
            r.notes.append("characters read from memory differ from the value (layout mismatch?)")
    if text is None:
        text = str.__getitem__(o, slice(0, n_chars))  # type: ignore[arg-type]
    if has_surrogates(text):
        text = sendable(text)
        r.notes.append(
            "the text holds lone surrogates, which UTF-8 cannot carry: each is shown as its "
            "\\udXXXX escape"
        )
    if compact:
        r.fields.append(
            {
                "name": "data[]",
                "offset": lay.sizeof,
                "size": (length + 1) * width,
                "ctype": {1: "Py_UCS1", 2: "Py_UCS2", 4: "Py_UCS4"}.get(width, "char") + "[]",
                "value": ellipsized(text, 40),  # (already sendable)
                "note": f"{length} characters + NUL, {width} byte{'s' if width > 1 else ''} each",
            }
        )
    h = field_value(head, ascii_lay, "hash")
    r.blocks["str"] = {
        "length": length,
        "hash": str(h),
        "kind": kind_code,
        "ascii": is_ascii,
        "compact": compact,
        "interned": st["interned"],
        "text": text,
        "text_truncated": length > n_chars,
    }
    r.memory = memory_dict(id(o), data, total, ctx.opts.max_bytes)
    return r


def read_bytes_object(o: object, tp: type, ctx: Ctx) -> Reading:
    """A bytes object: its header, ``ob_size``, ``ob_shash`` and the first bytes of
    ``ob_sval``."""
    lay = ctx.layout("bytes")
    assert lay.tail is not None
    length = bytes.__len__(o)  # type: ignore[arg-type]
    total = lay.tail.offset + length + 1
    n = min(total, max(lay.tail.offset + min(length, ctx.opts.max_bytes), ctx.opts.max_bytes))
    data = read_bytes(id(o), n)
    r = Reading("bytes", fields=header_fields(ctx, data, tp, lay))
    shown = data[lay.tail.offset : lay.tail.offset + min(length, ctx.opts.max_bytes)]
    r.fields.append(
        {
            "name": "ob_sval[]",
            "offset": lay.tail.offset,
            "size": length + 1,
            "ctype": "char[]",
            "value": shown[:32].hex(),
            "note": f"{length} bytes + NUL",
        }
    )
    for fd in r.fields:
        if fd["name"] == "ob_shash" and fd["value"] == -1:
            fd["note"] = "hash not computed yet"
    if field_value(data, lay, "ob_size") != length:
        r.notes.append("ob_size differs from len() (layout mismatch?)")
    r.blocks["bytes"] = {
        "length": length,
        "hex": shown.hex(),
        "truncated": length > len(shown),
    }
    r.blocks["buffer"] = bytes_buffer(o, ctx, length)
    r.memory = memory_dict(id(o), data, total, ctx.opts.max_bytes)
    return r
