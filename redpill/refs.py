"""Reference counts and who holds the references.

Refcounts are read *by address* (``id(o)`` is taken first, so no argument
reference is counted) while the collector holds exactly one reference to each
object: its place in the collector's ``objs`` list.  :func:`calibrate` checks
that cost once (a fresh ``object()`` kept in one list must read 1); the
difference is subtracted from every raw count.

Holders are found for all objects whose count is not already explained by names
and drawn containers (:func:`find_holders`): containers bound to names are
scanned directly first (untracked ones, small ones), then
``gc.get_referrers(*args)`` with ``args = tuple(list(targets))`` (a fresh tuple,
which the call itself holds and which is skipped) runs once for the targets still
unexplained (if any), skipping the collector's own containers.  Measured on a
10^6-object heap: get_referrers costs about one heap walk plus ~0.6 ms per target; a Python pass
over ``gc.get_objects()`` with ``gc.get_referents`` costs 10-15 heap walks, so it does
not pay off below several hundred targets (and max_objects defaults to 100).
"""

from __future__ import annotations

import gc
import sys
import types
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from itertools import islice
from typing import Any, NamedTuple

from . import structs
from .memory import among, mro, read_bytes
from .strkeys import str_value
from .structs import Facts


class RawCount(NamedTuple):
    """One object's reference count as read from memory, with what the build adds to it."""

    raw: int  # what Py_REFCNT would return (flag bits masked)
    immortal: bool
    local: int | None = None  # free-threaded: ob_ref_local
    shared: int | None = None  # free-threaded: ob_ref_shared >> 2
    deferred: bool = False  # free-threaded: deferred refcounting (ob_gc_bits & 64)
    word: int = 0  # the raw header bits that were decoded
    static_base: int = 0  # 3.11: the count a statically allocated object started with


def read_refcount(address: int, facts: Facts | None = None) -> RawCount:
    """Decode the refcount from the header at ``address`` (one snapshot of the header)."""
    facts = facts or structs.facts()
    return decode_refcount(read_bytes(address, facts.header.sizeof), facts)


def decode_refcount(header: bytes, facts: Facts) -> RawCount:
    """Decode the refcount from ``header``, one snapshot of an object's header bytes (the
    same bytes its memory view shows)."""
    hdr = facts.header
    rule = facts.refcount
    if rule.mode == "word":
        f = hdr.by_name["ob_refcnt"]
        data = header[f.offset : f.offset + f.size]
        word = int.from_bytes(data, "little", signed=False)
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
            value = int.from_bytes(data, "little", signed=True)
        base = 0
        if rule.static_initial is not None and value >= rule.static_initial:
            base = rule.static_initial
        return RawCount(value, immortal, word=word, static_base=base)
    # free-threaded: ob_ref_local + (ob_ref_shared >> 2)
    data = header
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


@contextmanager
def gc_paused() -> Iterator[None]:
    """No collection passes while thousands of small dicts are built, and so no
    finalizer (user code) runs while objects are read; the state is restored."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def own_references(
    roots: Iterable[object], targets: Collection[int], keys: bool = True
) -> tuple[dict[int, int], set[int]]:
    """References the collector's own plain data holds to ``targets`` (ids), by id.

    While counts are read, the collector's bookkeeping (name lists, the entries it
    has built, the caller's id snapshots) holds strings and ints: namespace keys,
    type names, dict keys such as ``"name"``, small ints.  A drawn ``str`` or
    ``int`` can be the very same object (identifiers are interned; small ints are
    shared), and those references are the collector's, not the program's.  This
    walks ``roots`` (dicts: keys and values; a dict's ``keys()``: keys only; lists,
    tuples, sets; redpill's own objects) and counts slots holding a target.
    Returns the counts and the ids of the containers walked (not holders either).
    With ``keys=False`` dict keys are not looked at (no target is a string).
    """
    want = set(targets)
    found: dict[int, int] = {}
    seen: set[int] = set()
    todo: list[object] = list(roots)
    ours: dict[int, bool] = {}  # type id -> one of redpill's own classes

    def own_type(tp: type) -> bool:
        known = ours.get(id(tp))
        if known is None:
            known = ours[id(tp)] = _is_redpill_class(tp)
        return known

    # (the walk runs once per picture and per step: its names are locals)
    _id, _type, walked_ids, scalar_ids = id, type, _WALKED_IDS, _SCALAR_IDS
    push, pop, mark, found_get = todo.append, todo.pop, seen.add, found.get
    values, keys_of = dict.values, dict.keys
    while todo:
        x = pop()
        tx = _type(x)
        if tx is dict:
            items: Iterable[object] = (*keys_of(x), *values(x)) if keys else values(x)  # type: ignore[arg-type]
        elif _id(tx) in walked_ids:
            items = x  # type: ignore[assignment]
        elif own_type(tx):  # redpill's own objects
            if hasattr(tx, "__dataclass_fields__"):
                items = [getattr(x, n) for n in tx.__dataclass_fields__]
            else:  # attribute values (the names are the class's shared keys)
                items = list(values(getattr(x, "__dict__", {})))
        else:
            continue
        if _id(x) in seen:
            continue
        mark(_id(x))
        for v in items:
            i = _id(v)
            if i in want:
                found[i] = found_get(i, 0) + 1
                continue
            tv = _id(_type(v))
            if tv in scalar_ids:
                continue
            if tv in walked_ids or own_type(_type(v)):
                push(v)
        del items
    return found, seen


def _is_redpill_class(tp: type) -> bool:
    """Whether ``tp`` is a class of redpill's own (its ``__module__`` read from its dict
    by a walk: a class of the user's may hold keys with an ``__eq__`` of their own)."""
    if type.__dict__["__flags__"].__get__(tp, type) & structs.Py_TPFLAGS_HEAPTYPE == 0:
        return False
    mod = str_value(type.__dict__["__dict__"].__get__(tp, type), "__module__", "")
    return type(mod) is str and mod.startswith("redpill.")


_DICT_KEYS = type({}.keys())  # a root: only the keys of a mapping whose values are counted
_WALKED = (dict, list, tuple, set, frozenset, _DICT_KEYS)
_SCALARS = (str, int, float, bool, type(None))
# membership by id: ``tp in (...)`` would compare with ``==``, a metaclass's __eq__
_WALKED_IDS = frozenset(map(id, _WALKED))
_SCALAR_IDS = frozenset(map(id, _SCALARS))


def is_immortal(obj: object) -> bool:
    """Whether ``obj`` is immortal (CPython 3.12+: its count never changes)."""
    return read_refcount(id(obj)).immortal


# --------------------------------------------------------------------------------------------
# holders


@dataclass(slots=True)
class Holder:
    """One container (or name) holding ``count`` references to a target."""

    name: str | None = None
    address: int | None = None
    type_name: str | None = None
    via: str | None = None
    count: int = 1
    #: a local variable of an active call (``--steps``): its call number and function
    frame: int | None = None
    function: str | None = None

    def as_payload(self) -> dict[str, object]:
        """The payload's form of this holder: a name, a frame's local variable, or a
        container with its type, slot and count."""
        if self.frame is not None:
            return {"frame": self.frame, "function": self.function or "", "name": self.name or ""}
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


#: a holder's slots are enumerated one by one (exact labels and counts) up to this many
#: items; past it, one C-level pass over at most MAX_SCAN items tells which targets it
#: holds, each credited once and labelled "item"
SLOT_SCAN_CAP = 10_000
#: past the first SLOT_SCAN_CAP items, a holder is checked (in C) for this many more
MAX_SCAN = 1_000_000


def _scan_items(
    it: Iterable[Any],
    target_ids: set[int] | frozenset[int],
    label: Callable[[int], str],
    found: dict[int, list[str]],
) -> None:
    """Exact slots for the first SLOT_SCAN_CAP items of ``it``; the rest checked in C."""
    i = -1
    for i, x in enumerate(islice(it, SLOT_SCAN_CAP)):
        if id(x) in target_ids:
            found.setdefault(id(x), []).append(label(i))
    if i < SLOT_SCAN_CAP - 1:
        return
    beyond = set(target_ids).intersection(map(id, islice(it, MAX_SCAN)))
    for tid in beyond:
        if tid not in found:
            found[tid] = [f"item (past the first {SLOT_SCAN_CAP:,})"]


def slots_in(
    container: object,
    target_ids: set[int] | frozenset[int],
    describe_key: Callable[[object], str],
    unread: list[str] | None = None,
) -> dict[int, list[str]]:
    """Which slots of ``container`` hold which targets: {target id: [via, ...]}.

    Uses the builtin type's own iteration (never user ``__iter__``/``__getitem__``) for
    list, tuple, dict and set, and ``gc.get_referents`` (one entry per reference)
    for anything else, except where that call is harmful (:func:`safe_referents`): such
    a container is described in ``unread`` and only its module dict is looked at.  Huge
    containers are enumerated exactly only up to SLOT_SCAN_CAP items (see there).
    """
    found: dict[int, list[str]] = {}
    tp = type(container)
    bases = mro(tp)  # the real MRO: no __class__ lies
    try:
        if among(list, bases) or among(tuple, bases):
            it: Iterator[Any] = (list.__iter__ if among(list, bases) else tuple.__iter__)(container)  # type: ignore[arg-type]
            _scan_items(it, target_ids, "[{}]".format, found)
            return found
        if among(dict, bases):
            n = 0
            for k, v in dict.items(container):  # type: ignore[arg-type]
                if n >= SLOT_SCAN_CAP:
                    break
                n += 1
                if id(k) in target_ids:
                    found.setdefault(id(k), []).append(f"key {describe_key(k)}")
                if id(v) in target_ids:
                    found.setdefault(id(v), []).append(f"[{describe_key(k)}]")
            if n >= SLOT_SCAN_CAP:  # the rest: values and (str) keys, in C
                for view, what in ((dict.values, "value"), (dict.keys, "key")):
                    rest = islice(view(container), SLOT_SCAN_CAP, SLOT_SCAN_CAP + MAX_SCAN)  # type: ignore[arg-type]
                    for tid in set(target_ids).intersection(map(id, rest)):
                        if tid not in found:
                            found[tid] = [f"{what} (past the first {SLOT_SCAN_CAP:,})"]
            return found
        if among(set, bases) or among(frozenset, bases):
            members = (set.__iter__ if among(set, bases) else frozenset.__iter__)(container)  # type: ignore[arg-type]
            _scan_items(members, target_ids, lambda i: "member", found)
            return found
    except (RuntimeError, TypeError):  # mutated while we looked (another thread)
        found.clear()
    why = unsafe_referents_reason(container)
    if why is not None:  # a CPython bug: only the module's dict is looked at
        d = module_dict(container)
        if d is not None and id(d) in target_ids:
            found[id(d)] = [""]
        if unread is not None:
            unread.append(
                f"the references held by {hex(id(container))} (module "
                f"{module_name(container)}) were not read: {why}"
            )
        return found
    referents = gc.get_referents(container)
    for x in referents:
        if id(x) in target_ids:
            via = "ob_type" if x is tp else ""
            found.setdefault(id(x), []).append(via)
    referents.clear()
    return found


def module_dict(o: object) -> dict[str, object] | None:
    """A module's own ``__dict__`` (md_dict, read through ModuleType's descriptor), or None."""
    try:
        d = _MODULE_DICT.__get__(o, type(o))
    except (TypeError, AttributeError):
        return None
    return d if type(d) is dict else None


_MODULE_DICT: Any = types.ModuleType.__dict__["__dict__"]


def unsafe_referents_reason(o: object) -> str | None:
    """Why ``gc.get_referents(o)`` must not be called on this interpreter, or None.

    The cases are data (:data:`redpill.structs.UNSAFE_REFERENTS`): extension modules
    whose traversal visits freed objects; ``gc.get_referents`` would hand those out
    and dropping them frees them twice (a kernel hang on CPython 3.12.0-3.12.5).
    """
    bad = structs.unsafe_referents()
    if not bad:
        return None
    tp = type(o)
    if not among(types.ModuleType, mro(tp)):
        return None
    name = module_name(o)
    if name in bad:
        return (
            f"gc.get_referents on it would free objects twice on CPython "
            f"{structs.CURRENT.version} and hang the next gc.collect() (CPython {bad[name]})"
        )
    return None


def module_name(o: object) -> str | None:
    """The ``__name__`` in a module's own dict (no attribute lookup), or None."""
    d = module_dict(o)
    name = str_value(d, "__name__") if d is not None else None
    return name if type(name) is str else None


def safe_referents(o: object) -> list[object] | None:
    """``gc.get_referents(o)``, or None where that call is itself harmful on this
    interpreter (:func:`unsafe_referents_reason`)."""
    if unsafe_referents_reason(o) is not None:
        return None
    return gc.get_referents(o)


#: named containers scanned directly before the heap pass: at most this many items in all
DIRECT_SCAN_BUDGET = 100_000
_PLAIN_CONTAINERS = (dict, tuple, list, set, frozenset)


def named_containers(
    namespace: Mapping[str, object], targets: Sequence[object] = ()
) -> list[object]:
    """Builtin containers bound to names, to be scanned directly before the heap pass.

    * untracked ones, which get_referrers cannot see (the GC untracks atomic-only
      tuples and, up to 3.13, dicts of atomic values);
    * when a target is a str, every dict: dict_traverse does not visit str keys;
    * small tracked ones (at most SLOT_SCAN_CAP items): when they explain every
      reference, the heap pass is not needed at all.

    At most DIRECT_SCAN_BUDGET items in all (untracked containers first)."""
    want_dicts = any(type(t) is str for t in targets)
    try:
        values = list(dict.values(namespace)) if isinstance(namespace, dict) else []
    except RuntimeError:
        return []
    must: list[object] = []
    small: list[object] = []
    for v in values:
        tp = type(v)
        if not among(tp, _PLAIN_CONTAINERS):
            continue
        if not gc.is_tracked(v) or (want_dicts and tp is dict):
            must.append(v)
        elif tp.__len__(v) <= SLOT_SCAN_CAP:  # type: ignore[attr-defined]
            small.append(v)
    values.clear()
    out: list[object] = []
    budget = DIRECT_SCAN_BUDGET
    for v in [*must, *small]:
        n = min(type(v).__len__(v), MAX_SCAN)  # type: ignore[attr-defined]
        if n > budget:
            continue
        budget -= n
        out.append(v)
    must.clear()
    small.clear()
    return out


def find_holders(
    targets: Sequence[object],
    missing: Mapping[int, int],
    exclude_ids: set[int] | frozenset[int],
    describe_key: Callable[[object], str],
    direct: Sequence[object] = (),
    unread: list[str] | None = None,
) -> list[tuple[object, dict[int, list[str]]]]:
    """Containers holding ``targets`` and the slots that hold them.

    ``missing`` maps each target id to the references not yet explained;
    ``exclude_ids`` are the collector's own containers (and the user namespace,
    whose references are reported as names).  The ``direct`` containers (see
    :func:`named_containers`) are scanned first; one ``gc.get_referrers`` pass then
    runs for the targets still unexplained, if any.  Holders whose references could
    not be enumerated safely are described in ``unread`` (:func:`slots_in`).
    """
    by_id = {id(t): t for t in targets}
    target_ids = frozenset(by_id)
    remaining = {tid: missing.get(tid, 1) for tid in target_ids}
    # the holders found may be targets too: they are kept in lists of ours, excluded
    holders: list[object] = []
    slots_of: list[dict[int, list[str]]] = []
    seen: set[int] = {*exclude_ids, id(targets), id(by_id), id(holders), id(direct)}

    def take(r: object) -> None:
        seen.add(id(r))
        slots = slots_in(r, target_ids, describe_key, unread)
        if slots:
            for tid, vias in slots.items():
                if not interned_dict_suspect(r, by_id[tid]):
                    remaining[tid] -= len(vias)
            holders.append(r)
            slots_of.append(slots)

    for r in direct:
        if id(r) not in seen:
            take(r)
    rest = [t for t in targets if remaining[id(t)] > 0]
    seen.add(id(rest))
    if rest:
        for r in heap_referrers(rest, seen):
            take(r)
    rest.clear()
    by_id.clear()
    out = list(zip(holders, slots_of, strict=True))
    holders.clear()
    return out


def heap_referrers(
    targets: Sequence[object], exclude_ids: set[int] | frozenset[int]
) -> list[object]:
    """All GC-tracked containers holding any of ``targets``, in one heap pass
    (``gc.get_referrers``, with its own argument tuple skipped: the call holds it).
    """
    args = tuple(list(targets))
    found = gc.get_referrers(*args)
    own = id(args)
    out = [r for r in found if id(r) != own and id(r) not in exclude_ids]
    del found, args
    return out


@cache
def _interned_dict_id() -> int | None:
    """3.14+: id of the interned-strings dict, found by identity: the one dict holding a
    freshly interned probe string as its own value (on 3.14+ the dict's references
    to interned strings are not counted in their ob_refcnt).  None before 3.14 (the
    dict is untracked)."""
    is_interned = getattr(sys, "_is_interned", None)
    if is_interned is None:
        return None
    probe = sys.intern("".join(("_redpill_interned_probe_", str(id(object())))))
    candidates = [
        r for r in gc.get_referrers(probe) if type(r) is dict and dict.get(r, probe) is probe
    ]
    found = id(candidates[0]) if len(candidates) == 1 else None
    candidates.clear()
    return found


def interned_dict_suspect(container: object, target: object) -> bool:
    """True when ``container`` is the interned-strings dict (3.14+) and ``target`` an
    interned str: that reference is not counted in the target's ob_refcnt."""
    if type(container) is not dict or type(target) is not str:
        return False
    is_interned = getattr(sys, "_is_interned", None)
    if is_interned is None:
        return False
    try:
        if not is_interned(target):
            return False
        return id(container) == _interned_dict_id()
    except Exception:
        return False
