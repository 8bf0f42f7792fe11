"""A class on one machine: many students' kernels running %%redpill at the same moment.

Starts N real ipykernels (20 by default: what 20 users' single-user servers of a
JupyterHub run, one kernel each), then, round after round, sends every kernel the same
cell at once, first plain and then under %%redpill, and times each cell from the
execute request to its reply. Prints the median and 90th percentile per cell for both,
and the %%redpill cell's time as a ratio to the plain cell's. The extension keeps no
state outside a kernel and a page, so this is all the load a class adds.

    python benchmarks/hub_load.py [--kernels 20] [--rounds 5]

Prints results only; no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from jupyter_client import AsyncKernelClient, AsyncKernelManager

ROOT = Path(__file__).resolve().parents[1]
CELL = "x = [1042]\ny = x\nname = 'student'"


async def run_cell(client: AsyncKernelClient, code: str) -> float:
    start = time.perf_counter()
    reply = await client.execute_interactive(code, timeout=600, output_hook=lambda msg: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"cell failed: {reply['content']}")
    return time.perf_counter() - start


async def main(kernels: int, rounds: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    managers = [AsyncKernelManager(kernel_name="python3") for _ in range(kernels)]
    await asyncio.gather(*(m.start_kernel(env=env, stderr=subprocess.DEVNULL) for m in managers))
    clients = [m.client() for m in managers]
    for c in clients:
        c.start_channels()
    await asyncio.gather(*(c.wait_for_ready(timeout=600) for c in clients))
    print(f"{kernels} kernels ready in {time.perf_counter() - t0:.1f} s on {os.cpu_count()} CPUs")
    try:
        await asyncio.gather(*(run_cell(c, "%load_ext redpill") for c in clients))
        plain: list[float] = []
        magic: list[float] = []
        # One warm-up round of each, not counted.
        await asyncio.gather(*(run_cell(c, CELL) for c in clients))
        await asyncio.gather(*(run_cell(c, "%%redpill\n" + CELL) for c in clients))
        for _ in range(rounds):
            plain += await asyncio.gather(*(run_cell(c, CELL) for c in clients))
            magic += await asyncio.gather(*(run_cell(c, "%%redpill\n" + CELL) for c in clients))
    finally:
        for c in clients:
            c.stop_channels()
        await asyncio.gather(*(m.shutdown_kernel(now=True) for m in managers))

    def q(xs: list[float], p: float) -> float:
        return sorted(xs)[min(len(xs) - 1, int(p * len(xs)))] * 1000

    print(f"cells per kind: {len(plain)} ({kernels} kernels x {rounds} rounds, all at once)")
    print(f"plain cell      median {q(plain, 0.5):8.1f} ms   p90 {q(plain, 0.9):8.1f} ms")
    print(f"%%redpill cell  median {q(magic, 0.5):8.1f} ms   p90 {q(magic, 0.9):8.1f} ms")
    ratio = statistics.median(magic) / statistics.median(plain)
    added = (statistics.median(magic) - statistics.median(plain)) * 1000
    print(f"%%redpill / plain (medians): {ratio:.1f}x; added per cell: {added:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernels", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.kernels, args.rounds))
    sys.exit(0)
