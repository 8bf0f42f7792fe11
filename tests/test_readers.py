"""Per-type readers on live objects (no kernel): every value is checked against an
independent source (the value recomputed, id(), __basicsize__, __sizeof__)."""

from __future__ import annotations

import struct
import sys
import types
from typing import Any

import pytest

import redpill
from redpill import structs
from redpill.interp import CURRENT
from redpill.kinds import small_int_range

P = CURRENT.pointer_size


def entry(obj: object, **kw: Any) -> dict[str, Any]:
    """The payload entry of ``obj`` (via the API)."""
    return dict(redpill.inspect(obj, **kw).raw)


def fields(e: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in e["fields"]}


def test_fields_are_in_memory_order() -> None:
    class C:
        pass

    c = C()
    c.a = 1
    for obj in (1, 2.0, "abc", (1, 2), [1], {"a": 1}, {1}, b"x", c, len, types, C):
        offs = [f["offset"] for f in entry(obj)["fields"]]
        assert offs == sorted(offs), type(obj)


def test_header_fields() -> None:
    x = [1, 2]
    f = fields(entry(x))
    assert f["ob_type"]["value"] == hex(id(list))
    assert f["ob_type"]["points_to"] == hex(id(list))
    assert f["ob_type"]["offset"] == structs.header().field("ob_type").offset


# ---------------------------------------------------------------------------------- int
INTS = [
    0,
    1,
    -1,
    5,
    256,
    257,
    1042,
    -6,
    2**30 - 1,
    2**30,
    -(2**30),
    2**60,
    -(2**64) + 7,
    10**100,
    True,
    False,
]


@pytest.mark.parametrize("value", INTS, ids=repr)
def test_int_digits(value: int) -> None:
    v = redpill.inspect(value)
    assert v.int is not None
    bits = sys.int_info.bits_per_digit
    mag = abs(int(value))
    expected = []
    while mag:
        expected.append(mag & ((1 << bits) - 1))
        mag >>= bits
    assert list(v.int.digits) == (expected or ([0] if v.int.ndigits else []))[: v.int.ndigits]
    assert v.int.ndigits == len(expected)
    assert v.int.sign == ((value > 0) - (value < 0))
    assert v.int.value == int(value)
    assert v.type == type(value).__name__
    assert v.size == type(value).__sizeof__(value)
    f = v.field("ob_digit[0]")
    assert f.offset == structs.layout("int").tail.offset  # type: ignore[union-attr]


def test_int_tag_encoding() -> None:
    enc = structs.facts().long
    v = redpill.inspect(-(2**30))
    assert v.int is not None and v.int.tag_field == enc.tag_field
    if enc.tag_field == "lv_tag":
        assert v.int.tag == (2 << 3) | 2  # two digits, negative
    else:
        assert v.int.tag == -2


def test_small_int_cache() -> None:
    lo, hi = small_int_range()
    assert (lo, hi)[0] <= -5 and hi >= 256
    assert redpill.inspect(int("7")).int.small_int_cached  # type: ignore[union-attr]
    assert not redpill.inspect(int(str(hi + 1))).int.small_int_cached  # type: ignore[union-attr]


def test_int_subclass() -> None:
    class IntSub(int):
        pass

    v = redpill.inspect(IntSub(12345))
    assert v.kind == "int" and v.type.endswith("IntSub")
    assert v.int is not None and v.int.digits == (12345,)
    assert not v.int.small_int_cached


def test_huge_int_is_capped() -> None:
    big = 7**100_000
    v = redpill.inspect(big)
    assert v.int is not None and len(v.int.digits) <= 64
    assert v.int.ndigits == (big.bit_length() + 29) // 30
    assert v.raw["memory"]["truncated"]


# ---------------------------------------------------------------------------------- float
@pytest.mark.parametrize("value", [0.0, -0.0, 1.5, -2.75, 1e300, float("inf"), float("nan")])
def test_float(value: float) -> None:
    v = redpill.inspect(value)
    assert v.float is not None
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    assert v.float.hex == f"{bits:016x}"
    assert v.float.sign == bits >> 63
    assert v.float.exponent == (bits >> 52) & 0x7FF
    assert v.float.mantissa == bits & ((1 << 52) - 1)
    assert v.field("ob_fval").offset == structs.layout("float").field("ob_fval").offset


# ---------------------------------------------------------------------------------- str
@pytest.mark.parametrize(
    ("text", "kind", "ascii"),
    [
        ("hello world", 1, True),
        ("", 1, True),
        ("héllo", 1, False),
        ("€uro", 2, False),
        ("😀!", 4, False),
        ("x" * 1000, 1, True),
    ],
    ids=["ascii", "empty", "latin1", "ucs2", "ucs4", "long"],
)
def test_str(text: str, kind: int, ascii: bool) -> None:
    s = "".join(list(text))  # a runtime string, not a code constant
    v = redpill.inspect(s)
    assert v.str is not None
    assert v.str.length == len(s)
    assert v.str.kind == kind
    assert v.str.ascii is ascii
    assert v.str.compact is True
    assert v.str.text == s[:200]
    assert v.str.text_truncated is (len(s) > 200)
    assert v.size == str.__sizeof__(s)


def test_str_hash_cached() -> None:
    s = "".join(["abc", "def"])
    assert redpill.inspect(s).str.hash == -1  # type: ignore[union-attr]
    h = hash(s)
    assert redpill.inspect(s).str.hash == h  # type: ignore[union-attr]


def test_str_interned() -> None:
    s = sys.intern("".join(["redpill", "_interned_test"]))
    assert redpill.inspect(s).str.interned >= 1  # type: ignore[union-attr]
    t = "".join(["not", "interned"])
    assert redpill.inspect(t).str.interned == 0  # type: ignore[union-attr]


def test_str_subclass_is_not_compact() -> None:
    class S(str):
        pass

    v = redpill.inspect(S("abc"))
    assert v.str is not None and v.str.compact is False and v.str.text == "abc"


# ---------------------------------------------------------------------------------- bytes
def test_bytes() -> None:
    b = bytes(range(10))
    e = entry(b)
    assert e["bytes"]["length"] == 10
    assert e["bytes"]["hex"] == b.hex()
    assert fields(e)["ob_size"]["value"] == 10


# ---------------------------------------------------------------------------------- containers
def test_tuple_items_are_ids() -> None:
    a, b = object(), object()
    t = (a, b, a)
    e = entry(t)
    assert e["items"] == [hex(id(a)), hex(id(b)), hex(id(a))]
    f = fields(e)
    assert f["ob_item[0]"]["value"] == hex(id(a))
    assert f["ob_item[2]"]["value"] == hex(id(a))
    assert f["ob_size"]["value"] == 3


def test_tuple_items_followed() -> None:
    a = object()
    t = (a, a)
    s = redpill.snapshot(t=t)
    assert s["t"].items == (hex(id(a)), hex(id(a)))
    assert hex(id(a)) in s.objects


def test_list_allocated() -> None:
    lst: list[int] = []
    for i in range(5):
        lst.append(i)
    e = entry(lst)
    alloc = (list.__sizeof__(lst) - list.__basicsize__) // P
    assert e["list"]["allocated"] == alloc
    assert fields(e)["allocated"]["value"] == alloc
    assert e["items_total"] == 5


def test_dict_entries() -> None:
    k1 = "".join(["ke", "y"])
    v1 = object()
    d = {k1: v1, 2: None}
    e = entry(d)
    assert e["dict"]["used"] == 2
    assert e["dict"]["entries"][0] == {
        "key": hex(id(k1)),
        "value": hex(id(v1)),
        "key_repr": "'key'",
    }
    assert e["dict"]["entries"][1]["key_repr"] == "2"


@pytest.mark.parametrize("tp", [set, frozenset])
def test_sets(tp: type) -> None:
    members = [object() for _ in range(3)]
    s = tp(members)
    e = entry(s)
    assert e["kind"] == tp.__name__
    assert e["items_total"] == 3
    assert sorted(e["items"]) == sorted(hex(id(m)) for m in members)
    assert fields(e)["used"]["value"] == 3


# ---------------------------------------------------------------------------------- instances
class Plain:
    def __init__(self) -> None:
        self.x = [1]
        self.y = "why"


class Slotted:
    __slots__ = ("b", "a")  # noqa: RUF023  (declared out of order on purpose)

    def __init__(self) -> None:
        self.a = 1.5


def attrs(e: dict[str, Any]) -> dict[str, Any]:
    return {a["name"]: a for a in e["instance"]["attributes"]}


def test_instance_attributes() -> None:
    p = Plain()
    e = entry(p)
    at = attrs(e)
    assert at["x"]["value"] == hex(id(p.x))
    assert at["y"]["value"] == hex(id(p.y))
    assert e["kind"] == "instance"


def test_instance_attributes_after_dict_materialized() -> None:
    p = Plain()
    d = p.__dict__
    e = entry(p)
    at = attrs(e)
    assert at["x"]["value"] == hex(id(p.x))
    assert e["instance"]["dict_address"] == hex(id(d))


def test_slots() -> None:
    s = Slotted()
    e = entry(s)
    at = attrs(e)
    assert at["a"]["value"] == hex(id(s.a)) and at["a"]["storage"] == "slot"
    assert at["b"]["value"] is None
    f = fields(e)
    assert f["a"]["value"] == hex(id(s.a))
    assert Slotted.__basicsize__ == structs.header().sizeof + 2 * P


def test_instance_with_lying_class() -> None:
    class Liar:
        @property  # type: ignore[misc]
        def __class__(self) -> type:
            return int

    v = redpill.inspect(Liar())
    assert v.type.endswith("Liar") and v.kind == "instance"


# ---------------------------------------------------------------------------------- others
def test_function() -> None:
    def f(a: int, b: int = 2) -> int:
        return a + b

    e = entry(f)
    assert e["kind"] == "function"
    assert e["summary"]["name"] == "f"
    assert e["summary"]["line"] == str(f.__code__.co_firstlineno)
    fl = fields(e)
    assert fl["func_code"]["value"] == hex(id(f.__code__))
    assert fl["func_globals"]["value"] == hex(id(f.__globals__))
    assert fl["func_name"]["value"] == hex(id(f.__name__))
    assert fl["func_qualname"]["value"] == hex(id(f.__qualname__))
    assert fl["func_defaults"]["value"] == hex(id(f.__defaults__))


def test_class() -> None:
    e = entry(Plain)
    assert e["kind"] == "class"
    fl = fields(e)
    assert fl["tp_basicsize"]["value"] == Plain.__basicsize__
    assert fl["tp_itemsize"]["value"] == 0
    assert fl["tp_flags"]["value"] == Plain.__flags__
    assert e["summary"]["name"] == "Plain"


def test_module() -> None:
    e = entry(types)
    assert e["kind"] == "module"
    assert fields(e)["md_dict"]["value"] == hex(id(types.__dict__))
    assert e["summary"]["name"] == "types"


def test_none_bool() -> None:
    assert entry(None)["kind"] == "none"
    e = entry(True)
    assert e["kind"] == "bool" and e["int"]["digits"] == [1]


def test_memory_is_the_object_bytes() -> None:
    x = 2**40 + 3
    e = entry(x)
    import ctypes

    raw = ctypes.string_at(id(x), e["memory"]["size"])
    # everything after the header (whose refcount changes as we look) is identical
    start = structs.header().sizeof
    assert e["memory"]["hex"][2 * start :] == raw.hex()[2 * start :]
    assert e["memory"]["size"] == int.__sizeof__(x)


def test_sizes_never_use_user_sizeof() -> None:
    class Big(list):  # type: ignore[type-arg]
        def __sizeof__(self) -> int:
            return 10**9

    v = redpill.inspect(Big([1, 2]))
    assert v.size == list.__sizeof__(Big([1, 2]))
