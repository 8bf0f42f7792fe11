"""Reference counts and who holds the references.

Refcounts are read *by address* (``id(o)`` is taken first, so no argument
reference is counted) while the collector holds exactly one reference to each
object: its place in the collector's ``objs`` list.  :func:`calibrate` checks
that cost once (a fresh ``object()`` kept in one list must read 1); the
difference is subtracted from every raw count.

Holders are found in ONE pass over the heap for all objects whose count is not
already explained by names and drawn containers: ``gc.get_referrers(*args)``
with ``args = tuple(list(targets))`` (reference §7.5), skipping the
collector's own containers.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import layouts
from .layouts import Facts
from .memory import read_bytes


@dataclass(frozen=True)
class RawCount:
    raw: int  # what Py_REFCNT would return (flag bits masked)
    immortal: bool
    local: int | None = None  # free-threaded: ob_ref_local
    shared: int | None = None  # free-threaded: ob_ref_shared >> 2
    deferred: bool = False  # free-threaded: deferred refcounting (ob_gc_bits & 64)
    word: int = 0  # the raw header bits that were decoded
    static_base: int = 0  # 3.11: the count a statically allocated object started with


def read_refcount(address: int, facts: Facts | None = None) -> RawCount:
    """Decode the refcount from the header at ``address`` (one snapshot of the header)."""
    facts = facts or layouts.facts()
    hdr = facts.header
    rule = facts.refcount
    data = read_bytes(address, hdr.sizeof)
    if rule.mode == "word":
        f = hdr.field("ob_refcnt")
        word = int.from_bytes(data[f.offset : f.offset + f.size], "little", signed=False)
        value = word & rule.mask if rule.mask is not None else word
        kind, arg = rule.immortal
        if kind == "bit":
            immortal = bool(value & arg)
        elif kind == "eq":
            immortal = value == arg
        elif kind == "ge":
            immortal = value >= arg
        else:
            immortal = False
        if not immortal and rule.mask is None and f.size == facts.interp.pointer_size:
            value = int.from_bytes(data[f.offset : f.offset + f.size], "little", signed=True)
        base = 0
        if rule.static_initial is not None and value >= rule.static_initial:
            base = rule.static_initial
        return RawCount(value, immortal, word=word, static_base=base)
    # free-threaded: ob_ref_local + (ob_ref_shared >> 2)
    fl = hdr.field("ob_ref_local")
    fs = hdr.field("ob_ref_shared")
    fg = hdr.field("ob_gc_bits")
    local = int.from_bytes(data[fl.offset : fl.offset + fl.size], "little")
    shared_word = int.from_bytes(data[fs.offset : fs.offset + fs.size], "little", signed=True)
    gc_bits = data[fg.offset]
    shared = shared_word >> rule.shared_shift
    kind, arg = rule.immortal
    immortal = local == arg
    deferred = bool(gc_bits & rule.deferred_gc_bit)
    if immortal:
        return RawCount(local, True, local, shared, deferred, shared_word)
    if deferred:
        local -= rule.deferred_local_bias
        shared -= rule.deferred_shared_bias
    return RawCount(local + shared, False, local, shared, deferred, shared_word)


@cache
def calibrate() -> int:
    """References the collector's one-list hold costs in the raw count (expected: 1)."""
    probe: list[object] = [object()]
    address = id(probe[0])
    count = read_refcount(address).raw
    del probe
    return count


def is_immortal(obj: object) -> bool:
    return read_refcount(id(obj)).immortal


# --------------------------------------------------------------------------------------------
# holders


@dataclass
class Holder:
    """One container (or name) holding ``count`` references to a target."""

    name: str | None = None
    address: int | None = None
    type_name: str | None = None
    via: str | None = None
    count: int = 1

    def as_payload(self) -> dict[str, object]:
        if self.name is not None:
            return {"name": self.name}
        out: dict[str, object] = {"object": hex(self.address or 0)}
        if self.type_name:
            out["type"] = self.type_name
        if self.via:
            out["via"] = self.via
        if self.count != 1:
            out["count"] = self.count
        return out


#: scanning a single huge referrer for the slot that holds a target stops here
MAX_SCAN = 1_000_000


def slots_in(
    container: object, target_ids: set[int], describe_key: Callable[[object], str]
) -> dict[int, list[str]]:
    """Which slots of ``container`` hold which targets: {target id: [via, ...]}.

    Uses the builtin type's own iteration (never user ``__iter__``/``__getitem__``) for
    list, tuple, dict and set, and ``gc.get_referents`` (one entry per reference)
    for anything else.
    """
    found: dict[int, list[str]] = {}
    tp = type(container)
    mro = type.__dict__["__mro__"].__get__(tp, type)  # the real MRO: no __class__ lies
    try:
        if list in mro or tuple in mro:
            it: Iterable[Any] = (list.__iter__ if list in mro else tuple.__iter__)(container)  # type: ignore[arg-type]
            for i, x in enumerate(it):
                if i >= MAX_SCAN:
                    break
                if id(x) in target_ids:
                    found.setdefault(id(x), []).append(f"[{i}]")
            return found
        if dict in mro:
            for i, (k, v) in enumerate(dict.items(container)):  # type: ignore[arg-type]
                if i >= MAX_SCAN:
                    break
                if id(k) in target_ids:
                    found.setdefault(id(k), []).append(f"key {describe_key(k)}")
                if id(v) in target_ids:
                    found.setdefault(id(v), []).append(f"[{describe_key(k)}]")
            return found
        if set in mro or frozenset in mro:
            members = (set.__iter__ if set in mro else frozenset.__iter__)(container)  # type: ignore[arg-type]
            for i, x in enumerate(members):
                if i >= MAX_SCAN:
                    break
                if id(x) in target_ids:
                    found.setdefault(id(x), []).append("member")
            return found
    except (RuntimeError, TypeError):  # mutated while we looked (another thread)
        found.clear()
    for x in gc.get_referents(container):
        if id(x) in target_ids:
            via = "ob_type" if x is tp else ""
            found.setdefault(id(x), []).append(via)
    return found


def heap_referrers(targets: Sequence[object], exclude_ids: set[int]) -> list[object]:
    """All GC-tracked containers holding any of ``targets``, in one heap pass.

    ``exclude_ids`` are the collector's own containers (and the user namespace,
    whose references are reported as names).
    """
    args = tuple(list(targets))
    try:
        found = gc.get_referrers(*args)
    finally:
        pass
    own = id(args)
    out = [r for r in found if id(r) != own and id(r) not in exclude_ids]
    del found, args
    return out


def interned_dict_suspect(container: object, target: object) -> bool:
    """3.14+: the interned-strings dict appears as a referrer of interned strings, but
    its references are not counted in ob_refcnt (reference §3.4, §7.7)."""
    is_interned = getattr(sys, "_is_interned", None)
    if is_interned is None or type(container) is not dict or type(target) is not str:
        return False
    try:
        if not is_interned(target):
            return False
        return dict.get(container, target) is target and len(container) > 500  # type: ignore[arg-type]
    except Exception:
        return False
