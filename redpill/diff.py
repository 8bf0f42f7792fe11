"""``%%redpill --diff``: what changed since the previous ``%%redpill`` snapshot (pure Python).

After every ``%%redpill`` cell the kernel keeps what it drew — the payload, plain
JSON data, turned into a :class:`Digest` (addresses, numbers and short strings:
type names, capped reprs, holder names) only when a ``--diff`` cell asks for it.
Never a reference to an object, not even a weak one, so keeping it cannot keep
anything alive.  ``--diff`` compares the new payload with that digest:

* names: new, rebound (another address), deleted, unchanged;
* objects: ``new`` (an address the previous snapshot did not draw), ``freed``
  (drawn before, gone now, and every reference it had is known to be gone),
  ``gone`` (no longer drawn, fate unknown), ``reused`` (a NEW object at the
  address of an earlier one: a different type, a different value of an
  immutable type, or an earlier object that is known to be freed), ``same``
  (with its refcount before and after, and whether its contents changed).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .steps import VOLATILE_KEYS, freed_objects

#: Kinds whose value cannot change: a different value at the same address is a new object.
IMMUTABLE_KINDS = frozenset({"int", "bool", "float", "str", "bytes", "none", "tuple", "frozenset"})
#: Characters of a repr kept in a digest.
REPR_CAP = 80


@dataclass(frozen=True)
class ObjectDigest:
    """What the kernel remembers of one drawn object (no reference to it)."""

    type: str
    kind: str
    refcount: int
    immortal: bool
    repr: str | None
    content: str  # a hash of the entry without its volatile keys
    holders: tuple[tuple[str, str], ...]  # ("name", n) / ("object", address)
    unexplained: int | None
    children: tuple[str, ...] | None  # addresses it held (complete lists only)
    value: str | None = None  # immutable kinds: a hash of the value itself

    def as_entry(self) -> dict[str, Any]:
        """The digest in the shape of a payload object entry (for :func:`freed_objects`)."""
        e: dict[str, Any] = {
            "type": self.type,
            "refcount": self.refcount,
            "immortal": self.immortal,
            "holders": [{k: v} for k, v in self.holders],
        }
        if self.unexplained is not None:
            e["unexplained"] = self.unexplained
        return e


@dataclass(frozen=True)
class Digest:
    """The previous snapshot: names -> addresses, addresses -> :class:`ObjectDigest`."""

    serial: int
    names: Mapping[str, str]
    objects: Mapping[str, ObjectDigest]


def _content(entry: Mapping[str, Any]) -> str:
    """A hash of what the object holds (not of counts, GC state or a str's cached hash)."""
    kept = {k: v for k, v in entry.items() if k not in VOLATILE_KEYS and k != "gc_tracked"}
    if isinstance(kept.get("str"), Mapping):
        kept["str"] = {k: v for k, v in kept["str"].items() if k not in ("hash", "interned")}
    text = json.dumps(kept, sort_keys=True, default=str)
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:16]


def _value_key(entry: Mapping[str, Any]) -> str | None:
    """A hash of an immutable object's value (not of lazily filled caches: str hash,
    interning, GC tracking), to tell a different object at the same address."""
    kind = entry.get("kind")
    if kind not in IMMUTABLE_KINDS:
        return None
    block: Any
    if kind in ("int", "bool"):
        block = (entry.get("int") or {}).get("value", entry.get("repr"))
    elif kind == "float":
        block = (entry.get("float") or {}).get("hex", entry.get("repr"))
    elif kind == "str":
        s = entry.get("str") or {}
        block = [s.get("length"), s.get("text"), s.get("kind")]
    elif kind == "bytes":
        b = entry.get("bytes") or {}
        block = [b.get("length"), b.get("hex")]
    elif kind in ("tuple", "frozenset"):
        block = [entry.get("items"), entry.get("items_total")]
    else:
        block = entry.get("repr")
    text = json.dumps([kind, block], sort_keys=True, default=str)
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:16]


def _children(entry: Mapping[str, Any]) -> tuple[str, ...] | None:
    from .steps import _children as kids

    found = kids(entry)
    return None if found is None else tuple(sorted(found))


def digest(payload: Mapping[str, Any], serial: int) -> Digest:
    """Remember ``payload`` as strings and numbers."""
    names = {str(b["name"]): str(b["object"]) for b in payload.get("names", [])}
    for b in (payload.get("diff") or {}).get("names", []):  # names carried by --diff
        if b.get("after"):
            names.setdefault(str(b["name"]), str(b["after"]))
    objects: dict[str, ObjectDigest] = {}
    for e in payload.get("objects", []):
        r = e.get("repr")
        holders = tuple(
            ("name", str(h["name"])) if "name" in h else ("object", str(h.get("object")))
            for h in e.get("holders", [])
        )
        objects[str(e["address"])] = ObjectDigest(
            type=str(e.get("type", "?")),
            kind=str(e.get("kind", "other")),
            refcount=int(e.get("refcount", 0)),
            immortal=bool(e.get("immortal", False)),
            repr=None if r is None else str(r)[:REPR_CAP],
            content=_content(e),
            holders=holders,
            unexplained=e.get("unexplained") if isinstance(e.get("unexplained"), int) else None,
            children=_children(e),
            value=_value_key(e),
        )
    return Digest(serial, names, objects)


@dataclass
class History:
    """Per kernel: the digest of the last ``%%redpill`` snapshot.

    :meth:`remember` only keeps the payload (plain JSON data: strings and numbers,
    never an object); it is turned into a :class:`Digest` when ``last`` is first
    read, so cells that never use ``--diff`` do not pay for digesting.
    """

    _last: Digest | None = None
    serial: int = 0
    extra: list[str] = field(default_factory=list)
    _payload: Mapping[str, Any] | None = None

    @property
    def last(self) -> Digest | None:
        """The digest of the previous picture (None before the first, or after :meth:`forget`)."""
        if self._payload is not None:
            payload, self._payload = self._payload, None
            self._last = digest(payload, self.serial)
        return self._last

    @last.setter
    def last(self, value: Digest | None) -> None:
        """Replace the previous picture's digest."""
        self._payload = None
        self._last = value

    def forget(self) -> None:
        """Drop the previous snapshot now (a cell without ``--diff`` replaces it anyway;
        its memory is then reused for the new payload)."""
        self._payload = None
        self._last = None

    def remember(self, payload: Mapping[str, Any]) -> None:
        """Keep ``payload`` as the previous picture: its digest (addresses and numbers
        only) is made when the next ``--diff`` asks for it."""
        self.serial += 1
        self._last = None
        self._payload = payload

    def carried_names(self) -> list[str]:
        """Names of the previous snapshot, to draw again next to the cell's own."""
        return list(self.last.names) if self.last is not None else []


def diff(
    previous: Digest | None,
    payload: Mapping[str, Any],
    carried: Sequence[Mapping[str, Any]],
    bound: Mapping[str, Sequence[str]],
    namespace_names: Mapping[str, str],
) -> dict[str, Any]:
    """The ``diff`` payload key.

    ``payload``: this cell's payload (its ``names`` are the cell's own);
    ``carried``: bindings of the previous snapshot's names drawn again;
    ``bound``: address -> names binding it now (whole namespace);
    ``namespace_names``: name -> address now, for the names the digest knew.
    """
    if previous is None:
        return {
            "previous": None,
            "names": [],
            "objects": [],
            "notes": ["no earlier %%redpill snapshot in this kernel: nothing to compare"],
        }
    now_names: dict[str, str] = {}
    for b in [*payload.get("names", []), *carried]:
        now_names.setdefault(str(b["name"]), str(b["object"]))
    names_out: list[dict[str, Any]] = []
    for n in [*previous.names, *(n for n in now_names if n not in previous.names)]:
        before = previous.names.get(n)
        after = now_names.get(n) or namespace_names.get(n)
        if before is None:
            change = "new"
        elif after is None:
            change = "deleted"
        elif before != after:
            change = "rebound"
        else:
            change = "same"
        names_out.append({"name": n, "before": before, "after": after, "change": change})
    entries: dict[str, Mapping[str, Any]] = {
        str(e["address"]): e for e in payload.get("objects", [])
    }
    prev_entries = {a: d.as_entry() for a, d in previous.objects.items()}
    freed = set(freed_objects(prev_entries, entries, bound))
    objects_out: list[dict[str, Any]] = []
    for a, d in previous.objects.items():
        e = entries.get(a)
        if e is None:
            objects_out.append(
                {
                    "address": a,
                    "type": d.type,
                    "status": "freed" if a in freed else "gone",
                    "refcount": [d.refcount, None],
                    **({"repr": [d.repr, None]} if d.repr is not None else {}),
                }
            )
            continue
        item: dict[str, Any] = {"address": a, "type": str(e.get("type", "?"))}
        rc_after = int(e.get("refcount", 0))
        content = _content(e)
        r_after = e.get("repr")
        reuse, certain = _reused(d, e, content, bound.get(a, ()), now_names)
        if reuse:
            item["status"] = "reused"
            item["certain"] = certain
            if d.type != item["type"]:
                item["type_before"] = d.type
        else:
            item["status"] = "same"
            if content != d.content:
                item["changed"] = True
        item["refcount"] = [d.refcount, rc_after]
        if r_after != d.repr:
            item["repr"] = [d.repr, r_after]
        if item["status"] == "same" and not item.get("changed") and d.refcount == rc_after:
            continue  # unchanged: left out
        if item["status"] == "same" and (d.immortal or _small_int(e)):
            if not item.get("changed"):
                continue  # shared interpreter objects: their counts move with everything
        objects_out.append(item)
    for a, e in entries.items():
        if a in previous.objects:
            continue
        item = {
            "address": a,
            "type": str(e.get("type", "?")),
            "status": "new",
            "refcount": [None, int(e.get("refcount", 0))],
        }
        if e.get("repr") is not None:
            item["repr"] = [None, e["repr"]]
        objects_out.append(item)
    return {
        "previous": {"serial": previous.serial, "names": len(previous.names)},
        "names": names_out,
        "objects": objects_out,
    }


def _small_int(e: Mapping[str, Any]) -> bool:
    i = e.get("int")
    return isinstance(i, Mapping) and bool(i.get("small_int_cached"))


def _reused(
    d: ObjectDigest,
    e: Mapping[str, Any],
    content: str,
    bound_now: Sequence[str],
    now_names: Mapping[str, str],
) -> tuple[bool, bool]:
    """(is this a new object at an old address, is that certain)."""
    if d.type != e.get("type") or d.kind != e.get("kind"):
        return True, True
    if d.kind in IMMUTABLE_KINDS and d.value is not None and _value_key(e) != d.value:
        return True, True
    # every reference the old object had came from names, none of which holds it now,
    # and it looks different: very likely a new object at a recycled address
    if (
        not d.immortal
        and d.unexplained == 0
        and d.holders
        and all(k == "name" for k, _ in d.holders)
        and not any(v in bound_now for _, v in d.holders)
        and content != d.content
    ):
        return True, False
    return False, False
