"""Which names a cell binds.

Two sources, merged:

* a static AST walk of the (IPython-transformed) cell source, which yields the
  module-scope bindings in order of first binding (assignments incl. unpacking,
  starred, annotated and augmented; ``for``; ``with ... as``; imports; ``def``,
  ``async def``, ``class``; walrus, also inside comprehensions; ``match``
  captures; ``type X = ...``; ``except ... as``; ``global`` declarations in
  nested functions, counted only if the namespace shows a change);
* a namespace diff by ids (``{name: id(obj)}`` before and after: no references
  to user objects are kept), which adds dynamic bindings (``globals()[...]``,
  ``exec``, ``from m import *``, line magics) and tells which names were deleted.

IPython's bookkeeping names are never reported.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from .births import literal_key

T = TypeVar("T")

#: IPython's own names in the user namespace (history, output cache, helpers).
BOOKKEEPING = frozenset(
    {
        "_",
        "__",
        "___",
        "_i",
        "_ii",
        "_iii",
        "_oh",
        "_dh",
        "_ih",
        "In",
        "Out",
        "exit",
        "quit",
        "get_ipython",
        "_exit_code",
        "__builtin__",
        "__builtins__",
    }
)
_BOOKKEEPING_RE = re.compile(r"_i?\d+")

#: IPython magics that run their argument as code in the user namespace
_CODE_MAGICS = frozenset({"time", "timeit", "capture", "prun"})


def implicit_dunder(name: str) -> bool:
    """``__annotations__`` and friends, created by the interpreter, not by the user's code
    (a dunder the cell binds explicitly is found by the static walk)."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def is_bookkeeping(name: str) -> bool:
    """Whether ``name`` is one of IPython's own (``_``, ``_i3``, ``Out`` ...): never drawn."""
    return name in BOOKKEEPING or _BOOKKEEPING_RE.fullmatch(name) is not None


#: how often a namespace that another thread keeps changing is read again
NAMESPACE_RETRIES = 5


def _items(namespace: Mapping[str, object]) -> Iterable[tuple[object, object]]:
    return dict.items(namespace) if isinstance(namespace, dict) else namespace.items()


def _id_map(namespace: Mapping[str, object]) -> dict[str, int]:
    return {k: id(v) for k, v in _items(namespace) if type(k) is str}


def _by_object(namespace: Mapping[str, object]) -> dict[int, list[str]]:
    by_id: dict[int, list[str]] = {}
    for k, v in _items(namespace):
        if type(k) is str:
            by_id.setdefault(id(v), []).append(k)
    return by_id


def _stable(read: Callable[[Mapping[str, object]], T], namespace: Mapping[str, object]) -> T | None:
    """``read(namespace)``, read again while another thread changes the namespace
    (RuntimeError: changed size during iteration), NAMESPACE_RETRIES times; then once
    from a C-level ``dict.copy`` (atomic: it holds the GIL, or the dict's lock on
    free-threaded builds).  None if every try failed."""
    for _ in range(NAMESPACE_RETRIES):
        try:
            return read(namespace)
        except RuntimeError:
            continue
    if isinstance(namespace, dict):
        try:
            return read(dict.copy(namespace))
        except RuntimeError:
            pass
    return None


def id_snapshot(namespace: Mapping[str, object]) -> dict[str, int]:
    """``{name: id(obj)}``: identity only, never a reference to a user object."""
    return _stable(_id_map, namespace) or {}


def ids_by_object(namespace: Mapping[str, object]) -> tuple[dict[int, list[str]], str | None]:
    """``{id(obj): [names...]}`` for the str keys of ``namespace``, and a note when the
    namespace kept changing while it was read (the result is then empty)."""
    by_id = _stable(_by_object, namespace)
    if by_id is None:
        return {}, (
            f"the namespace changed while it was read ({NAMESPACE_RETRIES} tries); "
            "names holding references are missing"
        )
    return by_id, None


# --------------------------------------------------------------------------------------------
# static bindings


@dataclass
class StaticBindings:
    """Module-scope names a cell binds, in order of first binding."""

    ordered: list[str] = field(default_factory=list)
    #: names that only a nested function binds (``global x`` inside a def)
    conditional: list[str] = field(default_factory=list)
    #: names the cell deletes (``del x``)
    deleted: list[str] = field(default_factory=list)
    syntax_error: bool = False
    #: the syntax tree was too deeply nested to walk (names come from the namespace diff)
    too_deep: bool = False
    #: names bound once in the whole cell, by a top-level ``name = <literal>``: name -> the
    #: literal's key (:func:`redpill.births.literal_key`)
    literals: dict[str, str] = field(default_factory=dict)


class Binder(ast.NodeVisitor):
    """``expressions_bind``: whether an expression can bind a name at all (only a
    walrus, or a code magic's call, can); when not, expressions are not walked."""

    def __init__(self, expressions_bind: bool = True) -> None:
        self.out = StaticBindings()
        self._seen: set[str] = set()
        #: how many places bind each name
        self.bindings: dict[str, int] = {}
        self._expressions_bind = expressions_bind

    def visit(self, node: ast.AST) -> None:
        if self._expressions_bind or not isinstance(node, ast.expr):
            super().visit(node)

    def bind(self, name: str) -> None:
        self.bindings[name] = self.bindings.get(name, 0) + 1
        if name not in self._seen:
            self._seen.add(name)
            self.out.ordered.append(name)

    # -- targets
    def target(self, node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            self.bind(node.id)
        elif isinstance(node, ast.Tuple | ast.List):
            for elt in node.elts:
                self.target(elt)
        elif isinstance(node, ast.Starred):
            self.target(node.value)
        else:  # attribute / subscript targets bind no name, but may contain walruses
            self.visit(node)

    # -- statements that bind
    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for t in node.targets:
            self.target(t)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.annotation)
        if node.value is not None:
            self.target(node.target)
        elif not isinstance(node.target, ast.Name):
            self.visit(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        self.target(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self.target(node.target)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self.target(node.target)
        for s in node.body + node.orelse:
            self.visit(s)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self.target(item.optional_vars)
        for s in node.body:
            self.visit(s)

    visit_AsyncWith = visit_With

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.bind(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name != "*":
                self.bind(alias.asname or alias.name)

    def _decorated(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        for d in node.decorator_list:
            self.visit(d)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._decorated(node)
        self.visit(node.args)  # defaults and annotations run in module scope
        if node.returns is not None:
            self.visit(node.returns)
        self.bind(node.name)
        self._globals_in(node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._decorated(node)
        for b in node.bases:
            self.visit(b)
        for kw in node.keywords:
            self.visit(kw)
        self.bind(node.name)
        self._globals_in(node.body)

    def visit_arguments(self, node: ast.arguments) -> None:
        for d in [*node.defaults, *(d for d in node.kw_defaults if d is not None)]:
            self.visit(d)
        for a in [*node.posonlyargs, *node.args, *node.kwonlyargs, node.vararg, node.kwarg]:
            if a is not None and a.annotation is not None:
                self.visit(a.annotation)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.args)  # the body is another scope

    def visit_Delete(self, node: ast.Delete) -> None:
        for t in node.targets:
            if isinstance(t, ast.Name):
                self.out.deleted.append(t.id)
            else:
                self.visit(t)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.bind(node.name)
        for s in node.body:
            self.visit(s)

    def visit_TypeAlias(self, node: ast.AST) -> None:  # 3.12+: type X = ...
        self.target(node.name)  # type: ignore[attr-defined]

    # -- IPython: `%time x = 1` becomes get_ipython().run_line_magic('time', 'x = 1')
    def visit_Call(self, node: ast.Call) -> None:
        f = node.func
        args = node.args
        if (
            isinstance(f, ast.Attribute)
            and f.attr in ("run_line_magic", "run_cell_magic")
            and len(args) >= 2
            and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args)
            and args[0].value in _CODE_MAGICS  # type: ignore[attr-defined]
        ):
            code = args[-1].value  # type: ignore[attr-defined]
            try:
                inner = ast.parse(code)
            except SyntaxError:
                inner = None
            if inner is not None:
                for stmt in inner.body:
                    self.visit(stmt)
                return
        self.generic_visit(node)

    # -- comprehensions: their targets are local, walruses bind in the enclosing scope
    def _comprehension(self, node: ast.AST, elts: Iterable[ast.AST]) -> None:
        gens: list[ast.comprehension] = node.generators  # type: ignore[attr-defined]
        for g in gens:
            self.visit(g.iter)
            for cond in g.ifs:
                self._walruses(cond)
        for e in elts:
            self._walruses(e)

    def _walruses(self, node: ast.AST) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.NamedExpr):
                self.target(sub.target)

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._comprehension(node, [node.elt])

    def visit_SetComp(self, node: ast.SetComp) -> None:
        self._comprehension(node, [node.elt])

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self._comprehension(node, [node.elt])

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node, [node.key, node.value])

    # -- match
    def visit_match_case(self, node: ast.match_case) -> None:
        self._pattern(node.pattern)
        if node.guard is not None:
            self.visit(node.guard)
        for s in node.body:
            self.visit(s)

    def _pattern(self, p: ast.AST) -> None:
        if isinstance(p, ast.MatchAs):
            if p.pattern is not None:
                self._pattern(p.pattern)
            if p.name:
                self.bind(p.name)
        elif isinstance(p, ast.MatchStar):
            if p.name:
                self.bind(p.name)
        elif isinstance(p, ast.MatchMapping):
            for v in p.patterns:
                self._pattern(v)
            if p.rest:
                self.bind(p.rest)
        elif isinstance(p, ast.MatchSequence | ast.MatchOr):
            for sub in p.patterns:
                self._pattern(sub)
        elif isinstance(p, ast.MatchClass):
            for sub in [*p.patterns, *p.kwd_patterns]:
                self._pattern(sub)

    # -- nested scopes: only `global` declarations matter
    def _globals_in(self, body: list[ast.stmt]) -> None:
        for sub in body:
            for n in ast.walk(sub):
                if isinstance(n, ast.Global):
                    for name in n.names:
                        if name not in self.out.conditional:
                            self.out.conditional.append(name)


#: Source text without any of these has no expression that binds a name.
_EXPRESSION_BINDERS = (":=", "run_line_magic", "run_cell_magic")


def static_bindings(source: str) -> StaticBindings:
    """Names bound at module scope by ``source`` (Python, after IPython's transforms)."""
    try:
        tree = compile(
            source, "<cell>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        )
    except (SyntaxError, ValueError):
        return StaticBindings(syntax_error=True)
    return tree_bindings(tree, expressions_may_bind(source))  # type: ignore[arg-type]


def expressions_may_bind(source: str) -> bool:
    """Whether an expression in ``source`` may bind a name (a walrus, a code magic)."""
    return any(marker in source for marker in _EXPRESSION_BINDERS)


def tree_bindings(tree: ast.Module, expressions_bind: bool = True) -> StaticBindings:
    """Names bound at module scope by an already parsed cell (the tree IPython runs).

    ``expressions_bind=False`` (the source has no walrus and no code magic) skips
    walking expressions.
    """
    b = Binder(expressions_bind)
    try:
        for stmt in tree.body:
            b.visit(stmt)
    except RecursionError:
        return StaticBindings(too_deep=True)
    out = b.out
    for stmt in tree.body:
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant)):
            continue
        key = literal_key(stmt.value.value)
        for t in stmt.targets:
            if (
                key is not None
                and isinstance(t, ast.Name)
                and b.bindings.get(t.id) == 1
                and t.id not in out.deleted
                and t.id not in out.conditional
            ):
                out.literals[t.id] = key
    return out


# --------------------------------------------------------------------------------------------
# merging with the namespace diff


@dataclass
class CellNames:
    """The names one cell bound (in order of first binding), rebound and deleted."""

    names: list[str]
    rebound: set[str]
    deleted: list[str]


def resolve(
    static: StaticBindings,
    before: Mapping[str, int],
    after: Mapping[str, int],
    *,
    error: bool = False,
    hidden: Collection[str] = (),
) -> CellNames:
    """Merge static bindings with the id diff.

    A statically bound name is reported if it exists after the cell (a name
    rebound to the same object still counts) — except after an exception, when
    only names whose binding changed are reported (the statement may not have
    run).  Dynamic bindings (new or changed ids) follow in namespace order.
    """

    def changed(n: str) -> bool:
        return n in after and (n not in before or before[n] != after[n])

    out: list[str] = []
    seen: set[str] = set()
    for n in static.ordered:
        if n in seen or is_bookkeeping(n) or n not in after:
            continue
        if error and not changed(n):
            continue
        seen.add(n)
        out.append(n)
    for n in static.conditional:
        if n not in seen and not is_bookkeeping(n) and changed(n):
            seen.add(n)
            out.append(n)
    for n in after:
        if n in seen or is_bookkeeping(n) or n in hidden or implicit_dunder(n):
            continue
        if changed(n):
            seen.add(n)
            out.append(n)
    rebound = {n for n in out if n in before and before[n] != after.get(n)}
    deleted = [n for n in before if n not in after and not is_bookkeeping(n)]
    # a name the cell bound and deleted again (``t = object(); del t``): the learner
    # wrote ``del t``, so it is listed too, though the namespace never showed it
    gone = set(deleted)
    bound = set(static.ordered)
    for n in static.deleted:
        if (
            n in bound
            and n not in after
            and n not in before
            and n not in gone
            and not is_bookkeeping(n)
        ):
            gone.add(n)
            deleted.append(n)
    return CellNames(out, rebound, deleted)


def filter_names(cell: CellNames, wanted: Collection[str], after: Mapping[str, int]) -> list[str]:
    """Apply a ``%%redpill a b`` filter: the wanted names, in binding order, then the
    wanted names the cell did not bind but that exist."""
    if not wanted:
        return cell.names
    keep = [n for n in cell.names if n in wanted]
    keep += [n for n in wanted if n not in keep and n in after]
    return keep
