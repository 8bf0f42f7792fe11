"""References that only exist while a cell is running.

While IPython runs a cell it keeps the cell's syntax tree: every literal in the
cell (``1042`` in ``a = 1042``) is held by an ``ast.Constant`` node (whose
``__dict__`` is not tracked by the GC, so no heap pass sees it) until the
cell ends.  After the cell (where ``%%redpill`` normally looks) those
references are gone; in the middle of a cell (``%%redpill --steps``, or
``redpill.inspect(x)`` in the same cell as ``x = 1042``) they would make
``a = 1042; b = a`` read 3 instead of 2.  They are not the program's
references, so the collector subtracts them:

* :func:`ast_refs` counts the references a known syntax tree holds (``--steps``
  hands it the statements IPython is running: cheap, no heap pass);
* :func:`syntax_tree_refs` finds live ``ast.Constant`` nodes holding given
  objects in one pass over the GC heap (the API, which cannot see IPython's
  tree; only run when a count is otherwise unexplained).

Pure Python: no IPython import.
"""

from __future__ import annotations

import ast
import gc
from collections import Counter
from collections.abc import Iterable

from .strkeys import str_value

#: Types whose instances can be compile-time constants (held by syntax trees and code).
CONSTANT_TYPES: frozenset[str] = frozenset(
    {"int", "float", "complex", "str", "bytes", "tuple", "frozenset", "bool", "NoneType"}
)


def ast_refs(nodes: Iterable[ast.AST]) -> Counter[int]:
    """``{id(obj): n}``: references the syntax trees ``nodes`` hold to non-AST objects.

    Every field and attribute value of every node (constants, identifiers, line
    numbers) counts once per place it is stored; list fields count their items.
    Only ids are kept.
    """
    out: Counter[int] = Counter()
    todo: list[ast.AST] = [n for n in nodes if isinstance(n, ast.AST)]
    seen: set[int] = set()
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        try:
            attrs = vars(node)
        except TypeError:
            continue
        for value in dict.values(attrs):
            if isinstance(value, ast.AST):
                todo.append(value)
            elif type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        todo.append(item)
                    else:
                        out[id(item)] += 1
            else:
                out[id(value)] += 1
        del attrs
    return out


def syntax_tree_refs(target_ids: set[int]) -> Counter[int]:
    """References from live ``ast.Constant`` nodes to the objects ``target_ids`` (one heap pass).

    The nodes' own ``__dict__`` holds the value; the GC does not track such
    dicts, so :func:`gc.get_referrers` cannot see them.
    """
    out: Counter[int] = Counter()
    if not target_ids:
        return out
    constant = ast.Constant
    heap = gc.get_objects()
    try:
        for o in heap:
            if type(o) is constant:
                try:
                    attrs = vars(o)
                except TypeError:
                    continue
                v = str_value(attrs, "value") if type(attrs) is dict else None
                if id(v) in target_ids:
                    out[id(v)] += 1
                del v, attrs
    finally:
        heap.clear()
        del heap
    return out
