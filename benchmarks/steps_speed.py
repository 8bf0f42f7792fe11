"""What ``%%redpill --steps`` (line by line, with frames) costs, in a real ipykernel.

Two cells, each run plain, under ``%%redpill`` (one picture at the end) and under
``%%redpill --steps`` (every line of the cell's code, up to the cap):

* ``s = 0; for i in range(100000): s += i`` — a loop far past the cap: the steps are
  recorded for the first ``--max-steps`` lines, then every event is switched off and the
  loop finishes at full speed;
* a recursive ``fib(20)`` (21,891 calls of a function defined in the cell).

Each cell is timed inside the kernel (between a ``pre_run_cell`` callback registered
before redpill's and a ``post_run_cell`` callback registered after it: everything redpill
does is counted, messaging is not), the fastest of ``--repeat`` interleaved runs.  The
loop statement also times itself (``_rp_loop``), which separates the event source's cost
(the loop's time) from the snapshots' (the rest of the cell).  Ratios are to the plain
cell of the same run.  ``--max-steps`` is given as the default cap and as 1, so the fixed
cost of the recorded steps and the cost of running under the event source show apart;
the difference of the two is divided by the difference of the steps their payloads say
were recorded (the steps' size budget often ends the recording before the cap).  For
the loop it also prints the room the goal leaves: the goal's time less the cell under
``%%redpill`` with no steps, per recorded step, beside the time writing the recorded
payload as JSON once takes (a floor under any recorder: ipykernel writes each message).

Goals (from the design): the loop under ``--steps`` at most 1.3 x plain on CPython 3.12+
(sys.monitoring), at most 2 x on 3.11 (sys.settrace).  Published figures of settrace-based
peers on the same loop, measured in one kernel: nbtutor 17.8 x, pytutor 18.9 x (the
latter aborts the user's loop at its step cap).  Prints results only; no assertions.

    python benchmarks/steps_speed.py [--repeat 7] [--python PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kernel_overhead import AFTER_LOAD, SETUP, Client

LOOP = (
    "_rp_t0 = time.perf_counter()\n"
    "s = 0\n"
    "for i in range(100000):\n"
    "    s += i\n"
    "_rp_loop = time.perf_counter() - _rp_t0\n"
)
FIB = (
    "_rp_t0 = time.perf_counter()\n"
    "def fib(n):\n"
    "    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
    "f = fib(20)\n"
    "_rp_loop = time.perf_counter() - _rp_t0\n"
)
PEERS = "reference (published, same loop, one kernel): nbtutor 17.8 x, pytutor 18.9 x plain"


MIME = "application/vnd.redpill.v1+json"


def timed(
    c: Client, cell: str, payloads: dict[str, Any] | None = None
) -> tuple[float, float, tuple[int, int] | None]:
    """(the whole cell, the cell's own timed part) in seconds, and the number of steps
    the redpill payload the cell displayed says were recorded with the characters of its
    JSON as sent (None without steps); the payload itself is kept in ``payloads["last"]``
    when given."""
    recorded: list[tuple[int, int]] = []

    def hook(msg: dict[str, Any]) -> None:
        data = (
            msg["content"].get("data")
            if msg["msg_type"] in ("display_data", "execute_result")
            else None
        )
        payload = data.get(MIME) if isinstance(data, dict) else None
        if isinstance(payload, dict) and "steps" in payload:
            counts = payload.get("step_counts")
            n = counts["recorded"] if counts else len(payload["steps"])
            recorded.append((n, len(json.dumps(payload, separators=(",", ":")))))
            if payloads is not None:
                payloads["last"] = payload

    c.run(cell, output_hook=hook)
    t0, t1 = c.value("_rp_times[-3:-1]")
    return t1 - t0, float(c.value("_rp_loop")), (recorded[-1] if recorded else None)


def room(
    label: str,
    goal: float,
    plain: float,
    picture: float,
    steps: int,
    payload: dict[str, Any],
) -> None:
    """Print what the speed goal leaves for the steps: the goal's time less the cell under
    ``%%redpill`` with no steps (its one picture), per recorded step, and how long writing
    the recorded payload as JSON takes once here (ipykernel writes each message at least
    once, so this is a floor under any recorder's cost)."""
    left = goal * plain - picture
    print(
        f"{label:<10} the goal leaves {left * 1e3:.1f} ms beyond the one picture of"
        f" %%redpill for {steps} steps: {left / max(steps, 1) * 1e6:.1f} us a step"
    )
    if "last" in payload:
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter()
            json.dumps(payload["last"], separators=(",", ":"))
            best = min(best, time.perf_counter() - t)
        print(
            f"{label:<10} writing the {steps} steps' payload as JSON once takes"
            f" {best * 1e3:.1f} ms here = {best / plain:.2f} x the plain cell"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args()
    c = Client(args.python)
    try:
        c.run(SETUP)
        c.run("%load_ext redpill")
        c.run(AFTER_LOAD)
        version = c.value("__import__('sys').version.split()[0]")
        source = c.value(
            "'sys.monitoring' if __import__('sys').version_info >= (3, 12) else 'sys.settrace'"
        )
        default_cap = c.value("__import__('redpill.options').options.MAX_STEPS")
        print(f"redpill --steps speed, CPython {version} ({source}), kernel {args.python}")
        print(PEERS)
        goal = 1.3 if source == "sys.monitoring" else 2.0
        for label, body in (("loop 10^5", LOOP), ("fib(20)", FIB)):
            variants = {
                "plain": "",
                "%%redpill": "%%redpill s f\n",
                f"--steps (cap {default_cap})": "%%redpill --steps\n",
                "--steps --max-steps 1": "%%redpill --steps --max-steps 1\n",
            }
            best: dict[str, tuple[float, float]] = {k: (float("inf"),) * 2 for k in variants}
            # the steps recorded by each variant's fastest run (the cell time it is paired with)
            recorded: dict[str, tuple[int, int] | None] = dict.fromkeys(variants)
            capped_payload: dict[str, Any] = {}
            for i in range(args.repeat):  # interleaved, the order reversed every other run
                order = list(variants) if i % 2 else list(reversed(variants))
                for name in order:
                    keep = capped_payload if name.startswith("--steps (") else None
                    cell, own, n = timed(c, variants[name] + body, keep)
                    b = best[name]
                    if cell < b[0]:
                        recorded[name] = n
                    best[name] = (min(b[0], cell), min(b[1], own))
            plain_cell, plain_own = best["plain"]
            for name, (cell, own) in best.items():
                line = (
                    f"{label:<10} {name:<24} cell {cell * 1e3:9.1f} ms = {cell / plain_cell:6.2f} x"
                    f" plain | the statements themselves {own * 1e3:8.1f} ms = "
                    f"{own / plain_own:6.2f} x"
                )
                if name.startswith("--steps") and label.startswith("loop"):
                    line += f" (goal <= {goal} x: {'ok' if cell / plain_cell <= goal else 'OVER'})"
                print(line)
            # the cap or, often first, the steps' size budget ends the recording: the
            # difference is divided by the steps the two payloads say were recorded
            many = recorded[f"--steps (cap {default_cap})"]
            few = recorded["--steps --max-steps 1"]
            if many is not None and few is not None:
                (n_many, sent), (n_few, _) = many, few
                capped = best[f"--steps (cap {default_cap})"][0]
                one = best["--steps --max-steps 1"][0]
                per_step = (capped - one) / max(n_many - n_few, 1)
                print(
                    f"{label:<10} about {per_step * 1e6:.0f} us per recorded step"
                    f" ({n_many} steps recorded, against {n_few} with --max-steps 1)"
                )
                print(
                    f"{label:<10} {sent / 1e3:.0f} KB of JSON sent for {n_many} steps"
                    f" ({sent / n_many:.0f} characters a step)"
                )
                if label.startswith("loop"):
                    room(label, goal, plain_cell, best["%%redpill"][0], n_many, capped_payload)
    finally:
        c.close()


if __name__ == "__main__":
    t = time.perf_counter()
    main()
    print(f"(benchmark took {time.perf_counter() - t:.0f} s)")
