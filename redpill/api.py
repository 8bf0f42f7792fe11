"""The Python API for instructors and autograders: :func:`inspect` and :func:`snapshot`.

Both run the same collector as ``%%redpill`` and return typed, read-only views
of the payload (``.to_payload()`` gives the JSON dict itself)::

    >>> import redpill
    >>> x = 1042
    >>> v = redpill.inspect(x)
    >>> v.type, v.int.digits
    ('int', (1042,))
    >>> s = redpill.snapshot(a=x, b=x)
    >>> s.same_object("a", "b")
    True

``refcount`` is the number of references the *program* holds: the references
redpill itself holds while it looks (the argument, the keyword dict of
``snapshot``) are removed, and so are the references from the running cell's
syntax tree (IPython keeps it while the cell runs, so ``n = 1042; m = n;
redpill.inspect(n).refcount`` is 2 in one cell as in two).  Names in the
caller's global namespace are reported as holders; references from local
variables of running functions cannot be attributed and show up as
``unexplained``.

For autograders (nbgrader test cells), the views are plain Python values::

    assert redpill.inspect(b).refcount == 2
    assert redpill.snapshot(a=a, b=b).same_object("a", "b")
    assert redpill.inspect(xs).distinct_items == 1      # [x, x, x]
    assert redpill.inspect(n).int.digits == (1042,)
    assert not redpill.inspect(n).immortal
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from .interp import CURRENT, UnsupportedInterpreter, unsupported_reason
from .options import Options
from .payload import build_payload
from .refs import gc_paused, read_refcount

__all__ = [
    "FieldView",
    "FloatView",
    "HolderView",
    "IntView",
    "ObjectView",
    "Snapshot",
    "StrView",
    "inspect",
    "snapshot",
]


@dataclass(frozen=True)
class FieldView:
    """One C struct field: ``offset`` bytes from the object's address."""

    name: str
    offset: int
    size: int
    ctype: str
    value: Any
    note: str | None = None


@dataclass(frozen=True)
class HolderView:
    """Who holds a reference: a ``name``, or a container at ``address`` (slot ``via``)."""

    name: str | None
    address: str | None
    type: str | None
    via: str | None
    count: int


@dataclass(frozen=True)
class IntView:
    """An int's internals: its value, the digits (base 2**30 or 2**15) and their count, the
    sign."""

    value: int | None  # None when the payload's text is cut (huge ints; see int_value)
    sign: int
    ndigits: int
    digits: tuple[int, ...]
    digit_bits: int
    small_int_cached: bool
    tag_field: str | None
    tag: int | None


@dataclass(frozen=True)
class FloatView:
    """A float's internals: its value and the IEEE 754 bits (sign, exponent, mantissa)."""

    value: float
    hex: str
    sign: int
    exponent: int
    mantissa: int


@dataclass(frozen=True)
class StrView:
    """A str's internals: its length, kind (bytes per character), and the interned, ascii and
    compact bits."""

    length: int
    hash: int | None
    kind: int
    ascii: bool
    compact: bool
    interned: int
    text: str
    text_truncated: bool


@dataclass(frozen=True)
class ObjectView:
    """One object as redpill read it.

    Attributes: ``address`` (int, ``id(obj)``), ``address_hex``, ``type`` (the real
    type's qualname), ``kind``, ``refcount`` (program references), ``immortal``,
    ``size`` (the builtin ``__sizeof__``), ``gc_tracked``, ``holders``, ``fields``
    (C struct fields in memory order), ``items`` (addresses of container items),
    and per kind ``int`` / ``float`` / ``str`` views (None for other kinds).
    ``raw`` is the payload entry (a dict).
    """

    address: int
    address_hex: str
    type: str
    kind: str
    refcount: int
    immortal: bool
    size: int | None
    gc_tracked: bool | None
    holders: tuple[HolderView, ...]
    unexplained: int | None
    fields: tuple[FieldView, ...]
    items: tuple[str | None, ...] | None
    int: IntView | None
    float: FloatView | None
    str: StrView | None
    raw: Mapping[str, Any]

    def field(self, name: str) -> FieldView:
        """The C field called ``name`` (e.g. ``"ob_refcnt"``, ``"ob_digit[0]"``)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def holder_names(self) -> tuple[str, ...]:
        """The names (in the caller's global namespace) that hold this object."""
        return tuple(h.name for h in self.holders if h.name is not None)

    @property
    def distinct_items(self) -> int | None:
        """How many different objects the container's items are (None: not a container,
        or its items were not all read).  ``[x] * 3`` gives 1."""
        if self.items is None or None in self.items:
            return None
        return len(set(self.items))

    @property
    def small_int_cached(self) -> bool:
        """True for an int shared from CPython's small-int cache (-5..256)."""
        return self.int is not None and self.int.small_int_cached


def _int_value(text: str) -> int | None:
    """The payload's int text as a number: decimal or ``0x`` hex; None when cut (``…``)."""
    if text.endswith("…"):
        return None
    neg = text.startswith("-")
    body = text[1:] if neg else text
    try:
        v = int(body, 16) if body.startswith("0x") else int(body)
    except ValueError:
        return None
    return -v if neg else v


def _require_cpython() -> None:
    reason = unsupported_reason(CURRENT)
    if reason:
        raise UnsupportedInterpreter(reason)


def _view(e: Mapping[str, Any]) -> ObjectView:
    iv = fv = sv = None
    if "int" in e:
        i = e["int"]
        iv = IntView(
            value=_int_value(i["value"]),
            sign=i["sign"],
            ndigits=i["ndigits"],
            digits=tuple(i["digits"]),
            digit_bits=i["digit_bits"],
            small_int_cached=i["small_int_cached"],
            tag_field=i.get("tag_field"),
            tag=int(i["tag"]) if "tag" in i else None,
        )
    if "float" in e:
        f = e["float"]
        fv = FloatView(
            float(f["value"]), f["hex"], f["sign"], f["exponent"], int(f["mantissa"], 16)
        )
    if "str" in e:
        s = e["str"]
        sv = StrView(
            s["length"],
            int(s["hash"]) if "hash" in s else None,
            s["kind"],
            s["ascii"],
            s["compact"],
            s["interned"],
            s["text"],
            s.get("text_truncated", False),
        )
    holders = tuple(
        HolderView(h.get("name"), h.get("object"), h.get("type"), h.get("via"), h.get("count", 1))
        for h in e.get("holders", [])
    )
    fields = tuple(
        FieldView(f["name"], f["offset"], f["size"], f["ctype"], f["value"], f.get("note"))
        for f in e.get("fields", [])
    )
    items = tuple(e["items"]) if "items" in e else None
    return ObjectView(
        address=int(e["address"], 16),
        address_hex=e["address"],
        type=e["type"],
        kind=e.get("kind", "other"),
        refcount=e["refcount"],
        immortal=e["immortal"],
        size=e.get("size"),
        gc_tracked=e.get("gc_tracked"),
        holders=holders,
        unexplained=e.get("unexplained"),
        fields=fields,
        items=items,
        int=iv,
        float=fv,
        str=sv,
        raw=e,
    )


@dataclass(frozen=True)
class Snapshot:
    """Several named objects read together (one heap pass).

    ``names`` maps each name to its object's address; ``objects`` maps addresses
    to :class:`ObjectView` (container items followed to ``depth`` are included).
    """

    names: Mapping[str, str]
    objects: Mapping[str, ObjectView]
    payload: Mapping[str, Any]

    def __getitem__(self, name: str) -> ObjectView:
        return self.objects[self.names[name]]

    def same_object(self, a: str, b: str) -> bool:
        """True when names ``a`` and ``b`` hold the very same object."""
        return self.names[a] == self.names[b]

    def all_same(self, *names: str) -> bool:
        """True when all ``names`` (default: every name of the snapshot) hold one object."""
        return len({self.names[n] for n in (names or tuple(self.names))}) <= 1

    def refcount(self, name: str) -> int:
        """References the program holds to the object ``name`` holds (redpill's own and
        the snapshot call's removed; immortal objects: the raw value)."""
        return self[name].refcount

    def address(self, name: str) -> int:
        """``id()`` of the object ``name`` holds."""
        return self[name].address

    def type(self, name: str) -> str:
        """The real type name of the object ``name`` holds."""
        return self[name].type

    def immortal(self, name: str) -> bool:
        """True when the object ``name`` holds is immortal (CPython 3.12+)."""
        return self[name].immortal

    def holder_names(self, name: str) -> tuple[str, ...]:
        """The global names holding the object ``name`` holds (the caller's namespace)."""
        return self[name].holder_names

    def to_payload(self) -> dict[str, Any]:
        """The v1 payload (the JSON ``%%redpill`` would display)."""
        return dict(self.payload)


def _options(depth: int, max_objects: int, max_items: int, max_bytes: int) -> Options:
    return Options(depth=depth, max_objects=max_objects, max_items=max_items, max_bytes=max_bytes)


def _program_count(namespace: Mapping[str, object], given: dict[str, object]) -> dict[int, int]:
    """The program's references to the caller's global namespace: its count read now,
    less the references the API's own frames hold to it while they read it (measured
    once, the same way, on a dict nothing else holds: how many that is depends on the
    interpreter, which may borrow them) and those of ``given`` (the objects to read)."""
    raw = _measure(namespace)
    held = _held_by(given, namespace)
    return {id(namespace): raw - _frame_references() - held}


def _measure(namespace: Mapping[str, object]) -> int:
    return read_refcount(id(namespace)).raw


def _held_by(given: dict[str, object], namespace: Mapping[str, object]) -> int:
    n = 0
    for v in dict.values(given):
        if v is namespace:
            n += 1
    return n


@cache
def _frame_references() -> int:
    """What :func:`_program_count` reads of a namespace that only the frames reading it
    hold: a fresh dict, held by a local as ``inspect`` holds the caller's, read through a
    function standing where ``_program_count`` stands."""
    holder_ns: dict[str, object] = {}
    return _as_program_count_does(holder_ns, {})


def _as_program_count_does(namespace: Mapping[str, object], given: dict[str, object]) -> int:
    raw = _measure(namespace)
    held = _held_by(given, namespace)
    return raw - held


def _caller_globals() -> Mapping[str, object]:
    # frame 0: this helper, 1: inspect/snapshot, 2: their caller
    try:
        return sys._getframe(2).f_globals
    except ValueError:  # pragma: no cover
        return {}


def snapshot(
    *,
    _depth: int = 1,
    _max_objects: int = 100,
    _max_items: int = 50,
    _max_bytes: int = 128,
    **named: object,
) -> Snapshot:
    """Read several objects at once: ``snapshot(a=x, b=y)``.

    The names are yours (they need not be variable names).  Container items are
    followed ``_depth`` levels (default 1).  Names in the caller's global namespace
    holding the objects are reported as holders.
    """
    _require_cpython()
    holder_ns = _caller_globals()
    with gc_paused():  # no finalizer (user code) runs while the counts are read
        counted = _program_count(holder_ns, named)
        payload = build_payload(
            named,
            list(named),
            _options(_depth, _max_objects, _max_items, _max_bytes),
            holder_names=holder_ns,
            own_namespace=True,
            syntax_trees=True,
            held=(named.keys(),),  # its keys (its values are subtracted as own_namespace)
            counted=counted,
        )
        named.clear()
    del holder_ns
    objects = {e["address"]: _view(e) for e in payload["objects"]}  # type: ignore[union-attr,attr-defined]
    names = {b["name"]: b["object"] for b in payload["names"]}  # type: ignore[union-attr,attr-defined]
    return Snapshot(names, objects, payload)


def inspect(
    obj: object, *, depth: int = 1, max_items: int = 50, max_bytes: int = 128
) -> ObjectView:
    """Read one object: address, refcount, type, size, C fields, internals.

    ``depth`` (default 1) follows container items, so ``.items`` holds their addresses
    (the items themselves are in
    ``redpill.snapshot``'s ``objects``).
    """
    _require_cpython()
    box = {"obj": obj}
    del obj
    holder_ns = _caller_globals()
    with gc_paused():  # no finalizer (user code) runs while the counts are read
        counted = _program_count(holder_ns, box)
        payload = build_payload(
            box,
            ["obj"],
            _options(depth, 100, max_items, max_bytes),
            holder_names=holder_ns,
            own_namespace=True,
            syntax_trees=True,
            held=(box.keys(),),
            counted=counted,
        )
        exact = _exact_int(box["obj"])  # the counts are read: holding it now is harmless
        box.clear()
    del holder_ns
    (first, *_rest) = payload["objects"]  # type: ignore[misc]
    view = _view(first)
    if view.int is not None and view.int.value is None and exact is not None:
        view = replace(view, int=replace(view.int, value=exact))
    return view


def _exact_int(o: object) -> int | None:
    """The value of an int (subclass) without user code, else None."""
    if any(b is int for b in type.__dict__["__mro__"].__get__(type(o), type)):
        return int.__index__(o)  # type: ignore[arg-type]
    return None
