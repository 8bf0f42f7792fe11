"""Real ipykernels for the tests: start one, execute code, collect what iopub says."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
MIME = "application/vnd.redpill.v1+json"


# --------------------------------------------------------------------------------------------
# real kernels


@dataclass
class Execution:
    """What one execute_request produced on iopub, plus the shell reply."""

    reply: dict[str, Any]
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return str(self.reply["content"]["status"])

    def of_type(self, msg_type: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["msg_type"] == msg_type]

    @property
    def stdout(self) -> str:
        return "".join(
            m["content"]["text"] for m in self.of_type("stream") if m["content"]["name"] == "stdout"
        )

    @property
    def stderr(self) -> str:
        return "".join(
            m["content"]["text"] for m in self.of_type("stream") if m["content"]["name"] == "stderr"
        )

    @property
    def bundles(self) -> list[dict[str, Any]]:
        return [m["content"]["data"] for m in self.of_type("display_data")]

    @property
    def sent_payloads(self) -> list[dict[str, Any]]:
        """The payloads as the kernel sent them (``--steps`` written compactly)."""
        return [b[MIME] for b in self.bundles if MIME in b]

    @property
    def payloads(self) -> list[dict[str, Any]]:
        """The payloads as the renderer reads them: each step and stored version whole
        (``redpill.compact.expand``; the form sent is checked in tests/test_compact.py)."""
        from redpill.compact import expand

        return [expand(p) for p in self.sent_payloads]

    @property
    def payload(self) -> dict[str, Any]:
        (p,) = self.payloads
        return p

    @property
    def results(self) -> list[dict[str, Any]]:
        return [m["content"] for m in self.of_type("execute_result")]

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [m["content"] for m in self.of_type("error")]


class Kernel:
    """A started ipykernel with a blocking client."""

    def __init__(self, km: Any, kc: Any) -> None:
        self.km = km
        self.kc = kc

    def execute(self, code: str, timeout: float = 60.0, **kw: Any) -> Execution:
        kc = self.kc
        msg_id = kc.execute(code, **kw)
        deadline = time.monotonic() + timeout
        messages: list[dict[str, Any]] = []
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no idle status within {timeout}s for {code[:80]!r}")
            msg = kc.get_iopub_msg(timeout=remaining)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status":
                if msg["content"]["execution_state"] == "idle":
                    break
                continue
            messages.append(msg)
        reply = kc.get_shell_msg(timeout=max(1.0, deadline - time.monotonic()))
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=max(1.0, deadline - time.monotonic()))
        return Execution(reply, messages)

    def ok(self, code: str, timeout: float = 60.0) -> Execution:
        ex = self.execute(code, timeout)
        assert ex.status == "ok", (ex.errors, ex.stderr)
        return ex

    def value(self, expr: str) -> Any:
        """Evaluate ``expr`` in the kernel; it must be JSON-serialisable."""
        ex = self.ok(f"import json as _rp_json; print(_rp_json.dumps({expr}))")
        return json.loads(ex.stdout.strip().splitlines()[-1])


def shown_html(html: str) -> str:
    """What a reader sees of a live ``text/html`` where its script does not run: the markup
    without the comments (payload, packed code) and scripts it carries."""
    return re.sub(r"<!--.*?-->|<script\b.*?</script>", "", html, flags=re.DOTALL)


def kernel_python() -> str:
    return os.environ.get("REDPILL_KERNEL_PYTHON") or sys.executable


def start_kernel(tmp: Path, python: str | None = None) -> Kernel:
    pytest.importorskip("ipykernel")
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    python = python or kernel_python()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.pop("PYDEVD_DISABLE_FILE_VALIDATION", None)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    spec_dir = tmp / "kernels" / "redpill-test"
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    python,
                    "-Xfrozen_modules=off",
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                "display_name": "redpill test kernel",
                "language": "python",
                "env": {"PYTHONPATH": env["PYTHONPATH"]},
            }
        )
    )
    ksm = KernelSpecManager(kernel_dirs=[str(tmp / "kernels")])
    km = KernelManager(kernel_name="redpill-test", kernel_spec_manager=ksm)
    km.start_kernel(env=env, cwd=str(tmp))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
    except Exception:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise
    return Kernel(km, kc)


def stop_kernel(k: Kernel) -> None:
    k.kc.stop_channels()
    k.km.shutdown_kernel(now=True)
