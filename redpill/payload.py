"""Build the ``application/vnd.redpill.v1+json`` payload.

The one rule that makes the refcounts true: while raw counts are read, the
collector holds exactly one reference to every drawn object (its slot in the
``objs`` list) and nothing else.  Everything that touches objects runs in helper
functions whose frames are gone before the counts are read; readers hand back
children as temporary references that are consumed immediately.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .births import annotate as annotate_birth
from .births import literal_key, source_block
from .declarations import annotate as annotate_declaration
from .interp import CURRENT, unsupported_reason
from .kinds import Ctx, is_heap_type, read_object, small_int_range, type_name
from .kinds.context import JSON_INT_MAX, Reading, TypeFacts
from .memory import read_bytes
from .names import NAMESPACE_RETRIES, ids_by_object
from .options import Options
from .refs import (
    Holder,
    RawCount,
    calibrate,
    decode_refcount,
    find_holders,
    interned_dict_suspect,
    named_containers,
    own_references,
)
from .strkeys import str_values
from .transient import CONSTANT_TYPES, syntax_tree_refs

MIME = "application/vnd.redpill.v1+json"

#: Objects with more references than this are not looked up on the heap (None, True,
#: small ints on 3.11 ...): their holders would be thousands of unrelated containers.
MAX_HEAP_PASS_REFCOUNT = 1000
SCHEMA_VERSION = 1
#: Most names drawn in one picture (the payload says how many more were left out).
MAX_NAMES = 500

#: Object keys that ``--hide`` may remove (the schema's required keys stay).
HIDEABLE = frozenset(
    {
        "fields",
        "memory",
        "holders",
        "repr",
        "size",
        "gc_tracked",
        "items",
        "summary",
        "type_module",
        "type_address",
        "refcount_raw",
        "unexplained",
        "int",
        "float",
        "str",
        "bytes",
        "buffer",
        "list",
        "dict",
        "instance",
        "birth",
        "allocation",
        "declaration",
    }
)


@dataclass(slots=True)
class ObjectNode:
    """What the builder keeps about one drawn object (no object references)."""

    address: int
    depth: int
    type_name: str
    type_module: str | None
    type_address: int
    entry: dict[str, object]
    edges: list[tuple[str, int]] = field(default_factory=list)  # (via, child address)
    complete: bool = True
    is_container: bool = False
    proxies: list[int] = field(default_factory=list)


def interpreter_payload() -> dict[str, object]:
    """The payload's ``interpreter`` block, with the small-int range probed on this
    interpreter."""
    out = CURRENT.as_payload()
    if unsupported_reason(CURRENT) is None:
        lo, hi = small_int_range()
        out["small_int_range"] = [lo, hi]
    return out


def empty_payload(note: str | None = None, error: str | None = None) -> dict[str, object]:
    """A payload with no objects, saying why in ``note`` (and the cell's ``error``, if any)."""
    p: dict[str, object] = {
        "schema_version": SCHEMA_VERSION,
        "interpreter": CURRENT.as_payload(),
        "names": [],
        "deleted": [],
        "objects": [],
    }
    if note:
        p["notes"] = [note]
    if error:
        p["error"] = error
    return p


def object_entry(o: object, address: int, r: Reading, tf: TypeFacts) -> dict[str, Any]:
    """The payload entry of ``o`` at ``address`` from its reading ``r`` and its type's facts
    (the count and holders are filled in later)."""
    entry: dict[str, Any] = {
        "address": hex(address),
        "type": tf.name,
        "refcount": 0,
        "immortal": False,
        "kind": r.kind,
    }
    if tf.module:
        entry["type_module"] = tf.module
    entry["type_address"] = tf.address
    if r.size is not None:
        entry["size"] = r.size
    entry["gc_tracked"] = gc.is_tracked(o)
    if r.repr is not None:
        entry["repr"] = r.repr
    entry["fields"] = r.fields
    if r.memory is not None:
        entry["memory"] = r.memory
    for key, block in r.blocks.items():
        entry[key] = block
    return entry


def _read_objects(
    objs: list[object],
    nodes: list[ObjectNode],
    index: dict[int, int],
    ctx: Ctx,
    skipped: set[int],
) -> None:
    """Read every object of ``objs``, appending followable children as it goes (breadth
    first, within depth and caps).  Its locals (the loop counter, the last object and
    child read) end with it, before the counts are read."""
    i = 0
    while i < len(objs):
        o = objs[i]
        node = nodes[i]
        r = read_object(o, ctx)
        tp = type(o)
        tf = ctx.type_facts(tp)
        node.type_address = id(tp)
        entry = object_entry(o, node.address, r, tf)
        if r.notes:
            entry["notes"] = r.notes
        node.entry = entry
        node.complete = r.children_complete
        node.proxies = list(r.proxies)
        node.is_container = bool(r.children) or r.items_total is not None
        items: list[str | None] = []
        follow = node.depth < ctx.opts.depth
        for via, child in r.children:
            cid = id(child)
            node.edges.append((via, cid))
            if cid not in index:
                if follow and len(objs) < ctx.opts.max_objects:
                    index[cid] = len(objs)
                    objs.append(child)
                    nodes.append(ObjectNode(cid, node.depth + 1, "", None, 0, {}))
                elif follow:
                    skipped.add(cid)
            if r.children_are_items:
                items.append(hex(cid) if cid in index else None)
        if r.children_are_items:
            entry["items"] = items
        if r.items_total is not None:
            entry["items_total"] = r.items_total
        r.children.clear()
        i += 1


def find_roots(
    namespace: Mapping[str, object],
    names: Sequence[str],
    rebound: set[str] | frozenset[str],
    opts: Options,
    literals: Mapping[str, str] | None = None,
    literal_addresses: set[int] | None = None,
) -> tuple[list[object], list[ObjectNode], dict[int, int], list[dict[str, object]], int]:
    """The named objects, each once, for the ``names`` the namespace holds (its frame,
    and its loop variables, end here).  The namespace is read by one walk over it,
    never by a lookup: a key of the user's whose hash equals a name would run its
    ``__eq__``."""
    objs: list[object] = []
    nodes: list[ObjectNode] = []
    index: dict[int, int] = {}
    bindings: list[dict[str, object]] = []
    dropped = 0
    bound = _named_values(namespace, names)
    for name in names:
        if name not in bound:
            continue
        if len(bindings) >= MAX_NAMES:
            dropped += 1
            continue
        o = bound[name]
        a = id(o)
        if a not in index:
            if len(objs) >= opts.max_objects:
                dropped += 1
                continue
            index[a] = len(objs)
            objs.append(o)
            nodes.append(ObjectNode(a, 0, "", None, 0, {}))
        bindings.append({"name": name, "object": hex(a), "rebound": name in rebound})
        if literals and literal_addresses is not None and name in literals:
            if literal_key(o) == literals[name]:
                literal_addresses.add(a)
    bound.clear()
    return objs, nodes, index, bindings, dropped


def _named_values(namespace: Mapping[str, object], names: Sequence[str]) -> dict[str, object]:
    """``{name: object}`` for the ``names`` that ``namespace`` binds (one walk, no lookup;
    read again while another thread resizes it)."""
    wanted = frozenset(names)
    for _ in range(NAMESPACE_RETRIES):
        try:
            if isinstance(namespace, dict):
                return str_values(namespace, wanted)
            return {k: v for k, v in namespace.items() if type(k) is str and k in wanted}
        except RuntimeError:
            continue
    return str_values(dict.copy(namespace), wanted) if isinstance(namespace, dict) else {}


def _namespace_ids(
    namespace: Mapping[str, object], notes: list[str] | None = None
) -> dict[int, list[str]]:
    by_id, note = ids_by_object(namespace)  # retries while another thread changes it
    if note and notes is not None:
        notes.append(note)
    return by_id


def build_payload(
    namespace: Mapping[str, object],
    names: Sequence[str],
    opts: Options | None = None,
    *,
    deleted: Sequence[str] = (),
    rebound: set[str] | frozenset[str] = frozenset(),
    error: str | None = None,
    notes: Sequence[str] = (),
    holder_names: Mapping[str, object] | None = None,
    own_namespace: bool = False,
    extra_exclude: set[int] | frozenset[int] = frozenset(),
    transient: Mapping[int, int] | None = None,
    syntax_trees: bool = False,
    held: Sequence[object] = (),
    counted: Mapping[int, int] | None = None,
    frames: Sequence[FrameLocals] = (),
    unnamed: Sequence[object] = (),
    own_refs: Mapping[int, int] | None = None,
    literals: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """The v1 payload for ``names`` (in order) looked up in ``namespace``.

    Four stages, each a function of its own: find the roots (the named objects),
    read each object (breadth first, within the depth and caps), count the
    references (while the collector holds exactly one per object), explain them
    (holders: names, drawn containers, then the heap), and assemble the payload.

    ``holder_names`` is the namespace whose names count as holders (default: the
    same); its dict is not reported as a container holder.  With
    ``own_namespace`` the ``namespace`` mapping belongs to the collector (the API
    puts the objects it is given there): its references are subtracted too.
    ``transient`` maps addresses to references that only the running cell holds
    (its syntax tree, see :mod:`redpill.transient`): they are subtracted.  With
    ``syntax_trees`` a count still unexplained after the heap pass is checked
    for references from live ``ast.Constant`` nodes (one more heap pass), which
    are subtracted as well (the API runs inside the cell that bound the object).
    ``held`` is the caller's own bookkeeping (id snapshots, name lists): the
    strings and ints in it, like those in the collector's, may be drawn objects
    themselves (interned names, small ints), and their references are subtracted.
    ``counted`` maps addresses to reference counts the caller read before the
    collector's frames took references of their own (the API's caller's global
    namespace, which every frame of the collector holds): a drawn object among them
    gets that count.  The caller must hold no other references to the objects than
    the program does.

    ``frames`` (``--steps``): the local variables of the active calls, drawn like
    names (each local is a holder ``frame N: name``); their bindings come back as
    ``frame_names`` (call number -> bindings) and the locals ``--max-objects`` left
    out as ``frame_truncated`` (call number -> count), which the caller removes.  ``unnamed``
    objects are drawn without a name (a return value), never looked up on the heap.
    ``own_refs`` maps addresses to references the caller's structures hold (the
    frames' locals it listed, a locals snapshot the interpreter keeps for tracing):
    they are subtracted.

    ``literals`` maps names that the cell bound once, to a literal, to that literal's
    key (:func:`redpill.births.literal_key`): an object that is still that value is
    said to be made when the cell was compiled.
    """
    opts = opts or Options()
    reason = unsupported_reason(CURRENT)
    if reason:
        return empty_payload(reason, error)
    ctx = Ctx(opts)
    out_notes = list(notes)
    holder_ns = namespace if holder_names is None else holder_names
    # 1. the roots: the names drawn, each once, in order, and the objects they hold
    seen: set[str] = set()
    drawn_names = [n for n in names if not (n in seen or seen.add(n))]
    literal_addresses: set[int] = set()
    objs, nodes, index, bindings, dropped_names = find_roots(
        namespace, drawn_names, rebound, opts, literals, literal_addresses
    )
    frame_bindings, frame_dropped = (
        frame_roots(frames, unnamed, objs, nodes, index, opts) if frames or unnamed else ({}, {})
    )
    no_heap = {id(o) for o in unnamed}
    # 2. read each object (and the children it leads to)
    skipped: set[int] = set()
    _read_objects(objs, nodes, index, ctx, skipped)
    name_ids = _namespace_ids(holder_ns, out_notes)
    # 3. the collector now holds exactly one reference per object: count them
    bookkeeping = (names, drawn_names, seen, bindings, name_ids, deleted, rebound)
    bookkeeping += (notes, out_notes, held)
    counted_refs = _count_references(
        nodes,
        index,
        ctx,
        (dropped_names,),
        bookkeeping,
        namespace if own_namespace else None,
        transient,
        counted,
        own_refs,
        # (only for the program's own dict of names: where a holder may keep a borrowed
        # reference, or another mapping may make its values up, the counts prove nothing)
        _known_holders(name_ids, frames)
        if type(holder_ns) is dict
        and holder_names is None
        and not own_namespace
        and not ctx.facts.borrowed_references
        else None,
    )
    del bookkeeping
    # 4. explain the counts: who holds the references
    holders = _explain_references(
        objs,
        nodes,
        index,
        counted_refs,
        name_ids,
        holder_ns,
        {id(namespace), *extra_exclude},
        syntax_trees,
        out_notes,
        frames,
        no_heap,
    )
    # 5. the payload
    payload = _assemble(
        nodes,
        counted_refs,
        holders,
        bindings,
        deleted,
        dropped_names,
        skipped,
        ctx,
        out_notes,
        error,
        literal_addresses,
    )
    if frames:
        payload["frame_names"] = frame_bindings
        if frame_dropped:
            payload["frame_truncated"] = frame_dropped
    return payload


#: One active call's locals for :func:`build_payload`: (call number, function, [(name, object)]).
FrameLocals = tuple[int, str, Sequence[tuple[str, object]]]


def frame_roots(
    frames: Sequence[FrameLocals],
    unnamed: Sequence[object],
    objs: list[object],
    nodes: list[ObjectNode],
    index: dict[int, int],
    opts: Options,
) -> tuple[dict[int, list[dict[str, object]]], dict[int, int]]:
    """The frames' local objects (and the unnamed ones) as more roots, each once; the
    bindings of each frame and the locals left out (the cap), by call number."""
    out: dict[int, list[dict[str, object]]] = {}
    dropped: dict[int, int] = {}
    for call, _fn, local in frames:
        bindings = out.setdefault(call, [])
        for name, o in local:
            a = id(o)
            if a not in index:
                if len(objs) >= opts.max_objects:
                    dropped[call] = dropped.get(call, 0) + 1
                    continue
                index[a] = len(objs)
                objs.append(o)
                nodes.append(ObjectNode(a, 0, "", None, 0, {}))
            bindings.append({"name": name, "object": hex(a)})
    for o in unnamed:
        a = id(o)
        if a not in index and len(objs) < opts.max_objects:
            index[a] = len(objs)
            objs.append(o)
            nodes.append(ObjectNode(a, 0, "", None, 0, {}))
    return out, dropped


@dataclass(slots=True)
class _Counts:
    """What the counting stage read (numbers only: no object references)."""

    raws: list[RawCount]
    #: the count of a fresh object held by one list (1 where the build is as expected)
    cost: int
    #: address -> references the collector's own bookkeeping (and the caller's) holds
    own: dict[int, int]
    #: address -> references only the running cell holds (its syntax tree)
    ephemeral: dict[int, int]
    #: the program's references, per node
    counts: list[int]
    #: ids of the collector's containers walked for its own references (not holders)
    walked: set[int]
    #: each object's header bytes, read with its count
    heads: list[bytes]


def _count_references(
    nodes: list[ObjectNode],
    index: dict[int, int],
    ctx: Ctx,
    numbers: tuple[object, ...],
    bookkeeping: tuple[object, ...],
    own_namespace: Mapping[str, object] | None,
    transient: Mapping[int, int] | None,
    counted: Mapping[int, int] | None,
    own_refs: Mapping[int, int] | None = None,
    known: Mapping[int, int] | None = None,
) -> _Counts:
    """Read every drawn object's raw count and take away what is not the program's:
    the collector's one reference, its own bookkeeping's (interned names and shared
    small ints it holds too), the syntax tree of the running cell, and the API's
    frames' references to the caller's namespace (``counted``).

    ``known`` maps addresses to references the program certainly holds (names, frame
    locals): an int whose count is all explained by them and by the subtractions
    above cannot be held by the bookkeeping too, so it is not looked for there (the
    walk over the bookkeeping costs more than the rest of a step)."""
    addresses = [n.address for n in nodes]
    ctx.forget_types()  # its cache refers to builtin types, which may be drawn themselves
    cost = calibrate()
    # one read of each header, first: the counts are decoded from the very bytes the
    # memory view then shows (decoding makes ints that could be drawn small ints)
    head = ctx.facts.header.sizeof
    heads = [read_bytes(a, head) for a in addresses]
    raws: list[RawCount] = [decode_refcount(h, ctx.facts) for h in heads]
    own: dict[int, int] = {}
    if own_namespace is not None:
        own = {a: len(ns) for a, ns in _namespace_ids(own_namespace).items()}
    if own_refs:
        for a in addresses:
            c = own_refs.get(a, 0)
            if c:
                own[a] = own.get(a, 0) + c
    # the collector's own bookkeeping (and the caller's) may hold drawn strs and ints
    # (interned names, shared small ints): those references are not the program's
    # (the caller's bookkeeping holds names and ids: walked for drawn strs only)
    shared = [
        (n.address, n.entry.get("kind") == "str")
        for n, raw in zip(nodes, raws, strict=True)
        if n.entry.get("kind") in ("str", "int")
        and not raw.immortal
        and not all_known(n, raw, cost, own, transient, counted, known)
    ]
    walked: set[int] = set()
    if shared:
        roots: tuple[object, ...] = (nodes, index, ctx.opts, (*numbers, cost))  # ints
        strs = any(is_str for _, is_str in shared)
        if strs:  # names
            roots += bookkeeping
        mine, walked = own_references(roots, [a for a, _ in shared], keys=strs)
        for a, c in mine.items():
            own[a] = own.get(a, 0) + c
        del roots, mine
    # references only the running cell holds (its syntax tree): not the program's
    ephemeral: dict[int, int] = {}
    if transient:
        for a in addresses:
            t = transient.get(a, 0)
            if t > 0:
                ephemeral[a] = t
    counts: list[int] = []
    for node, raw in zip(nodes, raws, strict=True):
        if raw.immortal:
            counts.append(raw.raw - raw.static_base)
            continue
        rc = raw.raw - cost - raw.static_base
        if own:
            rc -= own.get(node.address, 0)
        if ephemeral:
            rc -= ephemeral.get(node.address, 0)
        if counted and node.address in counted:
            mine = rc - counted[node.address]  # the collector's frames' references
            rc -= mine
            own[node.address] = own.get(node.address, 0) + mine
        counts.append(rc)
    return _Counts(raws, cost, own, ephemeral, counts, walked, heads)


def _known_holders(
    name_ids: Mapping[int, Sequence[str]], frames: Sequence[FrameLocals]
) -> dict[int, int]:
    """References the program certainly holds, by address: one per name binding the
    object and one per frame local (a frame's slot or its cell)."""
    out = {a: len(names) for a, names in name_ids.items()}
    for _call, _fn, local in frames:
        for _nm, o in local:
            a = id(o)
            out[a] = out.get(a, 0) + 1
    return out


def all_known(
    node: ObjectNode,
    raw: RawCount,
    cost: int,
    own: Mapping[int, int],
    transient: Mapping[int, int] | None,
    counted: Mapping[int, int] | None,
    known: Mapping[int, int] | None,
) -> bool:
    """Whether an int's raw count is exactly what the program's known holders and the
    references already subtracted make (then the collector's bookkeeping holds none of
    it: each of those is a reference of its own, and the bookkeeping's would add to
    them)."""
    if known is None or counted or node.entry.get("kind") != "int":
        return False
    held = known.get(node.address, 0)
    if held <= 0:
        return False
    rest = raw.raw - cost - raw.static_base - own.get(node.address, 0)
    if transient:
        rest -= transient.get(node.address, 0)
    return rest == held


def _explain_references(
    objs: list[object],
    nodes: list[ObjectNode],
    index: dict[int, int],
    c: _Counts,
    name_ids: Mapping[int, list[str]],
    holder_ns: Mapping[str, object],
    exclude: set[int],
    syntax_trees: bool,
    out_notes: list[str],
    frames: Sequence[FrameLocals] = (),
    no_heap: Collection[int] = (),
) -> list[dict[int | str, Holder]]:
    """Who holds each drawn object: the names, the drawn containers (their slots, and
    every object's reference to its heap type), the namespace's keys, then (for
    counts still unexplained) the heap, and the running cell's syntax trees."""
    holders: list[dict[int | str, Holder]] = [{} for _ in nodes]
    for k, node in enumerate(nodes):
        for nm in name_ids.get(node.address, ()):
            holders[k][nm] = Holder(name=nm)
    for call, fn, local in frames:  # a frame's local variable holds one reference
        for nm, o in local:
            j = index.get(id(o))
            if j is not None:
                holders[j][f"frame {call}: {nm}"] = Holder(name=nm, frame=call, function=fn)
    # a drawn namespace dict's value slots are the very references its names stand for
    ns_slots = {a: len(v) for a, v in name_ids.items()} if id(holder_ns) in index else {}
    for node in nodes:  # every object holds a reference to its heap type (ob_type)
        t = index.get(node.type_address)
        if t is not None and nodes[t].entry.get("kind") == "class" and is_heap_type(objs[t]):  # type: ignore[arg-type]
            node.edges.append(("ob_type", nodes[t].address))
    for node in nodes:
        for via, cid in node.edges:
            j = index.get(cid)
            if j is None:
                continue
            if node.address == id(holder_ns) and via.startswith("[") and ns_slots.get(cid):
                ns_slots[cid] -= 1  # counted once, as the name
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
    # a drawn str that is a name of the namespace: the namespace dict holds it as a key
    ns_address = id(holder_ns)
    for names_of_object in name_ids.values():
        for nm in names_of_object:
            j = index.get(id(nm))
            if j is not None and ns_address not in holders[j]:
                holders[j][ns_address] = Holder(
                    address=ns_address, type_name="dict", via=f"key {_key_text(nm)} (the namespace)"
                )
    counts = c.counts
    need = [
        k
        for k, raw in enumerate(c.raws)
        if not raw.immortal
        and not raw.static_base
        and counts[k] <= MAX_HEAP_PASS_REFCOUNT
        and _found(holders[k]) < counts[k]
        and nodes[k].address not in no_heap
    ]
    if need:
        heap_pass(
            objs,
            nodes,
            need,
            holders,
            index,
            holder_ns,
            {*exclude, *c.walked},
            counts,
            out_notes,
        )
        if syntax_trees:
            _syntax_tree_pass(nodes, c.raws, need, holders, counts, c.ephemeral)
    return holders


def _assemble(
    nodes: list[ObjectNode],
    c: _Counts,
    holders: list[dict[int | str, Holder]],
    bindings: list[dict[str, object]],
    deleted: Sequence[str],
    dropped_names: int,
    skipped: set[int],
    ctx: Ctx,
    out_notes: list[str],
    error: str | None,
    literal_addresses: set[int] | frozenset[int] = frozenset(),
) -> dict[str, object]:
    """The payload: each object's entry completed with its counts and holders (and
    what ``--hide`` leaves out), the notes the counts call for, the caps."""
    opts = ctx.opts
    raws, counts, own, ephemeral, cost = c.raws, c.counts, c.own, c.ephemeral, c.cost
    # ---- entries
    objects: list[dict[str, object]] = []
    statics: list[str] = []
    deferred: list[str] = []
    positive = negative = False
    hide = opts.hide
    births: dict[str, dict[str, object]] = {}
    declarations: dict[str, dict[str, object]] = {}
    for k, (node, raw) in enumerate(zip(nodes, raws, strict=True)):
        e = node.entry
        e["refcount"] = counts[k]
        e["immortal"] = raw.immortal
        e["refcount_raw"] = raw.raw
        patch_refcount_fields(
            e,
            raw,
            cost + own.get(node.address, 0) if own else cost,
            ephemeral.get(node.address, 0) if ephemeral else 0,
        )
        patch_header_bytes(e, c.heads[k])
        if raw.local is not None:
            e["refcount_local"] = raw.local
            e["refcount_shared"] = raw.shared
            if raw.deferred and not raw.immortal:
                deferred.append(str(e["address"]))
        hl = list(holders[k].values())
        e["holders"] = [h.as_payload() for h in hl[: opts.max_items]]
        if len(hl) > opts.max_items:
            out_notes.append(
                f"{e['address']} ({e['type']}): {len(hl)} holders, "
                f"the first {opts.max_items} listed"
            )
        if not raw.immortal:
            unexplained = e["unexplained"] = counts[k] - _found(holders[k])
            if "unexplained" not in hide:  # (a hidden count gets no note either)
                positive = positive or unexplained > 0
                negative = negative or unexplained < 0
        if raw.static_base:
            statics.append(str(e["address"]))
        annotate_c_story(e, raw, node.address in literal_addresses, ctx, births, declarations)
        if hide:
            for key in hide:
                if key in HIDEABLE:
                    e.pop(key, None)
            if "fields" in e:
                e["fields"] = [f for f in e["fields"] if f.get("name") not in hide]  # type: ignore[union-attr,attr-defined]
        note_list = e.pop("notes", None)
        if note_list:
            out_notes.extend(f"{e['address']} ({e['type']}): {n}" for n in note_list)  # type: ignore[union-attr]
        objects.append(e)
    if statics:
        base = max(r.static_base for r in raws)
        out_notes.append(
            f"statically allocated (their ob_refcnt started at {base}, which is subtracted; "
            "not immortal before 3.12): " + ", ".join(statics)
        )
    if positive:
        out_notes.append(
            "unexplained references are held where the collector cannot look: code constants, "
            "interpreter caches, C code, untracked containers or running functions' locals"
        )
    if negative:
        out_notes.append(
            "a negative unexplained count: some holders keep borrowed references that the "
            "refcount does not include (CPython 3.14+)"
            if ctx.facts.borrowed_references
            else "a negative unexplained count: more holders were found than references "
            "(an object changed while it was read?)"
        )
    if deferred:
        out_notes.append(
            "deferred reference counting (free-threaded build): the interpreter's own bias is "
            "removed, and references from running code may not be counted yet: "
            + ", ".join(deferred)
        )
    if raws and cost != 1:
        out_notes.append(
            f"calibration: a fresh object held by one list reads {cost}, not 1; "
            "refcounts may be off on this build"
        )
    payload: dict[str, object] = {
        "schema_version": SCHEMA_VERSION,
        "interpreter": interpreter_payload(),
        "names": bindings,
        "deleted": list(deleted),
        "objects": objects,
    }
    if births or declarations:
        source = source_block(ctx.facts.interp)
        if source is not None:
            payload["c_source"] = source
        if births:
            payload["births"] = births
        if declarations:
            payload["declarations"] = declarations
    trunc: dict[str, int] = {}
    if dropped_names:
        trunc["names"] = dropped_names
    if skipped:
        trunc["objects"] = len(skipped)
    if trunc:
        payload["truncated"] = trunc
    payload["options"] = opts.as_payload()
    payload["error"] = error
    if out_notes:
        payload["notes"] = out_notes
    return payload


def annotate_c_story(
    e: dict[str, object],
    raw: RawCount,
    literal: bool,
    ctx: Ctx,
    births: dict[str, dict[str, object]],
    declarations: dict[str, dict[str, object]],
) -> None:
    """Where the object came from in CPython's C code, where it lives, and its struct's
    declaration (each where it can be established)."""
    try:
        block = e.get("str")
        static = bool(raw.static_base) or (isinstance(block, dict) and block.get("interned") == 3)
        annotate_birth(e, static, raw.immortal, literal, ctx.facts, births)
        annotate_declaration(e, declarations, ctx.facts.interp)
    except Exception:  # a table gap never costs the picture
        for key in ("birth", "allocation", "declaration"):
            e.pop(key, None)


def _found(holders: Mapping[int | str, Holder]) -> int:
    """References the holders found account for."""
    if len(holders) == 1:
        for h in holders.values():
            return h.count
    return sum(h.count for h in holders.values())


def _syntax_tree_pass(
    nodes: list[ObjectNode],
    raws: list[RawCount],
    need: list[int],
    holders: list[dict[int | str, Holder]],
    counts: list[int],
    ephemeral: dict[int, int],
) -> None:
    """Subtract references from live syntax trees (the running cell's literals)."""
    still = {
        nodes[k].address: k
        for k in need
        if nodes[k].entry.get("type") in CONSTANT_TYPES
        and sum(h.count for h in holders[k].values()) < counts[k]
        and not raws[k].immortal
    }
    if not still:
        return
    found = syntax_tree_refs(set(still))
    for a, n in found.items():
        k = still[a]
        n = min(n, counts[k] - sum(h.count for h in holders[k].values()))
        if n > 0:
            counts[k] -= n
            ephemeral[a] = ephemeral.get(a, 0) + n


def heap_pass(
    objs: list[object],
    nodes: list[ObjectNode],
    need: list[int],
    holders: list[dict[int | str, Holder]],
    index: dict[int, int],
    holder_ns: Mapping[str, object],
    extra_exclude: set[int] | frozenset[int],
    counts: Sequence[int] = (),
    notes: list[str] | None = None,
) -> None:
    """At most two gc.get_referrers passes for the objects whose count is not yet
    explained (refs.find_holders).  Holders whose references could not be read
    safely (a CPython bug) are reported in ``notes``."""
    targets = [objs[k] for k in need]
    exclude = {id(objs), id(targets), id(holder_ns), *extra_exclude}
    # the holders found so far are the collector's own (keyed by names: a drawn str)
    exclude.add(id(holders))
    for found_so_far in holders:
        exclude.add(id(found_so_far))
        exclude.update(id(h) for h in found_so_far.values())
    # containers drawn with all their items enumerated are already counted
    for node in nodes:
        if node.is_container and node.complete:
            exclude.add(node.address)
            exclude.update(node.proxies)
    missing = {
        nodes[k].address: (counts[k] if counts else 1) - sum(h.count for h in holders[k].values())
        for k in need
    }
    unread: list[str] = []
    referrers = find_holders(
        targets, missing, exclude, _key_text, named_containers(holder_ns, targets), unread
    )
    if notes is not None:
        notes.extend(dict.fromkeys(unread))
    for r, found in referrers:
        ra = id(r)
        tname = type_name(type(r))
        for tid, vias in found.items():
            k = index[tid]
            if any(interned_dict_suspect(r, t) for t in targets if id(t) == tid):
                continue
            vias = [v for v in vias]
            h = holders[k].get(ra)
            if h is None:
                holders[k][ra] = Holder(
                    address=ra,
                    type_name=tname,
                    via=", ".join(v for v in vias[:4] if v) or None,
                    count=len(vias),
                )
            else:  # a drawn container whose items were capped: the full scan wins
                h.count = max(h.count, len(vias))
    referrers.clear()
    targets.clear()


def patch_header_bytes(e: dict[str, object], head: bytes) -> None:
    """Show the header as it was when the count was read, in its fields and its memory
    block alike (both were read earlier, while a reader held more references, and a
    free-threaded header's lock and GC bits may have changed since).  The pointers in a
    header (``ob_type``) do not change; its numbers do."""
    end = len(head)
    fields = e.get("fields")
    for f in fields if isinstance(fields, list) else ():  # sorted by offset
        off = f["offset"]
        if off < 0:
            continue  # the GC head, before the object
        size = f["size"]
        if off + size > end:
            break
        if type(f.get("value")) is int or f["name"] in _REFCOUNT_FIELDS:
            v = int.from_bytes(
                head[off : off + size], "little", signed=f["name"] in _SIGNED_HEADER_FIELDS
            )
            f["value"] = v if -JSON_INT_MAX < v < JSON_INT_MAX else str(v)
    memory = e.get("memory")
    if not isinstance(memory, dict) or memory.get("address") != e.get("address"):
        return
    shown = str(memory.get("hex", ""))
    n = min(end, len(shown) // 2)
    if n:
        memory["hex"] = head[:n].hex() + shown[2 * n :]


#: The header fields that hold the reference count (the default and free-threaded builds).
_REFCOUNT_FIELDS = frozenset({"ob_refcnt", "ob_ref_local", "ob_ref_shared"})
#: Header fields of a signed C type (Py_ssize_t); the others are unsigned.
_SIGNED_HEADER_FIELDS = frozenset({"ob_ref_shared"})


def patch_refcount_fields(
    e: dict[str, object], raw: RawCount, ours: int, ephemeral: int = 0
) -> None:
    """Show the header as it was when the count was read (not while a reader held more)."""
    fields = e.get("fields")
    if not isinstance(fields, list):
        return
    extra = (
        f" and {ephemeral} held by the running cell's syntax tree (not counted)"
        if ephemeral
        else ""
    )
    for f in fields:  # the header comes first (after the GC head): stop once it is done
        name = f.get("name")
        if name == "ob_refcnt":
            if not raw.immortal:
                f["note"] = (
                    f"includes redpill's own {ours} reference{'s' if ours != 1 else ''}{extra}"
                )
            break
        elif name == "ob_ref_local" and raw.local is not None:
            if not raw.immortal:
                f["note"] = (
                    f"includes redpill's own {ours} reference{'s' if ours != 1 else ''}{extra}"
                )
            break


def _key_text(k: object) -> str:
    from .kinds import key_text

    return key_text(k)


__all__ = ["MIME", "build_payload", "empty_payload", "interpreter_payload"]
