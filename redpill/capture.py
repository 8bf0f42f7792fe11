"""``%%redpill --steps`` line by line, recorded lean: what one step costs is what changed.

:class:`LeanSteps` turns one moment of the cell (the namespace, the active calls'
locals, a returned object) into a step of the :class:`~redpill.steps.StepRecorder`
without building a picture per step.  Per step it

* walks the namespace once (exact ``str`` keys, ``dict.items``: no user code) for the
  names' ids; where every key is an exact ``str`` the drawn names are then looked up
  (only strs are compared), else the namespace is walked for them too;
* recognises each drawn object's *state* by a cheap fingerprint (its type, the bytes of
  its own struct past the header, and for a list or tuple the ids of its first items;
  no reference kept: a freed object's address that a new object takes with other
  contents has another fingerprint), and reads an object (:func:`redpill.kinds.read_object`)
  only the first time a state is seen at its address: unchanged objects are stored
  once, as a version of ``step_objects``, and every later step refers to it (their GC
  links, which the collector moves, are read again at each step).  An int whose shape
  (size, size word, and whether it is one of the small-int cache's) was read before is
  made from that reading and its own bytes;
* reads each drawn object's header once (the count, as the payload builder does: the
  collector holds one reference, its own bookkeeping's are subtracted: where a drawn
  small int or interned str may be shared with that bookkeeping, before 3.12, a
  census counts what the lasting records hold once, as each is made) and explains the
  count by the names, the frames' locals, the drawn containers, the frames that run a
  drawn function (a holder ``frame 0x… f_funcobj``), and only when that leaves
  references unexplained, the heap (:func:`redpill.payload.heap_pass`, as before; where
  small ints and strs are immortal, the holders found are drawn again at the next step
  while the object's count and its other holders stay the same);
* makes each part of the step that is the same as at an earlier step (an object's
  reference when its state, header and holders are; a holder, a binding, a frame, a
  list of them, a decoded header) the very dict of that step: made, and counted by the
  census, once (what these tables hold is counted as it is put, and kept for the cell,
  so the census never walks them again);
* estimates the characters the step and each new version add to the payload (the
  steps' size budget), instead of encoding them;
* lets every object go before it returns (the stepper keeps no reference to a user
  object between two events; the readings kept hold ids, numbers and texts only).

Objects of other kinds (instances, dicts, sets, ...) are read at every step, and a new
version is stored when their entry differs from the last one (as the picture-per-step
recorder did).  A cell whose namespace is not a plain ``dict`` is recorded by
:meth:`StepRecorder.record_frames` (the picture per step).
"""

from __future__ import annotations

import gc
import types
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .births import source_block
from .kinds import Ctx, is_heap_type, key_text, read_object, safe_repr, small_int_range
from .kinds.context import FIELD_ARRAY_CAP
from .kinds.integers import DIGITS_CAP, int_text
from .memory import read_bytes
from .names import (
    NAMESPACE_RETRIES,
    Binder,
    CellNames,
    StaticBindings,
    filter_names,
    implicit_dunder,
    is_bookkeeping,
    resolve,
)
from .payload import (
    HIDEABLE,
    MAX_HEAP_PASS_REFCOUNT,
    MAX_NAMES,
    FrameLocals,
    ObjectNode,
    all_known,
    annotate_c_story,
    find_roots,
    heap_pass,
    object_entry,
    patch_header_bytes,
    patch_refcount_fields,
)
from .refs import Holder, RawCount, calibrate, decode_refcount
from .steps import (
    STEPS_BUDGET,
    Span,
    StepRecorder,
    Version,
    freed_objects,
    normal_entry,
)

#: Types whose objects are recognised by their bytes alone (immutable, no children).
_LEAVES = frozenset({int, bool, float, complex, str, bytes, type(None)})
#: Fixed-size structs recognised by their bytes (and, for a module or class, how many
#: names its dict holds): read again only when those change.
_FIXED = frozenset({types.FunctionType, types.ModuleType, type})
#: The largest leaf recognised by its bytes (a larger one is read at every step).
MAX_FINGERPRINT = 4096
#: Characters a step's reference to an object costs in the payload, about (the steps'
#: size budget counts the stored versions exactly and the steps by these estimates).
_REF_CHARS = 115
_HOLDER_CHARS = 45
_BINDING_CHARS = 60
#: Characters of an item sent as its index into the step before (``5,``: up to 9999).
_INDEX_CHARS = 5

_MODULE_DICT: Any = types.ModuleType.__dict__["__dict__"]
_TYPE_DICT: Any = type.__dict__["__dict__"]
_WALKED = frozenset(map(id, (list, tuple, set, frozenset)))
_SCALARS = frozenset(map(id, (int, str, float, bool, bytes, type(None))))
#: The blocks of an entry whose size varies with the object.
_BLOCKS = frozenset(
    {"int", "float", "str", "bytes", "list", "dict", "instance", "summary", "buffer"}
)


@dataclass(slots=True)
class _Known:
    """What was read of the state last seen at one address (no object reference)."""

    fp: object
    entry: dict[str, Any]
    edges: Sequence[tuple[str, int]]
    items: bool
    items_total: int | None
    complete: bool
    proxies: Sequence[int]
    container: bool
    type_address: int
    #: the reading's notes (each step that draws the object says them)
    notes: Sequence[str] = ()
    #: the version of ``step_objects`` this state was stored as, with the items it listed
    version: int = -1
    listed: tuple[str | None, ...] | None = None
    #: (header bytes, our references, ephemeral) -> the step's memory/fields delta
    deltas: dict[tuple[bytes, bytes, int, int], dict[str, Any]] = field(default_factory=dict)


class _Census:
    """The references the recorder's lasting records (the steps, the stored versions) hold
    to ints and strs, counted once, as each record is made (a record is never changed
    afterwards): where a drawn small int or interned str (shared with the whole
    interpreter before 3.12) may be one of those, its count is corrected without walking
    every earlier step again."""

    def __init__(self) -> None:
        #: whether the records are counted (from the first step that needs it)
        self.on = False
        self.counts: dict[int, int] = {}
        #: ids of the containers counted (alive while the records are)
        self.seen: set[int] = set()

    def add(self, record: object) -> None:
        """Count the ints and strs ``record`` holds (its containers, and our own records in
        them, at any depth)."""
        counts, seen = self.counts, self.seen
        todo = [record]
        while todo:
            x = todo.pop()
            if id(x) in seen:
                continue
            tx = type(x)
            if tx is dict:
                items: Any = (*dict.keys(x), *dict.values(x))  # type: ignore[arg-type]
            elif tx is list or tx is tuple:
                items = x
            elif tx in _WALK:
                items = _parts(x, tx)
            else:
                continue
            seen.add(id(x))
            for v in items:
                tv = type(v)
                if tv is int or tv is str:
                    counts[id(v)] = counts.get(id(v), 0) + 1
                elif tv in _WALK:
                    todo.append(v)

    def add_known(self, k: _Known) -> None:
        """Count what the reading ``k`` holds, its own fields too (it is never walked
        again: a change of its version is told by :meth:`move`, a new list of items is
        added, and its tables of deltas are counted as their entries are made)."""
        for part in (k.entry, k.fp, k.edges, k.proxies, k.notes, k.listed):
            self.add(part)
        counts = self.counts
        for v in (k.items_total, k.type_address, k.version):
            if type(v) is int:
                counts[id(v)] = counts.get(id(v), 0) + 1
        self.seen.add(id(k))

    def count(self, x: object) -> None:
        """Count one reference to ``x`` (an int or str), or what ``x`` holds (a container,
        a holder or a count of ours, never changed once counted)."""
        tx = type(x)
        if tx is int or tx is str:
            self.counts[id(x)] = self.counts.get(id(x), 0) + 1
        elif tx is Holder or tx is RawCount:
            counts = self.counts
            parts = tuple(x) if tx is RawCount else [getattr(x, f) for f in _HOLDER_FIELDS]  # type: ignore[arg-type]
            for v in parts:
                if type(v) is int or type(v) is str:
                    counts[id(v)] = counts.get(id(v), 0) + 1
            self.seen.add(id(x))
        else:
            self.add(x)

    def move(self, old: int, new: int) -> None:
        """A reading counted refers to ``new`` instead of ``old`` (its version)."""
        counts = self.counts
        counts[id(old)] -= 1
        counts[id(new)] = counts.get(id(new), 0) + 1

    def held(
        self,
        targets: Sequence[tuple[int, bool]],
        roots: object,
        name_maps: Sequence[Collection[str]] = (),
    ) -> tuple[dict[int, int], set[int]]:
        """References to ``targets`` ((id, whether it is a str)) held by the records counted
        and by ``roots`` (the step's own bookkeeping, walked now, each container once;
        ``name_maps``: its collections of names, dicts of names to ids among them, whose
        names alone can be targets), and the ids of the containers walked now (neither is
        a holder of the program's)."""
        strs = any(is_str for _a, is_str in targets)
        want = {a for a, _is_str in targets}
        out = {a: self.counts[a] for a in want if a in self.counts}
        counted, seen = self.seen, set()
        for d in name_maps:  # names (-> ids, ints no program holds): only the names count
            if id(d) in seen:
                continue
            seen.add(id(d))
            if not strs:
                continue  # (no str is looked for)
            keys = set(map(id, d))
            for a in want.intersection(keys):
                out[a] = out.get(a, 0) + 1
        todo: list[object] = [roots]
        while todo:
            x = todo.pop()
            if id(x) in seen or id(x) in counted:
                continue
            tx = type(x)
            if tx is dict:
                items: Any = (*dict.keys(x), *dict.values(x))  # type: ignore[arg-type]
            elif id(tx) in _WALKED:
                items = x
            elif tx in _WALK:
                items = _parts(x, tx)
            else:
                continue
            seen.add(id(x))
            for v in items:
                i = id(v)
                if i in want:
                    out[i] = out.get(i, 0) + 1
                elif id(type(v)) not in _SCALARS:
                    todo.append(v)
        return out, seen


class LeanSteps:
    """The lean recorder of one ``--steps`` cell (see the module's description)."""

    def __init__(self, rec: StepRecorder) -> None:
        self.rec = rec
        self.ctx = Ctx(rec.opts)
        self.hdr = self.ctx.facts.header.sizeof
        self.cost = calibrate()
        self.known: dict[int, _Known] = {}
        self.tuple_head = self._tuple_head()
        #: bytes of the GC head before a tracked object (default builds), read at each step
        self.gc_head = 2 * self.ctx.P if self.ctx.facts.preheader.gc_head_words else 0

        self.small = small_int_range()
        #: ints are made by analogy where the header is one count word and the type (a
        #: free-threaded header's notes tell the owner thread and the state bits apart)
        self.analogy = self.ctx.facts.refcount.mode == "word"
        self.census = _Census()
        #: every reading made in this cell (their containers' ids stay valid for the census)
        self.kept: list[_Known] = []
        self.names_key: tuple[tuple[str, ...], tuple[str, ...]] | None = None
        #: the cell's names for that key (kept for the cell once replaced: counted once)
        self.names_memo: tuple[CellNames, list[str]] | None = None
        #: what our lasting tables held before it was replaced (kept, as counted)
        self.retired: list[object] = []
        #: every lasting table of this cell (kept: the census counts each entry once, as it
        #: is put, and never walks the table)
        self.tables: list[dict[Any, Any]] = []
        #: address -> (the state, what made its last reference, that reference, its entry)
        self.refs: dict[str, tuple[_Known, tuple[object, ...], dict[str, Any], dict[str, Any]]] = (
            self._table()
        )
        #: a holder's fields -> its payload form, and a list of those -> the list (one
        #: object per distinct holder and list: unchanged holders are not made again)
        self.holder_forms: dict[tuple[object, ...], dict[str, object]] = self._table()
        self.holder_lists: dict[tuple[int, ...], list[dict[str, object]]] = self._table()
        #: the same for the bindings of names and frames' locals, and for the frames
        self.binding_forms: dict[tuple[object, ...], dict[str, object]] = self._table()
        self.binding_lists: dict[tuple[int, ...], list[dict[str, object]]] = self._table()
        self.frame_forms: dict[tuple[object, ...], dict[str, Any]] = self._table()
        #: a name's holder, a frame's local's holder and its key, and an immortal's count
        self.name_holders: dict[str, Holder] = self._table()
        self.local_holders: dict[tuple[int, str, str], Holder] = self._table()
        self.local_keys: dict[tuple[int, str, str], str] = self._table()
        self.raw_counts: dict[bytes, RawCount] = self._table()
        #: (size, size word, cached) -> the reading of an int of that shape (ints read by
        #: analogy)
        self.int_templates: dict[tuple[int, bytes, bool], _Known] = self._table()
        #: what the C story says of an int, by its shape and header (module, cached,
        #: digits, static, immortal)
        self.int_stories: dict[tuple[object, ...], tuple[Any, ...]] = self._table()
        #: id of a part of the steps made once (a list of bindings, a reference, a frame)
        #: -> the characters it adds to a step, about (:func:`_estimate`)
        self.sizes: dict[int, int] = self._table()
        #: the steps' lists of names and addresses (deleted, new, freed), one per value
        self.str_lists: dict[tuple[str, ...], list[Any]] = self._table()
        #: id of a list of holders made once -> what it adds to a stored version, about
        self.holder_sizes: dict[int, int] = self._table()
        #: the steps' lines, one list per span
        self.lines: dict[tuple[int, int], list[int]] = self._table()
        #: id of a holder kept in those tables -> the list of its payload form alone
        self.alone: dict[int, list[dict[str, object]]] = self._table()
        #: id of a holder kept in those tables -> its payload form
        self.lasting_forms: dict[int, dict[str, object]] = self._table()
        #: the holders the heap search found at the last step, by address, with what they
        #: were found for (the object's count and the holders explained without the heap):
        #: reused while both stay the same (a module drawn at every step is searched for
        #: once)
        self.heap_found: dict[int, tuple[object, dict[int | str, Holder]]] = {}

    def _tuple_head(self) -> int:
        try:
            tail = self.ctx.layout("tuple").tail
            return tail.offset if tail is not None else self.hdr
        except Exception:
            return self.hdr

    # -- the state of one object
    def _fingerprint(self, o: object, tp: type, kids: list[object]) -> object:
        """What identifies ``o``'s state (None: read it every time); a list's or tuple's
        first items are put into ``kids`` (temporary references the caller drops)."""
        a = id(o)
        if tp in _LEAVES:
            n = tp.__sizeof__(o)
            if n > MAX_FINGERPRINT:
                return None
            return (tp, n, read_bytes(a + self.hdr, n - self.hdr) if n > self.hdr else b"")
        cap = self.ctx.opts.max_items
        if tp is list:
            kids.extend(islice(list.__iter__(o), cap))  # type: ignore[arg-type]
            body = read_bytes(a + self.hdr, 3 * self.ctx.P)  # ob_size, ob_item, allocated
            return (tp, body, tuple(map(id, kids)), list.__len__(o))  # type: ignore[arg-type]
        if tp is tuple:
            kids.extend(islice(tuple.__iter__(o), cap))  # type: ignore[arg-type]
            n = max(self.tuple_head - self.hdr, 0)
            body = read_bytes(a + self.hdr, n) if n else b""
            return (tp, body, tuple(map(id, kids)), tuple.__len__(o), gc.is_tracked(o))  # type: ignore[arg-type]
        if tp in _FIXED:
            n = min(self.ctx.type_facts(tp).basicsize, 1024)
            body = read_bytes(a + self.hdr, n - self.hdr)
            if tp is types.ModuleType:
                d = _MODULE_DICT.__get__(o, tp)
                return (tp, body, dict.__len__(d) if type(d) is dict else -1, gc.is_tracked(o))
            if tp is type:
                return (tp, body, len(_TYPE_DICT.__get__(o, tp)))
            return (tp, body, gc.is_tracked(o))
        return None

    def _read(
        self, o: object, node: ObjectNode, fp: object, kids: list[object]
    ) -> tuple[_Known, list[tuple[str, object]]]:
        """Read ``o`` (what the payload builder does for one object)."""
        ctx = self.ctx
        r = read_object(o, ctx)
        tp = type(o)
        tf = ctx.type_facts(tp)
        entry = object_entry(o, node.address, r, tf)
        children = r.children
        r.children = []
        edges = [(via, id(c)) for via, c in children]
        if fp is not None:  # recognised later by its fingerprint: its children must be its items
            ids = set(map(id, kids))
            if not all(cid in ids for _v, cid in edges) or (edges and not r.children_are_items):
                fp = None
        known = _Known(
            fp,
            entry,
            edges,
            r.children_are_items,
            r.items_total,
            r.children_complete,
            list(r.proxies),
            bool(children) or r.items_total is not None,
            id(tp),
            notes=list(r.notes),
        )
        return known, children

    def _names(self, after: dict[str, int]) -> tuple[CellNames, list[str]]:
        """The cell's names in the namespace ``after`` (:func:`redpill.names.resolve`, then
        the ``%%redpill a b`` filter and the hidden names), worked out again only when a
        name appears, goes, or changes from or back to its binding before the cell."""
        rec = self.rec
        before = rec.before
        key = (tuple(after), tuple([n for n, i in after.items() if before.get(n) != i]))
        if key == self.names_key and self.names_memo is not None:
            return self.names_memo
        out = rec._binder.out
        static = StaticBindings(
            list(out.ordered), list(out.conditional), list(out.deleted), out.syntax_error
        )
        cell = resolve(static, before, after, error=False, hidden=rec.hidden)
        names = [n for n in filter_names(cell, rec.opts.names, after) if n not in rec.hide_names]
        if self.names_memo is not None:  # (kept, as counted)
            self.retired.append(self.names_memo)
        self.names_key, self.names_memo = key, (cell, names)
        if self.census.on:
            self.census.count(self.names_memo)
        return cell, names

    def _keep(self, k: _Known) -> None:
        """Keep a reading for the cell (ids and texts only): what it holds is counted once
        by the census (and its containers' ids stay theirs)."""
        self.kept.append(k)
        if self.census.on:
            self.census.add_known(k)

    def _stored_as(self, k: _Known, version: int, listed: tuple[str | None, ...] | None) -> None:
        """Say that the state ``k`` is stored as ``version`` listing ``listed`` (the census
        follows the change; the tuple it replaces is kept, as counted)."""
        census = self.census
        if census.on:
            census.move(k.version, version)
            if listed is not None and listed is not k.listed:
                census.add(listed)
        if k.listed is not None and k.listed is not listed:
            self.retired.append(k.listed)
        k.version = version
        k.listed = listed

    # -- ints read by analogy
    def _int_template(self, k: _Known, fp: object) -> None:
        """Keep the reading of an int as the template of every int of its shape (its size,
        its size word: the digits' count and the sign, and whether it is one of the
        small-int cache's), when nothing in it but the digits depends on the value."""
        if fp is None:
            return
        e = k.entry
        block = e.get("int")
        memory = e.get("memory")
        _tp, n, body = fp  # type: ignore[misc]
        if (
            k.notes
            or k.edges
            or not isinstance(block, dict)
            or int(block.get("ndigits", 0)) > min(FIELD_ARRAY_CAP, DIGITS_CAP)
            or not isinstance(memory, dict)
            or memory.get("truncated")
            or memory.get("size") != n
            or len(str(memory.get("hex", ""))) != 2 * n
        ):
            return
        key = (n, body[: self.ctx.P], bool(block.get("small_int_cached")))
        if key not in self.int_templates and len(self.int_templates) < 64:
            self._put(self.int_templates, key, k)

    def _int_by_analogy(self, o: object, node: ObjectNode, fp: object) -> _Known | None:
        """An int's state made from the template of its shape and its own bytes (what
        :func:`redpill.kinds.integers.read_int` would read: the digits, the value, the
        memory), or None when no template fits."""
        if fp is None or not self.analogy:
            return None
        _tp, n, body = fp  # type: ignore[misc]
        value = int.__index__(o)  # type: ignore[call-overload]
        lo, hi = self.small
        # (an int of the small-int cache is made from one of the cache's, as read_int tells)
        cached = lo <= value <= hi and o is int(str(value))
        t = self.int_templates.get((n, body[: self.ctx.P], cached))
        if t is None:
            return None
        data = read_bytes(node.address, self.hdr) + body
        te = t.entry
        e = dict(te)
        e["address"] = hex(node.address)
        e["repr"] = safe_repr(o, int)
        fields = []
        digits = []
        for f in te["fields"]:
            if f["name"].startswith("ob_digit["):
                f = dict(f)
                off = f["offset"]
                f["value"] = v = int.from_bytes(data[off : off + f["size"]], "little")
                digits.append(v)
            # (the other fields are the template's: the same values, never changed in place)
            fields.append(f)
        e["fields"] = fields
        memory = dict(te["memory"])
        memory["address"] = e["address"]
        memory["hex"] = data.hex()
        e["memory"] = memory
        block = dict(te["int"])
        ndigits = int(block["ndigits"])
        block["value"] = int_text(value, ndigits)
        block["digits"] = digits[:ndigits]
        e["int"] = block
        # (no children, proxies nor notes: the shared empty tuple, never changed)
        return _Known(fp, e, (), False, None, True, (), False, t.type_address)

    # -- one step
    def record(
        self,
        namespace: dict[str, object],
        span: Span,
        *,
        head: Mapping[str, Any],
        frames: Sequence[FrameLocals],
        unnamed: Sequence[object],
        own_refs: Mapping[int, int],
        transient: Mapping[int, int] | None,
        running: Sequence[tuple[int, types.CodeType]] = (),
        exclude: Sequence[object] = (),
    ) -> dict[str, Any] | None:
        """One step (None once the recorder is full).  ``running``: (id of a listed frame,
        its code) for each frame listed, which holds a reference to the function it runs;
        ``exclude``: the caller's containers that hold the step's objects (not holders).
        May raise (the caller stops the recording)."""
        rec = self.rec
        if rec.full:
            return None
        opts = rec.opts
        after = _ids(namespace)
        cell, names = self._names(after)
        prev = rec._prev_ids
        rebound = {n for n in names if n in prev and prev[n] != after.get(n)}
        seen: set[str] = set()
        drawn = [n for n in names if not (n in seen or seen.add(n))]  # type: ignore[func-returns-value]
        # (a binding the same as at an earlier step is the same dict: made and counted once)
        if len(after) == dict.__len__(namespace):  # every key an exact str: look names up
            objs, nodes, index, bindings, dropped = _roots(
                namespace, drawn, rebound, opts, self._name_binding
            )
            bindings = self._list_of(bindings)
        else:  # (a key of the user's could run code when compared: one walk instead)
            objs, nodes, index, bindings, dropped = find_roots(namespace, drawn, rebound, opts)
            bindings = self._bindings_of(bindings)
        frame_bindings, frame_dropped = (
            self._frame_roots(frames, unnamed, objs, nodes, index, opts)
            if frames or unnamed
            else ({}, {})
        )
        no_heap = {id(o) for o in unnamed}
        knowns: list[_Known] = []
        skipped: set[int] = set()
        gcs: list[bytes] = []
        self._read_all(objs, nodes, index, knowns, skipped, gcs)
        name_ids: dict[int, list[str]] = {}  # (the drawn objects' names only)
        for n, i in [(n, i) for n, i in after.items() if i in index]:
            name_ids.setdefault(i, []).append(n)
        # the collector holds one reference per object (its slot in ``objs``): count
        hsize = self.hdr
        facts = self.ctx.facts
        heads = [read_bytes(n.address, hsize) for n in nodes]
        raws = []
        known_raws = self.raw_counts
        for h in heads:  # (an immortal's header does not change: decoded once)
            raw = known_raws.get(h)
            if raw is None:
                raw = decode_refcount(h, facts)
                if raw.immortal:
                    self._put(known_raws, h, raw)
            raws.append(raw)
        cost = self.cost
        own: dict[int, int] = {}
        for n in nodes:
            c = own_refs.get(n.address, 0)
            if c:
                own[n.address] = c
        known_holders = {a: len(v) for a, v in name_ids.items()}
        for _call, _fn, loc in frames:
            for _nm, o in loc:
                known_holders[id(o)] = known_holders.get(id(o), 0) + 1
        shared = [
            (n.address, n.entry.get("kind") == "str")
            for n, raw in zip(nodes, raws, strict=True)
            if not raw.immortal
            and (
                (
                    n.entry.get("kind") == "int"
                    and (n.entry.get("int") or {}).get("small_int_cached")
                    and not all_known(n, raw, cost, own, transient, None, known_holders)
                )
                or (n.entry.get("kind") == "str" and (n.entry.get("str") or {}).get("interned"))
            )
        ]
        walked: set[int] = set()
        if shared:
            roots: tuple[object, ...] = (
                nodes,
                index,
                knowns,
                cost,
                names,
                drawn,
                seen,
                bindings,
                frame_bindings,
                name_ids,
                rebound,
                cell,
                head,
                known_holders,
                own,
                rec._prev_entries,
                self.known,
                self.int_templates,
                self.names_memo,
                rec._binder,
                rec.hidden,
                rec.hide_names,
            )
            if not self.census.on:  # the first time: count the records made so far
                self.census.on = True
                for k in self.kept:
                    self.census.add_known(k)
                for t in self.retired:
                    self.census.count(t)
                # (the cell's names, and what the recorder binds and hides: none of them
                # changes while the lines run)
                for part in (self.names_memo, rec._binder, rec.hidden, rec.hide_names):
                    self.census.count(part)
                for step in rec.steps:
                    self.census.add(step)
                for key, table in rec._c_story.items():
                    if key == "c_source":
                        self.census.add(table)
                        continue
                    for k, v in table.items():
                        self.census.counts[id(k)] = self.census.counts.get(id(k), 0) + 1
                        self.census.add(v)
                for vs in rec._versions.values():
                    for v in vs:
                        self.census.add(v.entry)
                for table in self.tables:
                    self.census.seen.add(id(table))
                    for tk, tv in table.items():
                        self.census.count(tk)
                        self.census.count(tv)
            key = self.names_key or ((), ())
            mine, walked = self.census.held(
                shared,
                roots,
                (after, rec._prev_ids, rec.before, key[0], key[1], rec._c_story),
            )
            for a, c in mine.items():
                own[a] = own.get(a, 0) + c
            del roots, mine
        ephemeral: dict[int, int] = {}
        counts: list[int] = []
        for n, raw in zip(nodes, raws, strict=True):
            if raw.immortal:
                counts.append(raw.raw - raw.static_base)
                continue
            rc = raw.raw - cost - raw.static_base - own.get(n.address, 0)
            t = transient.get(n.address, 0) if transient else 0
            if t > 0:
                ephemeral[n.address] = t
                rc -= t
            counts.append(rc)
        holders = self._explain(
            objs,
            nodes,
            index,
            knowns,
            raws,
            counts,
            name_ids,
            after,
            namespace,
            frames,
            running,
            no_heap,
            (walked, self.census.seen if self.census.on else (), [id(x) for x in exclude]),
        )
        notes: list[str] = []
        refs, entries, reused_here = self._versions_of_step(
            gcs, nodes, knowns, raws, heads, counts, holders, own, ephemeral, index, notes
        )
        # the states kept are those of the objects drawn now (one drawn again later is read
        # again, and stored as the same version when it looks the same)
        known = self.known
        self.known = {n.address: known[n.address] for n in nodes if n.address in known}
        # every object of the step goes now: the stepper holds none between two events
        objs.clear()
        del objs
        return self._append(
            span,
            head,
            after,
            bindings,
            frame_bindings,
            frame_dropped,
            dropped,
            skipped,
            refs,
            entries,
            reused_here,
            notes,
        )

    def _read_all(
        self,
        objs: list[object],
        nodes: list[ObjectNode],
        index: dict[int, int],
        knowns: list[_Known],
        skipped: set[int],
        gcs: list[bytes],
    ) -> None:
        """Each object's state (read when new), its children added breadth first within
        the depth and the object cap (as :func:`redpill.payload._read_objects`)."""
        opts = self.ctx.opts
        known = self.known
        i = 0
        kids: list[object] = []
        o: object = None
        child: object = None
        while i < len(objs):
            o = objs[i]
            node = nodes[i]
            tp = type(o)
            fp = self._fingerprint(o, tp, kids)
            k = known.get(node.address)
            children: list[tuple[str, object]]
            gch = b""
            if fp is not None and k is not None and k.fp == fp:
                if k.edges:
                    by_id = {id(x): x for x in kids}
                    children = [(via, by_id[cid]) for via, cid in k.edges]
                    by_id.clear()
                else:
                    children = []
                if k.entry.get("gc_tracked") and self.gc_head:  # its GC links now
                    gch = read_bytes(node.address - self.gc_head, self.gc_head)
            else:
                k2 = self._int_by_analogy(o, node, fp) if tp is int else None
                if k2 is not None:
                    k, children = k2, []
                else:
                    k, children = self._read(o, node, fp, kids)
                    if tp is int:
                        self._int_template(k, fp)
                self._keep(k)
                if k.fp is not None:
                    known[node.address] = k
                else:
                    known.pop(node.address, None)
            kids.clear()
            node.type_address = k.type_address
            node.entry = k.entry
            node.complete = k.complete
            node.proxies = k.proxies
            node.is_container = k.container
            follow = node.depth < opts.depth
            for via, child in children:
                cid = id(child)
                node.edges.append((via, cid))
                if cid not in index:
                    if follow and len(objs) < opts.max_objects:
                        index[cid] = len(objs)
                        objs.append(child)
                        nodes.append(ObjectNode(cid, node.depth + 1, "", None, 0, {}))
                    elif follow:
                        skipped.add(cid)
            children.clear()
            knowns.append(k)
            gcs.append(gch)
            o = child = None
            i += 1
        del o, child

    def _explain(
        self,
        objs: list[object],
        nodes: list[ObjectNode],
        index: dict[int, int],
        knowns: list[_Known],
        raws: list[RawCount],
        counts: list[int],
        name_ids: Mapping[int, list[str]],
        after: Mapping[str, int],
        namespace: dict[str, object],
        frames: Sequence[FrameLocals],
        running: Sequence[tuple[int, types.CodeType]],
        no_heap: set[int],
        exclude: tuple[Collection[int], ...],
    ) -> list[dict[int | str, Holder]]:
        """Who holds each drawn object (as :func:`redpill.payload._explain_references`, and
        the frames that run a drawn function)."""
        holders: list[dict[int | str, Holder]] = [{} for _ in nodes]
        # (a name's or a local's holder is never changed once made: the same at each step)
        named = self.name_holders
        for k, node in enumerate(nodes):
            for nm in name_ids.get(node.address, ()):
                h = named.get(nm)
                if h is None:
                    h = Holder(name=nm)
                    self._put(named, nm, h)
                    self._lasting_holder(h)
                holders[k][nm] = h
        local_holders, local_keys = self.local_holders, self.local_keys
        for call, fn, loc in frames:
            for nm, o in loc:
                j = index.get(id(o))
                if j is not None:
                    hk = (call, nm, fn)
                    h = local_holders.get(hk)
                    if h is None:
                        h = Holder(name=nm, frame=call, function=fn)
                        self._put(local_holders, hk, h)
                        self._put(local_keys, hk, f"frame {call}: {nm}")
                        self._lasting_holder(h)
                    holders[j][local_keys[hk]] = h
        ns_slots: dict[int, int] = {}
        if id(namespace) in index:  # (its value slots are the names' references)
            for i in after.values():
                ns_slots[i] = ns_slots.get(i, 0) + 1
        for node in nodes:
            t = index.get(node.type_address)
            if t is not None and nodes[t].entry.get("kind") == "class" and is_heap_type(objs[t]):  # type: ignore[arg-type]
                node.edges.append(("ob_type", nodes[t].address))
        for node in nodes:
            for via, cid in node.edges:
                j = index.get(cid)
                if j is None:
                    continue
                if node.address == id(namespace) and via.startswith("[") and ns_slots.get(cid):
                    ns_slots[cid] -= 1
                    continue
                h = holders[j].get(node.address)
                if h is None:
                    holders[j][node.address] = Holder(
                        address=node.address, type_name=str(node.entry.get("type")), via=via
                    )
                else:
                    h.count += 1
                    if h.via and via and via not in h.via.split(", ")[:4]:
                        h.via = f"{h.via}, {via}"
        ns_address = id(namespace)
        strs = [node.address for node in nodes if node.entry.get("kind") == "str"]
        keys = set(strs).intersection(map(id, after)) if strs else ()
        for nm in [nm for nm in after if id(nm) in keys] if keys else ():
            j = index.get(id(nm))
            if j is not None and ns_address not in holders[j]:
                holders[j][ns_address] = Holder(
                    address=ns_address,
                    type_name="dict",
                    via=f"key {key_text(nm)} (the namespace)",
                )
        # a frame holds a reference to the function it runs (f_funcobj): for a drawn
        # function whose code is the frame's, while references are still unexplained
        if running:
            by_code: dict[int, list[int]] = {}
            for j, node in enumerate(nodes):
                if node.entry.get("kind") == "function":
                    code = types.FunctionType.__dict__["__code__"].__get__(objs[j])
                    by_code.setdefault(id(code), []).append(j)
                    del code
            for frame_id, code in running:
                js = by_code.get(id(code))
                if js is None or len(js) != 1:
                    continue
                j = js[0]
                if raws[j].immortal or sum(h.count for h in holders[j].values()) >= counts[j]:
                    continue
                holders[j][frame_id] = Holder(address=frame_id, type_name="frame", via="f_funcobj")
        need = [
            k
            for k, raw in enumerate(raws)
            if not raw.immortal
            and not raw.static_base
            and counts[k] <= MAX_HEAP_PASS_REFCOUNT
            and sum(h.count for h in holders[k].values()) < counts[k]
            and nodes[k].address not in no_heap
            and not (nodes[k].entry.get("int") or {}).get("small_int_cached")
        ]
        found_before, found = self.heap_found, {}
        search: list[tuple[int, object, dict[int | str, int]]] = []
        for k in need:
            explained = {key: h.count for key, h in holders[k].items()}
            why = (counts[k], sorted((str(key), n) for key, n in explained.items()))
            last = found_before.get(nodes[k].address)
            if last is not None and last[0] == why:
                holders[k].update(last[1])
                found[nodes[k].address] = last
            else:
                search.append((k, why, explained))
        if search:  # (the containers of ours are not holders)
            skip = {id(namespace)}
            for ids in exclude:
                skip.update(ids)
            heap_pass(
                objs,
                nodes,
                [k for k, _, _ in search],
                holders,
                index,
                namespace,
                skip,
                counts,
                None,
            )
            for k, why, explained in search:
                new = {
                    key: h
                    for key, h in holders[k].items()
                    if key not in explained or h.count != explained[key]
                }
                found[nodes[k].address] = (why, new)
        self.heap_found = found
        return holders

    def _versions_of_step(
        self,
        gcs: list[bytes],
        nodes: list[ObjectNode],
        knowns: list[_Known],
        raws: list[RawCount],
        heads: list[bytes],
        counts: list[int],
        holders: list[dict[int | str, Holder]],
        own: Mapping[int, int],
        ephemeral: Mapping[int, int],
        index: Mapping[int, int],
        notes: list[str],
    ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], set[str]]:
        """The step's references to stored versions (a new version where the state is
        new), and each object's entry as :func:`redpill.steps.freed_objects` reads it."""
        rec = self.rec
        opts = rec.opts
        refs: list[dict[str, Any]] = []
        entries: dict[str, dict[str, Any]] = {}
        reused_here: set[str] = set()
        positive = negative = False
        statics: list[str] = []
        births: dict[str, dict[str, object]] = {}
        declarations: dict[str, dict[str, object]] = {}
        for k, node in enumerate(nodes):
            kn = knowns[k]
            raw = raws[k]
            a = kn.entry["address"]
            ours = self.cost + own.get(node.address, 0)
            eph = ephemeral.get(node.address, 0)
            hl = list(holders[k].values())
            payload_holders = self._holders_of(hl[: opts.max_items])
            if len(hl) > opts.max_items:
                notes.append(
                    f"{a} ({kn.entry['type']}): {len(hl)} holders, "
                    f"the first {opts.max_items} listed"
                )
            listed = (
                tuple(hex(cid) if cid in index else None for _v, cid in node.edges[: len(kn.edges)])
                if kn.items
                else None
            )
            reuse = a in rec._freed
            if reuse:
                rec._freed.discard(a)
                reused_here.add(a)
            versions = rec._versions.setdefault(a, [])
            same = (
                not reuse
                and kn.fp is not None
                and kn.version >= 0
                and kn.version == len(versions) - 1
                and kn.listed == listed
            )
            if not same:
                e = self._entry(
                    kn,
                    raw,
                    counts[k],
                    heads[k],
                    gcs[k],
                    ours,
                    eph,
                    payload_holders,
                    listed,
                    births,
                    declarations,
                )
                made = reuse or not versions or versions[-1].key != (key := normal_entry(e))
                if made:
                    stored = dict(e)
                    stored["version"] = len(versions)
                    versions.append(Version(stored, None if reuse or not versions else key))
                    if self.census.on:
                        self.census.add(stored)
                    hs = stored.get("holders", ())  # (a list made once: sized once)
                    chars = self.holder_sizes.get(id(hs))
                    if chars is None:
                        chars = _holders_chars(hs)
                        if hs is payload_holders:
                            self._put(self.holder_sizes, id(hs), chars)
                    rec._size += _entry_chars(stored, chars)
                if kn.fp is not None:
                    self._stored_as(kn, len(versions) - 1, listed)
                    # (stored now: this step's header is the version's own; else the
                    # stored version's header may differ from this one)
                    kn.deltas = self._table()
                    if made:
                        self._put(kn.deltas, (heads[k], gcs[k], ours, eph), {})
            base = versions[-1].entry
            version = len(versions) - 1
            rc = counts[k]
            held = hl[0].count if len(hl) == 1 else sum(h.count for h in hl)
            # the same state, header and holders as the step before: the same reference
            sig = (version, heads[k], gcs[k], ours, eph, held, id(payload_holders))
            memo = self.refs.get(a)
            if memo is not None and memo[0] is kn and memo[1] == sig:
                ref, entry = memo[2], memo[3]
            else:
                ref = {"address": a, "version": version}
                ref["refcount"] = rc
                ref["refcount_raw"] = raw.raw
                if raw.local is not None:
                    ref["refcount_local"] = raw.local
                    ref["refcount_shared"] = raw.shared
                if not raw.immortal and "unexplained" not in opts.hide:
                    ref["unexplained"] = rc - held
                ref["holders"] = payload_holders if "holders" not in opts.hide else []
                ref.update(self._delta(kn, base, raw, heads[k], gcs[k], ours, eph))
                entry = {
                    "immortal": raw.immortal,
                    "refcount": rc,
                    "unexplained": ref.get("unexplained"),
                    "holders": payload_holders,
                    "small_int": bool((base.get("int") or {}).get("small_int_cached")),
                    **{
                        key: base[key]
                        for key in ("items", "items_total", "dict", "instance")
                        if key in base
                    },
                }
                self._put(self.refs, a, (kn, sig, ref, entry))
            unexplained = entry["unexplained"]
            if unexplained is not None:
                positive = positive or unexplained > 0
                negative = negative or unexplained < 0
            if raw.static_base:
                statics.append(a)
            if kn.notes:
                notes.extend(f"{a} ({kn.entry['type']}): {n}" for n in kn.notes)
            refs.append(ref)
            entries[a] = entry
        if births or declarations:
            self._tell_story(births, declarations)
        if statics:
            base_count = max(r.static_base for r in raws)
            notes.append(
                f"statically allocated (their ob_refcnt started at {base_count}, which is "
                "subtracted; not immortal before 3.12): " + ", ".join(statics)
            )
        if positive:
            notes.append(
                "unexplained references are held where the collector cannot look: code constants, "
                "interpreter caches, C code, untracked containers or running functions' locals"
            )
        if negative:
            notes.append(
                "a negative unexplained count: some holders keep borrowed references that the "
                "refcount does not include (CPython 3.14+)"
                if self.ctx.facts.borrowed_references
                else "a negative unexplained count: more holders were found than references "
                "(an object changed while it was read?)"
            )
        if raws and self.cost != 1:
            notes.append(
                f"calibration: a fresh object held by one list reads {self.cost}, not 1; "
                "refcounts may be off on this build"
            )
        return refs, entries, reused_here

    def _tell_story(
        self, births: dict[str, dict[str, object]], declarations: dict[str, dict[str, object]]
    ) -> None:
        """Add the C story's tables of this step's objects to the recorder's (each birth and
        declaration once: the same for every object that names it), counted by the census."""
        story = self.rec._c_story
        census = self.census
        if "c_source" not in story:
            source = source_block(self.ctx.facts.interp)
            if source is not None:
                story["c_source"] = source
                if census.on:
                    census.add(source)
        for key, new in (("births", births), ("declarations", declarations)):
            table = story.setdefault(key, {})
            for k, v in new.items():
                if k not in table:
                    table[k] = v
                    if census.on:
                        census.counts[id(k)] = census.counts.get(id(k), 0) + 1
                        census.add(v)

    def _entry(
        self,
        kn: _Known,
        raw: RawCount,
        count: int,
        head: bytes,
        gch: bytes,
        ours: int,
        eph: int,
        holders: list[dict[str, object]],
        listed: tuple[str | None, ...] | None,
        births: dict[str, dict[str, object]],
        declarations: dict[str, dict[str, object]],
    ) -> dict[str, Any]:
        """A complete entry for the state ``kn`` at this step (what the picture builder's
        assembly makes of one object)."""
        e = dict(kn.entry)
        # (the fields the header and the GC head are shown in are patched below: copies;
        # the others are the reading's, never changed in place)
        end = len(head)
        e["fields"] = [dict(f) if f["offset"] < end else f for f in e.get("fields", [])]
        if isinstance(e.get("memory"), dict):
            e["memory"] = dict(e["memory"])
        if listed is not None:
            e["items"] = list(listed)
        if kn.items_total is not None:
            e["items_total"] = kn.items_total
        e["refcount"] = count
        e["immortal"] = raw.immortal
        e["refcount_raw"] = raw.raw
        patch_refcount_fields(e, raw, ours, eph)
        patch_header_bytes(e, head)
        _patch_gc_head(e, gch)
        if raw.local is not None:
            e["refcount_local"] = raw.local
            e["refcount_shared"] = raw.shared
        e["holders"] = holders
        if not raw.immortal:
            e["unexplained"] = count - sum(int(h.get("count", 1)) for h in holders)  # type: ignore[call-overload]
        self._c_story(e, raw, births, declarations)
        hide = self.rec.opts.hide
        if hide:
            for key in hide:
                if key in HIDEABLE:
                    e.pop(key, None)
            if "fields" in e:
                e["fields"] = [f for f in e["fields"] if f.get("name") not in hide]
        e.pop("notes", None)  # (the reading's notes go into each step's notes)
        return e

    def _c_story(
        self,
        e: dict[str, Any],
        raw: RawCount,
        births: dict[str, dict[str, object]],
        declarations: dict[str, dict[str, object]],
    ) -> None:
        """:func:`redpill.payload.annotate_c_story` of ``e``: for an int, told once per
        shape (what it says of an int depends on its module, digits, cache and header
        alone)."""
        block = e.get("int")
        if e.get("kind") != "int" or not isinstance(block, dict):
            annotate_c_story(e, raw, False, self.ctx, births, declarations)
            return
        key = (
            e.get("type_module"),
            block.get("small_int_cached"),
            block.get("ndigits"),
            bool(raw.static_base),
            raw.immortal,
        )
        told = self.int_stories.get(key)
        if told is None:
            b: dict[str, dict[str, object]] = {}
            d: dict[str, dict[str, object]] = {}
            annotate_c_story(e, raw, False, self.ctx, b, d)
            said = {k: e[k] for k in ("birth", "allocation", "declaration") if k in e}
            told = (said, tuple(b.items()), tuple(d.items()))
            self._put(self.int_stories, key, told)
        said, b_items, d_items = told
        for k, v in said.items():
            e[k] = dict(v) if k == "allocation" else v  # type: ignore[call-overload]
        births.update(b_items)
        declarations.update(d_items)

    def _delta(
        self,
        kn: _Known,
        base: Mapping[str, Any],
        raw: RawCount,
        head: bytes,
        gch: bytes,
        ours: int,
        eph: int,
    ) -> dict[str, Any]:
        """What the step's header makes differ from the stored version (``memory`` and the
        changed ``fields``), as the picture-per-step recorder's references carry."""
        key = (head, gch, ours, eph)
        if kn.fp is not None and key in kn.deltas:
            return kn.deltas[key]
        e: dict[str, Any] = {"address": base["address"]}
        fields = kn.entry.get("fields")
        end = len(head)
        if isinstance(fields, list):  # (only the header's and the GC head's are patched)
            e["fields"] = [dict(f) if f["offset"] < end else f for f in fields]
        if isinstance(kn.entry.get("memory"), dict):
            e["memory"] = dict(kn.entry["memory"])
        patch_refcount_fields(e, raw, ours, eph)
        patch_header_bytes(e, head)
        _patch_gc_head(e, gch)
        out: dict[str, Any] = {}
        if "memory" in e and "memory" in base and e["memory"] != base.get("memory"):
            out["memory"] = e["memory"]
        if isinstance(e.get("fields"), list) and isinstance(base.get("fields"), list):
            hide = self.rec.opts.hide
            stored = {f.get("name"): f for f in base["fields"]}
            delta = []
            for f in e["fields"]:
                name = f.get("name")
                if name in hide:
                    continue
                b = stored.get(name)
                if b is f:
                    continue  # (the stored version's own field: unchanged)
                if b is None or b.get("value") != f.get("value") or b.get("note") != f.get("note"):
                    d = {"name": f["name"], "value": f["value"]}
                    if "note" in f:
                        d["note"] = f["note"]
                    delta.append(d)
            if delta:
                out["fields"] = delta
        if kn.fp is not None:
            self._put(kn.deltas, key, out)
        return out

    def _estimate(self, step: Mapping[str, Any]) -> int:
        """:func:`_estimate`, each of the step's parts made once (its names, references and
        frames: the dicts of earlier steps where the same) estimated once."""
        sizes = self.sizes
        steps = self.rec.steps
        # (a reference or frame of the step before, the same dict: sent as its index there)
        kept = (
            {id(x) for x in steps[-1]["objects"]}.union(map(id, steps[-1].get("frames", ())))
            if steps
            else set()
        )
        parts: list[tuple[object, Callable[[Any], int]]] = [(step["names"], _names_chars)]
        parts += [(ref, _ref_chars) for ref in step["objects"] if id(ref) not in kept]
        parts += [(f, _frame_chars) for f in step.get("frames", ()) if id(f) not in kept]
        for part, chars in parts:
            if id(part) not in sizes:
                self._put(sizes, id(part), chars(part))
        return _estimate(step, sizes, kept)

    def _table(self) -> dict[Any, Any]:
        """A new lasting table of the cell, whose entries are put by :meth:`_put`."""
        table: dict[Any, Any] = {}
        self.tables.append(table)
        if self.census.on:
            self.census.seen.add(id(table))
        return table

    def _put(self, table: dict[Any, Any], key: object, value: object) -> None:
        """``table[key] = value`` in a lasting table, counted by the census (a value
        replaced is kept, as counted)."""
        census = self.census
        if key in table:
            self.retired.append(table[key])
        elif census.on:
            census.count(key)
        table[key] = value
        if census.on:
            census.count(value)

    def _bindings_of(self, bindings: list[dict[str, object]]) -> list[dict[str, object]]:
        """``bindings`` made of the dicts of an earlier step where they are the same, and
        the same list where all are."""
        forms = self.binding_forms
        out = []
        for b in bindings:
            bk = tuple(b.items())
            form = forms.get(bk)
            if form is None:
                form = b
                self._put(forms, bk, form)
            out.append(form)
        return self._list_of(out)

    def _strs(self, strs: list[str]) -> list[Any]:
        """The list of an earlier step holding the same strs as ``strs``, else ``strs``."""
        key = tuple(strs)
        listed = self.str_lists.get(key)
        if listed is None:
            listed = strs
            self._put(self.str_lists, key, listed)
        return listed

    def _list_of(
        self,
        forms: list[dict[str, object]],
        table: dict[tuple[int, ...], list[dict[str, object]]] | None = None,
    ) -> list[dict[str, object]]:
        """The list of an earlier step holding the same dicts as ``forms``, else ``forms``
        (kept in ``table``: the lists of bindings unless told)."""
        table = self.binding_lists if table is None else table
        lk = tuple(map(id, forms))
        listed = table.get(lk)
        if listed is None:
            listed = forms
            self._put(table, lk, listed)
        return listed

    def _name_binding(self, name: str, address: int, rebound: bool) -> dict[str, object]:
        """A name's binding, the same dict as at an earlier step where it is the same."""
        bk = (name, address, rebound)
        form = self.binding_forms.get(bk)
        if form is None:
            form = {"name": name, "object": hex(address), "rebound": rebound}
            self._put(self.binding_forms, bk, form)
        return form

    def _frame_roots(
        self,
        frames: Sequence[FrameLocals],
        unnamed: Sequence[object],
        objs: list[object],
        nodes: list[ObjectNode],
        index: dict[int, int],
        opts: Any,
    ) -> tuple[dict[int, list[dict[str, object]]], dict[int, int]]:
        """:func:`redpill.payload.frame_roots`, each binding the same dict as at an earlier
        step where it is the same, and each frame's the same list."""
        out: dict[int, list[dict[str, object]]] = {}
        dropped: dict[int, int] = {}
        forms = self.binding_forms
        for call, _fn, local in frames:
            bindings: list[dict[str, object]] = []
            for name, o in local:
                a = id(o)
                if a not in index:
                    if len(objs) >= opts.max_objects:
                        dropped[call] = dropped.get(call, 0) + 1
                        continue
                    index[a] = len(objs)
                    objs.append(o)
                    nodes.append(ObjectNode(a, 0, "", None, 0, {}))
                bk = (name, a)
                form = forms.get(bk)
                if form is None:
                    form = {"name": name, "object": hex(a)}
                    self._put(forms, bk, form)
                bindings.append(form)
            prior = out.get(call)
            out[call] = self._list_of(bindings if prior is None else [*prior, *bindings])
        for o in unnamed:
            a = id(o)
            if a not in index and len(objs) < opts.max_objects:
                index[a] = len(objs)
                objs.append(o)
                nodes.append(ObjectNode(a, 0, "", None, 0, {}))
        o = None
        return out, dropped

    def _frames_of_step(
        self,
        head: Mapping[str, Any],
        frame_names: Mapping[int, list[dict[str, object]]],
        truncated: Mapping[int, int],
    ) -> dict[str, Any]:
        """:func:`redpill.steps.frames_of_step`, each frame the same dict as at an earlier
        step where it is the same (its bindings are lists of :meth:`_bindings_of`)."""
        out = dict(head)
        forms = self.frame_forms
        frames = []
        for h in head.get("frames", []):
            call = h["call"]
            names = frame_names.get(call)
            if names is None:
                names = self._bindings_of([])
            cut = truncated.get(call)
            fk = (tuple(h.items()), id(names), cut)
            f = forms.get(fk)
            if f is None:
                f = {**h, "names": names}
                if cut:
                    f["truncated"] = cut
                self._put(forms, fk, f)
            frames.append(f)
        out["frames"] = self._list_of(frames)
        return out

    def _lasting_holder(self, h: Holder) -> None:
        """Keep the payload form of a holder kept in our tables, and the list of it alone."""
        alone = self._holders_of([h])
        self._put(self.lasting_forms, id(h), alone[0])
        self._put(self.alone, id(h), alone)

    def _holders_of(self, hl: Sequence[Holder]) -> list[dict[str, object]]:
        """The payload form of the holders ``hl``: the same list as at an earlier step
        where they are the same."""
        forms, lasting = self.holder_forms, self.lasting_forms
        if len(hl) == 1:  # (a name's or a local's holder alone: its list made once)
            alone = self.alone.get(id(hl[0]))
            if alone is not None:
                return alone
        out = []
        for h in hl:
            form = lasting.get(id(h))  # (a name's or a local's holder: kept, never changed)
            if form is None:
                hk = (h.name, h.address, h.type_name, h.via, h.count, h.frame, h.function)
                form = forms.get(hk)
                if form is None:
                    form = h.as_payload()
                    self._put(forms, hk, form)
            out.append(form)
        return self._list_of(out, self.holder_lists)

    def _append(
        self,
        span: Span,
        head: Mapping[str, Any],
        after: dict[str, int],
        bindings: list[dict[str, object]],
        frame_bindings: dict[int, list[dict[str, object]]],
        frame_dropped: dict[int, int],
        dropped: int,
        skipped: set[int],
        refs: list[dict[str, Any]],
        entries: dict[str, dict[str, Any]],
        reused_here: set[str],
        notes: list[str],
    ) -> dict[str, Any]:
        """The step, with what was freed, made and changed since the previous one."""
        rec = self.rec
        prev = rec._prev_ids
        went = prev.keys() - after.keys() if prev.keys() != after.keys() else ()
        deleted = [
            n
            for n in (prev if went else ())
            if n in went
            and not is_bookkeeping(n)
            and not implicit_dunder(n)
            and n not in rec.hidden
            and n not in rec.hide_names
        ]
        # what binds the objects drawn before and not now (freed_objects asks only those)
        gone = {int(a, 16): a for a in rec._prev_entries if a not in entries}
        bound: dict[str, list[str]] = {}
        if gone:
            if not gone.keys().isdisjoint(after.values()):
                for n, i in [(n, i) for n, i in after.items() if i in gone]:
                    bound.setdefault(gone[i], []).append(n)
            for call, bs in frame_bindings.items():
                for b in bs:
                    bound.setdefault(str(b["object"]), []).append(f"frame {call}: {b['name']}")
        freed = freed_objects(rec._prev_entries, entries, bound)
        new: list[str] = []
        reused: list[str] = []
        changes: list[dict[str, Any]] = []
        for ref in refs:
            a = ref["address"]
            reuse = a in reused_here
            if reuse:
                reused.append(a)
            if a not in rec._seen or reuse:
                new.append(a)
            rec._seen.add(a)
            p = rec._prev_entries.get(a)
            e = entries[a]
            if (
                p is not None
                and not reuse
                and p.get("refcount") != e["refcount"]
                and not e["immortal"]
                and not e["small_int"]
            ):
                changes.append({"address": a, "before": p["refcount"], "after": e["refcount"]})
        rec._freed.update(freed)
        lines = self.lines.get((span.first, span.last))  # (one list per span, made once)
        if lines is None:
            lines = [span.first, span.last]
            self._put(self.lines, (span.first, span.last), lines)
        step: dict[str, Any] = {"lines": lines}
        if span.start is not None and span.end is not None:
            step["columns"] = [span.start, span.end]
        step["names"] = bindings
        # (a list of addresses or names the same as at an earlier step is that step's)
        step["deleted"] = self._strs(deleted)
        step["objects"] = refs
        step["new"] = self._strs(new)
        step["freed"] = self._strs(freed)
        if reused:
            step["reused"] = reused
        step["refcount_changes"] = changes if changes else self._strs([])
        if notes:
            step["notes"] = notes
        trunc: dict[str, int] = {}
        if dropped:
            trunc["names"] = dropped
        if skipped:
            trunc["objects"] = len(skipped)
        if trunc:
            step["truncated"] = trunc
        step.update(self._frames_of_step(head, frame_bindings, frame_dropped))
        rec._size += self._estimate(step)
        rec.steps.append(step)
        if self.census.on:
            self.census.add(step)
        rec._prev_ids = after
        rec._prev_entries = entries
        if rec.over_budget():
            rec._full = True
            rec.notes.append(
                f"the steps reached the size budget ({STEPS_BUDGET} characters) after step "
                f"{len(rec.steps)}; later statements ran without snapshots"
            )
        return step


def _roots(
    namespace: dict[str, object],
    names: Sequence[str],
    rebound: Collection[str],
    opts: Any,
    form: Callable[[str, int, bool], dict[str, object]],
) -> tuple[list[object], list[ObjectNode], dict[int, int], list[dict[str, object]], int]:
    """:func:`redpill.payload.find_roots` for a namespace whose keys are all exact strs
    (a lookup then compares strs only, and runs no code of the user's): the named objects,
    each once, with their bindings (made by ``form``) and how many names the caps left
    out."""
    objs: list[object] = []
    nodes: list[ObjectNode] = []
    index: dict[int, int] = {}
    bindings: list[dict[str, object]] = []
    dropped = 0
    get = dict.get
    missing = _MISSING
    for name in names:
        o = get(namespace, name, missing)
        if o is missing:
            continue
        if len(bindings) >= MAX_NAMES:
            dropped += 1
            continue
        a = id(o)
        if a not in index:
            if len(objs) >= opts.max_objects:
                dropped += 1
                continue
            index[a] = len(objs)
            objs.append(o)
            nodes.append(ObjectNode(a, 0, "", None, 0, {}))
        bindings.append(form(name, a, name in rebound))
    o = None
    return objs, nodes, index, bindings, dropped


_MISSING = object()


def _patch_gc_head(e: dict[str, Any], gch: bytes) -> None:
    """Show an object's GC links as they are at this step (``gch``: the GC head's bytes;
    empty: as read)."""
    if not gch:
        return
    half = len(gch) // 2
    values = {
        "_gc_next": hex(int.from_bytes(gch[:half], "little")),
        "_gc_prev": hex(int.from_bytes(gch[half:], "little")),
    }
    for f in e.get("fields", ()):
        if f.get("name") in values:
            f["value"] = values[f["name"]]


def _entry_chars(e: Mapping[str, Any], holders: int | None = None) -> int:
    """About how many characters of JSON a stored version makes, a little more rather
    than less (measured on ints, strs, lists, dicts, functions and instances);
    ``holders``: what its holders make, when known."""
    n = 330 + len(str(e.get("repr", ""))) + 110 * len(e.get("fields", ()))
    memory = e.get("memory")
    if isinstance(memory, dict):
        n += len(str(memory.get("hex", ""))) + 90
    n += 18 * len(e.get("items", ()))
    n += _holders_chars(e.get("holders", ())) if holders is None else holders
    for key in _BLOCKS.intersection(e):
        block = e[key]
        if block is not None:
            n += 60 + len(str(block))
    return n


def _estimate(
    step: Mapping[str, Any],
    sizes: Mapping[int, int] | None = None,
    kept: Collection[int] = (),
) -> int:
    """About how many characters of JSON a step's own keys make, a little more rather than
    less (its objects are stored versions, counted exactly when stored); ``sizes``: the
    characters of its parts already estimated, by id; ``kept``: the ids of its references
    and frames that are sent as an index into the step before (``redpill.compact``)."""
    sizes = sizes or {}
    names = step["names"]
    n = 200 + (sizes.get(id(names)) or _names_chars(names))
    for ref in step["objects"]:
        n += _INDEX_CHARS if id(ref) in kept else sizes.get(id(ref)) or _ref_chars(ref)
    for f in step.get("frames", ()):
        n += _INDEX_CHARS if id(f) in kept else sizes.get(id(f)) or _frame_chars(f)
    n += 2 * len(step.get("stdout", ""))
    n += sum(len(x) + 4 for x in step.get("notes", ()))
    n += 20 * (len(step["new"]) + len(step["freed"]) + len(step.get("reused", ())))
    n += 80 * len(step["refcount_changes"])
    return n


def _holders_chars(holders: Sequence[Mapping[str, Any]]) -> int:
    """About how many characters a stored version's holders make (see :func:`_entry_chars`)."""
    return sum(_HOLDER_CHARS + len(str(h.get("name", ""))) for h in holders)


def _names_chars(bindings: Sequence[Mapping[str, Any]]) -> int:
    """About how many characters a step's bindings of names make (see :func:`_estimate`)."""
    return sum(len(str(b["name"])) + _BINDING_CHARS for b in bindings)


def _ref_chars(ref: Mapping[str, Any]) -> int:
    """About how many characters a step's reference to an object makes."""
    n = _REF_CHARS
    for h in ref.get("holders", ()):
        n += _HOLDER_CHARS + len(str(h.get("name", ""))) + len(str(h.get("function", "")))
    if "memory" in ref:
        n += len(str(ref["memory"].get("hex", ""))) + 90
    return n + 90 * len(ref.get("fields", ()))


def _frame_chars(f: Mapping[str, Any]) -> int:
    """About how many characters one frame of a step makes."""
    return 80 + len(f["function"]) + sum(len(str(b["name"])) + 45 for b in f["names"])


def _ids(namespace: dict[str, object]) -> dict[str, int]:
    """``{name: id(obj)}`` of a namespace's exact-``str`` keys (read again while another
    thread resizes it)."""
    for _ in range(NAMESPACE_RETRIES):
        try:
            return {k: id(v) for k, v in dict.items(namespace) if type(k) is str}
        except RuntimeError:
            continue
    return {k: id(v) for k, v in dict.items(dict.copy(namespace)) if type(k) is str}


#: Every type the census looks into: containers and our own records.
_WALK = frozenset(
    {dict, list, tuple, set, frozenset, Binder, RawCount, CellNames}
    | {_Known, ObjectNode, Holder, Version, StaticBindings}
)


def _parts(x: Any, tx: type) -> Any:
    """What one of our records (or a set) of type ``tx`` refers to."""
    if tx is set or tx is frozenset:
        return x
    if id(tx) in _OURS:
        return [getattr(x, f) for f in tx.__dataclass_fields__]  # type: ignore[attr-defined]
    if tx is Binder:
        return list(dict.values(vars(x)))
    if tx is RawCount:
        return tuple(x)
    return (x.names, x.rebound, x.deleted)  # CellNames


#: A holder's fields (what the census counts of one).
_HOLDER_FIELDS = tuple(Holder.__dataclass_fields__)
#: Our own classes whose instances the walk of the step's bookkeeping looks into.
_OURS = frozenset(map(id, (_Known, ObjectNode, Holder, Version, StaticBindings)))

__all__ = ["LeanSteps"]
