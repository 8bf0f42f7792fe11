"""The IPython layer: ``%%redpill``.  The only module that imports IPython.

How the cell runs exactly as without the magic: an input transformer (in
``input_transformers_cleanup``, which sees the raw lines) recognises a cell
whose first line is ``%%redpill [args]`` and hands IPython the body alone, so
IPython runs it as a normal cell (top-level ``await``, ``!cmd``, line magics,
``Out[n]``, tracebacks are IPython's own).  The transformer keeps no state — IPython
calls it more than once per cell (``check_complete``, ipykernel's
preprocessing) — the ``pre_run_cell`` event, which sees the raw cell, parses the
arguments and takes an id snapshot of the namespace, and ``post_run_cell`` (which
also fires when the cell raised) collects and publishes the bundle.  The names the
cell binds are read from IPython's own parse of it: for that one parse the
shell's ``compile.ast_parse`` is wrapped (an instance attribute, removed at once),
so the cell is not parsed twice and no other cell pays anything.

The registered ``@cell_magic`` handles ``%%redpill?`` (help) and direct calls
(``run_cell_magic('redpill', ...)``, or the first cell of a session where the
extension is loaded lazily): it runs the body itself in the user namespace.

``--steps`` (a snapshot after every executed line of the cell's own code, with
the frames of the calls it makes) keeps this promise too: IPython runs the cell as
always, and for that one cell the shell's ``run_ast_nodes`` is wrapped (an instance
attribute, removed in ``post_run_cell``) only to hand IPython a compiler that shows
each top-level statement's code object to the stepper (:mod:`redpill.frames`)
before it runs; the event source (:mod:`redpill.tracer`: ``sys.monitoring`` on
3.12+, a trace function on 3.11) watches those code objects and the ones nested in
them, nothing else.  So the code objects, ``await`` handling, magics, ``Out[n]`` and
tracebacks are exactly IPython's.  The one thing alive then that is not alive after
a cell is IPython's syntax tree of the cell, whose literals hold references: they
are counted (:func:`redpill.transient.ast_refs`) and subtracted.  Where no event
source can run (every tool id taken, another trace function on 3.11) the statements
are run one at a time through IPython's loop instead, with a snapshot after each.  A
direct call of the magic runs the statements with ``exec`` one by one (no top-level
``await`` there, as before), stepped the same way.

The kernel's state (the cell being collected, the defaults, the previous picture for
``--diff``) lives on the one :class:`RedpillMagics` instance of the shell, as IPython's
own extensions keep theirs; ``%load_ext`` makes it, ``%unload_ext`` detaches it.

``%redpill_config`` sets kernel-level defaults for every later ``%%redpill``
cell: ``hide=`` (added to ``--hide``), ``hide_names=`` (names never drawn)
and ``quiz=`` (``--quiz`` for cells that give none).  Notebook-metadata
configuration is the renderer's business.
"""

from __future__ import annotations

import ast
import re
import shlex
from dataclasses import dataclass, replace
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import (
    argument,
    argument_group,
    magic_arguments,
    parse_argstring,
)
from IPython.display import publish_display_data

from .cell import Pending, after_cell, before_cell
from .diff import History
from .failures import failure_note, forget_frames
from .frames import FrameStepper
from .names import expressions_may_bind, tree_bindings
from .options import MAX_STEPS, MAX_STEPS_LIMIT, InstructorOptions, Options
from .quiz import FIELDS as QUIZ_FIELDS
from .quiz import parse_fields
from .steps import StepRecorder, cell_statements, run_statements
from .transient import ast_refs

_FIRST_LINE = re.compile(r"^%%redpill(?:\s+(?P<args>.*?))?\s*$")

_DEFAULTS = Options()


@dataclass(frozen=True)
class KernelDefaults:
    """Kernel-level defaults set by ``%redpill_config`` (every later ``%%redpill`` cell)."""

    hide: frozenset[str] = frozenset()
    hide_names: frozenset[str] = frozenset()
    quiz: tuple[str, ...] = ()

    def describe(self) -> str:
        """The defaults as ``%redpill_config`` prints them."""
        return (
            f"hide={','.join(sorted(self.hide))} "
            f"hide_names={','.join(sorted(self.hide_names))} "
            f"quiz={','.join(self.quiz)}"
        )


NO_DEFAULTS = KernelDefaults()


@magics_class
class RedpillMagics(Magics):
    """The ``%%redpill`` cell magic and the ``%redpill_config`` line magic.

    One instance per shell (``%load_ext redpill`` makes it) keeps the kernel's state:
    the cell being collected, the defaults ``%redpill_config`` set, the previous
    picture ``--diff`` compares with, and what ``--steps`` and the parse wrapper
    replaced while a cell runs.  :meth:`attach` wires it into IPython: an input
    transformer that hands IPython the cell's body alone, and the ``pre_run_cell`` /
    ``post_run_cell`` events around it.
    """

    def __init__(self, shell: Any) -> None:
        super().__init__(shell)
        #: the %%redpill cell running now (ids and names only, never the objects)
        self.pending: Pending | None = None
        #: the kernel's defaults, set by %redpill_config
        self.defaults = KernelDefaults()
        #: the previous picture's addresses and counts, for --diff
        self.history = History()
        # --steps: the cell being stepped (IPython's ExecutionInfo) and what the
        # wrapper replaced (instance attribute or not)
        self._step_info: Any = None
        self._saved: tuple[bool, Any] | None = None
        # the compiler whose ast_parse is wrapped, and what the wrapper replaced
        self._parse_saved: tuple[Any, bool, Any] | None = None

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
        help=f"Most objects the kernel reads and sends (default {_DEFAULTS.max_objects}, at "
        "most 10000; the renderer's setting maxObjects limits how many it draws).",
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
        "repr, size, ...) or C field names (ob_refcnt, _gc_next, ...); refcount, address, "
        "type, immortal are kept in the JSON but masked in the output. Default: none.",
    )
    @argument_group("For instructors")
    @argument(
        "--steps",
        action="store_true",
        help="Keep a snapshot after every executed line of the cell's own code, inside loops "
        "and the calls of its functions, with their frames: the renderer steps through them.",
    )
    @argument(
        "--max-steps",
        type=int,
        default=MAX_STEPS,
        help=f"Steps kept by --steps; the cell runs on at full speed past them "
        f"(default {MAX_STEPS}).",
    )
    @argument(
        "--diff",
        action="store_true",
        help="Compare with the previous %%%%redpill snapshot of this kernel: refcounts, "
        "rebound names, freed objects, new objects at reused addresses.",
    )
    @argument(
        "--quiz",
        default=None,
        metavar="FIELDS",
        help="Ask the learner to predict these values before they are shown "
        f"(comma-separated: {', '.join(QUIZ_FIELDS)}; 'none' for no quiz). "
        "Default: none, or the kernel's %%redpill_config quiz=.",
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

        For instructors: ``--steps`` keeps a snapshot after every executed line
        of the cell's own code, inside loops and the calls of the functions it
        defines, with one frame per active call (a timeline the renderer steps
        through; ``--max-steps`` limits what is recorded, never what runs);
        ``--diff`` compares with the previous ``%%redpill`` snapshot of this
        kernel; ``--quiz refcount,same-object`` turns values into questions
        (the learner predicts, then reveals).  ``%redpill_config hide=refcount
        hide_names=tmp quiz=refcount`` sets defaults for every later cell of
        the kernel.

        Examples::

            %%redpill
            age = 1042
            b = age

            %%redpill xs --depth 1 --hide memory
            xs = [1, 2, 3]

            %%redpill --steps
            a = 1042
            b = a
            del a
        """
        # Reached only when the transformer did not strip the line: a direct call,
        # or the first cell after a lazy load. Run the body here.
        shell = self.shell
        assert shell is not None
        opts, extra = parse_cell_options(line, self.defaults)
        source = shell.transform_cell(cell)
        hidden = _hidden(shell)
        pending = before_cell(
            shell.user_ns, cell, source, opts, extra, display_source=cell, hidden=hidden
        )
        statements = cell_statements(source) if pending.recorder is not None else None
        error: BaseException | None = None
        try:
            if pending.recorder is not None and statements is not None:
                run_statements(pending.recorder, statements, shell.user_global_ns, shell.user_ns)
            else:
                shell.ex(source)
        except BaseException as exc:
            error = exc
            raise
        finally:
            del statements
            _publish(
                after_cell(pending, shell.user_ns, error=error, hidden=hidden, history=self.history)
            )
            del error

    @line_magic
    def redpill_config(self, line: str) -> None:
        """Kernel-level defaults for every later ``%%redpill`` cell.

        Usage::

            %redpill_config hide=refcount,address hide_names=tmp,_scratch quiz=refcount
            %redpill_config            # show the current defaults
            %redpill_config reset      # back to none

        ``hide=``: parts to leave out of every picture (added to ``--hide``:
        object keys such as ``memory``/``fields``/``holders``, C field names,
        or ``refcount``/``address``/``type``/``immortal``, which stay in the JSON
        but are masked by the renderer and the text fallbacks).
        ``hide_names=``: names never drawn (nor listed as holders or deleted).
        ``quiz=``: quiz fields for cells without ``--quiz`` (``none``: no quiz).
        A key given again replaces its value; an empty value clears it.
        """
        shell = self.shell
        assert shell is not None
        self.defaults = parse_config(line, self.defaults)
        print(f"redpill defaults: {self.defaults.describe()}")

    # -- the transformer: stateless, may run many times per cell
    def transform(self, lines: list[str]) -> list[str]:
        """IPython's input transformer: a ``%%redpill`` cell becomes its body (the first line
        blank, so line numbers stay); any other cell is left alone."""
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

    # -- the syntax tree IPython parses for a %%redpill cell (read once, not parsed again)
    def _install_parse(self) -> None:
        """Wrap the shell's ``compile.ast_parse`` for the next parse only: the names the
        cell binds are read from the very tree IPython will run.  An AST transformer
        would do it too, but IPython then runs ``ast.fix_missing_locations`` over every
        cell of the kernel, with or without the magic."""
        compiler = getattr(self.shell, "compile", None)
        inner = getattr(compiler, "ast_parse", None)
        if compiler is None or inner is None or self._parse_saved is not None:
            return
        magics = self

        def ast_parse(*args: Any, **kwargs: Any) -> Any:
            magics._uninstall_parse()  # one parse: the cell's own (not %timeit's inside it)
            tree = inner(*args, **kwargs)
            pending = magics.pending
            try:
                if pending is not None and pending.static is None and isinstance(tree, ast.Module):
                    pending.static = tree_bindings(tree, expressions_may_bind(pending.source))
            except Exception:  # collect() parses the source itself
                pass
            return tree

        self._parse_saved = (
            compiler,
            "ast_parse" in vars(compiler),
            vars(compiler).get("ast_parse"),
        )
        compiler.ast_parse = ast_parse

    def _uninstall_parse(self) -> None:
        saved, self._parse_saved = self._parse_saved, None
        if saved is None:
            return
        compiler, had, previous = saved
        if had:
            compiler.ast_parse = previous
        else:
            try:
                del compiler.ast_parse
            except AttributeError:
                pass

    # -- events (IPython's callbacks: nothing of ours may escape them, not even SystemExit)
    def pre_run_cell(self, info: Any) -> None:
        """IPython's ``pre_run_cell`` event: for a ``%%redpill`` cell, parse its arguments and
        remember the namespace's ids."""
        try:
            self._pre_run_cell(info)
        except BaseException as exc:  # the cell runs as without the magic
            self.pending = None
            self._uninstall_steps()
            self._uninstall_parse()
            forget_frames(exc)

    def _pre_run_cell(self, info: Any) -> None:
        self.pending = None
        self._uninstall_steps()
        self._uninstall_parse()
        raw = getattr(info, "raw_cell", None)
        if not isinstance(raw, str):
            return
        found = _first_line(raw)
        if found is None:
            return
        args, body = found
        try:
            opts, extra = parse_cell_options(args, self.defaults)
        except Exception:
            return
        source = getattr(info, "transformed_cell", None)
        if not isinstance(source, str):
            try:
                source = self.shell.transform_cell(raw)
            except Exception:
                source = "".join(body)
        self.pending = before_cell(
            self.shell.user_ns,
            raw,
            source,
            opts,
            extra,
            display_source=_display_source(raw),
            hidden=_hidden(self.shell),
        )
        if self.pending.recorder is not None:
            self._install_steps(info)
        else:  # (--steps reads counts between statements: it parses the short cell itself)
            self._install_parse()

    def post_run_cell(self, result: Any) -> None:
        """IPython's ``post_run_cell`` event (also after an error): collect and publish the
        picture."""
        try:
            self._post_run_cell(result)
        except BaseException as exc:  # after_cell never raises: this is the last guard
            forget_frames(exc)

    def _post_run_cell(self, result: Any) -> None:
        self._uninstall_steps()
        self._uninstall_parse()
        pending, self.pending = self.pending, None
        if pending is None or result is None:
            return
        info = getattr(result, "info", None)
        if getattr(info, "raw_cell", None) != pending.raw_cell:
            return
        if getattr(result, "error_before_exec", None) is not None and not (
            pending.recorder is not None and pending.recorder.steps
        ):
            return  # syntax error: nothing ran
        error = getattr(result, "error_in_exec", None) or getattr(result, "error_before_exec", None)
        try:
            data = after_cell(
                pending,
                self.shell.user_ns,
                error=error,
                hidden=_hidden(self.shell),
                history=self.history,
            )
            del error
            _publish(data)
        except BaseException as exc:  # after_cell never raises; publishing may
            note = failure_note(exc)
            forget_frames(exc)
            del exc
            _publish({"text/plain": note})

    # -- --steps: cut IPython's loop over the top-level statements, for one cell
    def _install_steps(self, info: Any) -> None:
        sh = self.shell
        inner = sh.run_ast_nodes
        magics = self

        async def run_ast_nodes(
            nodelist: list[Any],
            cell_name: str,
            interactivity: str = "last_expr",
            compiler: Any = compile,
            result: Any = None,
        ) -> Any:
            return await magics._run_steps(
                inner, nodelist, cell_name, interactivity, compiler, result
            )

        self._saved = ("run_ast_nodes" in vars(sh), vars(sh).get("run_ast_nodes"))
        self._step_info = info
        sh.run_ast_nodes = run_ast_nodes

    def _uninstall_steps(self) -> None:
        saved, self._saved = self._saved, None
        self._step_info = None
        if saved is None:
            return
        sh = self.shell
        had, previous = saved
        if had:
            sh.run_ast_nodes = previous
        else:
            try:
                del sh.run_ast_nodes
            except AttributeError:
                pass

    async def _run_steps(
        self,
        inner: Any,
        nodelist: list[Any],
        cell_name: str,
        interactivity: str,
        compiler: Any,
        result: Any,
    ) -> Any:
        pending = self.pending
        recorder = pending.recorder if pending is not None else None
        info = self._step_info
        if (
            recorder is None
            or info is None
            or getattr(result, "info", None) is not info
            or not nodelist
        ):  # another cell (run_cell inside the cell), or nothing to step through
            return await inner(nodelist, cell_name, interactivity, compiler, result)
        self._step_info = None  # one cell, one loop
        nodes = list(nodelist)
        stepper = FrameStepper(recorder, self.shell.user_ns, nodes, ast_refs(nodes))
        if stepper.start():  # line by line: IPython runs the cell as usual, traced
            failed = True
            try:
                failed = await inner(
                    nodes, cell_name, interactivity, _Compiling(compiler, stepper.add_top), result
                )
            finally:
                error = None
                if failed:
                    error = getattr(result, "error_in_exec", None) or getattr(
                        result, "error_before_exec", None
                    )
                stepper.finish(error)
                del error, stepper
            return failed
        del stepper
        last = len(nodes) - 1
        for i, node in enumerate(nodes):
            if recorder.full:  # the rest runs as IPython would run it, without snapshots
                rest = nodes[i:]
                for n in rest:
                    recorder.record(self.shell.user_ns, n)  # only counts it (cap reached)
                return await inner(rest, cell_name, interactivity, compiler, result)
            # the interactivity IPython would give this statement inside the whole cell
            mode = interactivity if i == last or interactivity == "all" else "none"
            raised = await inner([node], cell_name, mode, compiler, result)
            error = None
            if raised:
                error = getattr(result, "error_in_exec", None) or getattr(
                    result, "error_before_exec", None
                )
                if error is None:
                    error = RuntimeError("the statement failed")
            _record_step(recorder, self.shell.user_ns, node, nodes, error)
            del error
            if raised:
                return True
        return False

    # -- wiring
    def attach(self) -> None:
        """Wire the transformer and the two events into the shell (``%load_ext``)."""
        sh = self.shell
        if self.transform not in sh.input_transformers_cleanup:
            sh.input_transformers_cleanup.append(self.transform)
        sh.events.register("pre_run_cell", self.pre_run_cell)
        sh.events.register("post_run_cell", self.post_run_cell)

    def detach(self) -> None:
        """Undo :meth:`attach` and remove the magics (``%unload_ext``)."""
        self._uninstall_steps()
        self._uninstall_parse()
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
        for kind, name in (("cell", "redpill"), ("line", "redpill_config")):
            try:
                del sh.magics_manager.magics[kind][name]
            except (KeyError, AttributeError):
                pass


def parse_config(line: str, current: KernelDefaults) -> KernelDefaults:
    """``%redpill_config`` arguments applied to ``current`` (raises UsageError)."""
    try:
        words = shlex.split(line)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    cfg = current
    for w in words:
        if w == "reset":
            cfg = KernelDefaults()
            continue
        key, sep, value = w.partition("=")
        if not sep:
            raise UsageError(f"expected key=value, got {w!r} (keys: hide, hide_names, quiz)")
        items = frozenset(v.strip() for v in re.split(r"[,\s]+", value) if v.strip())
        key = key.strip().replace("-", "_")
        if key == "hide":
            cfg = replace(cfg, hide=items)
        elif key == "hide_names":
            cfg = replace(cfg, hide_names=items)
        elif key == "quiz":
            try:
                cfg = replace(cfg, quiz=parse_fields(value))
            except ValueError as exc:
                raise UsageError(str(exc)) from exc
        else:
            raise UsageError(f"unknown key {key!r} (keys: hide, hide_names, quiz)")
    return cfg


def parse_cell_options(
    line: str, defaults: KernelDefaults = NO_DEFAULTS
) -> tuple[Options, InstructorOptions]:
    """The collector's options and the instructors' ones, from the argument line (parsed
    once) and the kernel's defaults; raises ``UsageError`` on bad arguments."""
    args = parse_argstring(RedpillMagics.redpill, line)
    opts = _collector_options(args)
    if defaults.hide:
        opts = replace(opts, hide=opts.hide | defaults.hide)
    if args.max_steps < 1:
        raise UsageError("--max-steps must be >= 1")
    if args.quiz is not None:
        try:
            quiz = parse_fields(args.quiz)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
    else:
        quiz = defaults.quiz
    teaching = InstructorOptions(
        steps=bool(args.steps),
        max_steps=min(args.max_steps, MAX_STEPS_LIMIT),
        diff=bool(args.diff),
        quiz=quiz,
        hide_names=defaults.hide_names,
    )
    return opts, teaching


def _collector_options(args: Any) -> Options:
    """:class:`Options` from the parsed argument line."""
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
        parse_cell_options(args)
    except (UsageError, ValueError, SystemExit):
        return False
    return True


def _display_source(raw: str) -> str:
    """The cell as the user wrote it, from the ``%%redpill`` line on (its line 1): the
    line numbers of the transformed cell refer to it."""
    lines = raw.splitlines(keepends=True)
    while lines and not lines[0].strip():
        lines.pop(0)
    return "".join(lines)


class _Compiling:
    """IPython's compiler for one ``--steps`` cell: each code object it makes (a
    top-level statement) is handed to the stepper before it runs; everything else
    (``extra_flags``, the cache) is the compiler's own."""

    def __init__(self, inner: Any, seen: Any) -> None:
        self._inner = inner
        self._seen = seen

    def __call__(self, mod: Any, filename: str, mode: str) -> Any:
        code = self._inner(mod, filename, mode)
        body = getattr(mod, "body", None)
        node = body[0] if isinstance(body, list) and len(body) == 1 else None
        self._seen(code, node)
        return code

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _record_step(
    recorder: StepRecorder, namespace: Any, node: Any, nodes: list[Any], error: Any
) -> None:
    """Snapshot one step; whatever fails, the cell's next statements still run."""
    try:
        recorder.record(namespace, node, transient=ast_refs(nodes), error=error)
    except BaseException as exc:  # record() never raises; ast_refs may run out of stack
        recorder.stop(f"step {len(recorder.steps) + 1} could not be read ({failure_note(exc)})")
        forget_frames(exc)


def load(shell: Any) -> None:
    """Register the magics in ``shell`` once (``%load_ext redpill``; again: nothing)."""
    if shell.magics_manager.registry.get(RedpillMagics.__name__) is not None:
        return
    magics = RedpillMagics(shell)
    shell.register_magics(magics)
    magics.attach()


def unload(shell: Any) -> None:
    """Remove the magics and everything they wired into ``shell`` (``%unload_ext``)."""
    magics = shell.magics_manager.registry.pop(RedpillMagics.__name__, None)
    if isinstance(magics, RedpillMagics):
        magics.detach()
