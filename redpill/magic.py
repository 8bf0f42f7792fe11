"""The IPython layer: ``%%redpill``.  The only module that imports IPython.

How the cell runs exactly as without the magic: an input transformer (in
``input_transformers_cleanup``, which sees the raw lines) recognises a cell
whose first line is ``%%redpill [args]`` and hands IPython the body alone, so
IPython runs it as a normal cell (top-level ``await``, ``!cmd``, line magics,
``Out[n]``, tracebacks are IPython's own).  The transformer keeps no state — IPython
calls it more than once per cell (``check_complete``, ipykernel's
preprocessing) — the ``pre_run_cell`` event, which sees the raw cell, parses the
arguments and takes an id snapshot of the namespace, and ``post_run_cell`` (which
also fires when the cell raised) collects and publishes the bundle.

The registered ``@cell_magic`` handles ``%%redpill?`` (help) and direct calls
(``run_cell_magic('redpill', ...)``, or the first cell of a session where the
extension is loaded lazily): it runs the body itself in the user namespace.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.display import publish_display_data

from .cell import Pending, after_cell, before_cell
from .kinds import Options

_FIRST_LINE = re.compile(r"^%%redpill(?:\s+(?P<args>.*?))?\s*$")

_DEFAULTS = Options()


@magics_class
class RedpillMagics(Magics):
    @magic_arguments()
    @argument(
        "names",
        nargs="*",
        help="Draw only these names (default: every name the cell binds).",
    )
    @argument(
        "--depth",
        type=int,
        default=_DEFAULTS.depth,
        help=f"How many levels of container items to follow (default {_DEFAULTS.depth}).",
    )
    @argument(
        "--max-objects",
        type=int,
        default=_DEFAULTS.max_objects,
        help=f"Most objects drawn (default {_DEFAULTS.max_objects}).",
    )
    @argument(
        "--max-items",
        type=int,
        default=_DEFAULTS.max_items,
        help=f"Most items read per container (default {_DEFAULTS.max_items}).",
    )
    @argument(
        "--max-bytes",
        type=int,
        default=_DEFAULTS.max_bytes,
        help=f"Raw memory bytes shown per object (default {_DEFAULTS.max_bytes}).",
    )
    @argument(
        "--max-text",
        type=int,
        default=_DEFAULTS.max_text,
        help=f"Characters of a str shown (default {_DEFAULTS.max_text}).",
    )
    @argument(
        "--hide",
        default="",
        metavar="FIELDS",
        help="Comma-separated parts to leave out: object keys (fields, memory, holders, "
        "repr, size, ...) or C field names (ob_refcnt, _gc_next, ...). Default: none.",
    )
    @cell_magic
    def redpill(self, line: str, cell: str) -> None:
        """Run the cell, then draw what CPython holds for every name it bound.

        The cell runs exactly as it would without the magic (same namespace,
        output, errors, ``Out[n]``). Afterwards, for every name the cell bound (in
        order of first binding; names it deleted are listed too), redpill reads
        the live object: address, reference count (with redpill's own references
        removed), who holds the references, type, size, the C struct fields in
        memory order with their offsets, and the type's internals (int digits,
        float bits, str state, list/tuple items, dict entries, instance
        attributes ...). Container items are followed to ``--depth``.

        The output carries ``application/vnd.redpill.v1+json`` (drawn by the
        jupyterlab-redpill renderer) with ``text/plain`` and ``text/html``
        fallbacks.  From Python, ``redpill.inspect(obj)`` and
        ``redpill.snapshot(name=obj, ...)`` return the same data.

        Examples::

            %%redpill
            age = 1042
            b = age

            %%redpill xs --depth 1 --hide memory
            xs = [1, 2, 3]
        """
        # Reached only when the transformer did not strip the line: a direct call,
        # or the first cell after a lazy load. Run the body here.
        opts = parse_options(line)
        shell = self.shell
        assert shell is not None
        source = shell.transform_cell(cell)
        pending = before_cell(shell.user_ns, cell, source, opts)
        error: BaseException | None = None
        try:
            shell.ex(source)
        except BaseException as exc:
            error = exc
            raise
        finally:
            _publish(after_cell(pending, shell.user_ns, error=error, hidden=_hidden(shell)))
            del error


def parse_options(line: str) -> Options:
    """Options from the magic's argument line (raises UsageError on bad arguments)."""
    args = parse_argstring(RedpillMagics.redpill, line)
    hide = frozenset(h.strip() for h in re.split(r"[,\s]+", args.hide or "") if h.strip())
    for value, name in (
        (args.depth, "--depth"),
        (args.max_objects, "--max-objects"),
        (args.max_items, "--max-items"),
        (args.max_bytes, "--max-bytes"),
        (args.max_text, "--max-text"),
    ):
        if value < 0:
            raise UsageError(f"{name} must be >= 0")
    return Options(
        depth=args.depth,
        max_objects=max(1, args.max_objects),
        max_items=args.max_items,
        max_bytes=args.max_bytes,
        max_text=args.max_text,
        hide=hide,
        names=tuple(args.names),
    )


def _hidden(shell: Any) -> frozenset[str]:
    try:
        return frozenset(shell.user_ns_hidden)
    except Exception:
        return frozenset()


def _publish(data: dict[str, object]) -> None:
    publish_display_data(data=data, metadata={})


def _first_line(raw: str) -> tuple[str, list[str]] | None:
    """(argument text, body lines) when the cell starts with ``%%redpill``."""
    lines = raw.splitlines(keepends=True)
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return None
    m = _FIRST_LINE.match(lines[0].rstrip("\r\n"))
    if m is None:
        return None
    args = m.group("args") or ""
    if args.rstrip().endswith("?") or args.startswith("?"):
        return None  # %%redpill? is help: IPython handles it
    return args, lines[1:]


def _args_ok(args: str) -> bool:
    try:
        shlex.split(args)
        parse_options(args)
    except (UsageError, ValueError, SystemExit):
        return False
    return True


class RedpillExtension:
    """Per-shell state: the transformer and the two event callbacks."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.pending: Pending | None = None

    # -- the transformer: stateless, may run many times per cell
    def transform(self, lines: list[str]) -> list[str]:
        if not lines:
            return lines
        found = _first_line("".join(lines))
        if found is None:
            return lines
        args, body = found
        if not _args_ok(args):
            return lines  # let the real magic report the usage error
        # the first line becomes blank, so line numbers in tracebacks match the cell
        return ["\n", *body]

    transform.has_side_effects = True  # type: ignore[attr-defined]

    # -- events
    def pre_run_cell(self, info: Any) -> None:
        self.pending = None
        raw = getattr(info, "raw_cell", None)
        if not isinstance(raw, str):
            return
        found = _first_line(raw)
        if found is None:
            return
        args, body = found
        try:
            opts = parse_options(args)
        except Exception:
            return
        source = getattr(info, "transformed_cell", None)
        if not isinstance(source, str):
            try:
                source = self.shell.transform_cell(raw)
            except Exception:
                source = "".join(body)
        self.pending = before_cell(self.shell.user_ns, raw, source, opts)

    def post_run_cell(self, result: Any) -> None:
        pending, self.pending = self.pending, None
        if pending is None or result is None:
            return
        info = getattr(result, "info", None)
        if getattr(info, "raw_cell", None) != pending.raw_cell:
            return
        if getattr(result, "error_before_exec", None) is not None:
            return  # syntax error: nothing ran
        error = getattr(result, "error_in_exec", None)
        try:
            data = after_cell(pending, self.shell.user_ns, error=error, hidden=_hidden(self.shell))
            del error
            _publish(data)
        except Exception as exc:  # pragma: no cover - after_cell never raises
            _publish({"text/plain": f"redpill failed: {type(exc).__name__}: {exc}"})

    # -- wiring
    def register(self) -> None:
        sh = self.shell
        sh.register_magics(RedpillMagics(sh))
        if self.transform not in sh.input_transformers_cleanup:
            sh.input_transformers_cleanup.append(self.transform)
        sh.events.register("pre_run_cell", self.pre_run_cell)
        sh.events.register("post_run_cell", self.post_run_cell)

    def unregister(self) -> None:
        sh = self.shell
        if self.transform in sh.input_transformers_cleanup:
            sh.input_transformers_cleanup.remove(self.transform)
        for name, cb in (
            ("pre_run_cell", self.pre_run_cell),
            ("post_run_cell", self.post_run_cell),
        ):
            try:
                sh.events.unregister(name, cb)
            except ValueError:
                pass
        try:
            del sh.magics_manager.magics["cell"]["redpill"]
        except (KeyError, AttributeError):
            pass


_EXTENSIONS: dict[int, RedpillExtension] = {}


def load(shell: Any) -> None:
    if id(shell) in _EXTENSIONS:
        return
    ext = RedpillExtension(shell)
    ext.register()
    _EXTENSIONS[id(shell)] = ext


def unload(shell: Any) -> None:
    ext = _EXTENSIONS.pop(id(shell), None)
    if ext is not None:
        ext.unregister()
