"""Serve a built JupyterLite site on 127.0.0.1 (standard library only).

Usage: python serve.py SITE_DIR [PORT]   (default port 8000)

Static hosting is all the site needs; this server only makes sure WebAssembly
and ES modules get their MIME types, and that nothing is cached between runs.
"""

from __future__ import annotations

import functools
import http.server
import sys
from pathlib import Path


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types Pyodide needs and no caching."""

    extensions_map = {  # noqa: RUF012 (the base class declares it the same way)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".whl": "application/zip",
    }

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def main(site: str, port: str = "8000") -> None:
    root = Path(site).resolve()
    if not (root / "jupyter-lite.json").is_file():
        raise SystemExit(
            f"error: {root} is not a built JupyterLite site (run bash scripts/lite.sh)"
        )
    handler = functools.partial(SiteHandler, directory=str(root))
    with http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), handler) as server:
        print(f"Serving {root} at http://127.0.0.1:{port}/ (Ctrl+C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    if not 2 <= len(sys.argv) <= 3:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
