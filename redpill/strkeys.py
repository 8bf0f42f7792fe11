"""Reading str-keyed dicts that may hold hostile keys, without running user code.

A lookup such as ``d["__module__"]``, ``name in namespace`` or ``dict.get(d, "x")``
hashes the key and, when another key of ``d`` has the same hash, calls that key's
``__eq__``: user code, which may raise ``SystemExit``, sleep forever or change what is
being read.  Iterating a dict with the builtin ``dict.items`` calls nothing, and an
exact ``str`` compared with another exact ``str`` calls nothing either, so these
helpers find keys by walking the dict once and keeping the exact ``str`` keys asked
for.  A mapping proxy (a class's ``__dict__``) is walked through the dict behind it.
"""

from __future__ import annotations

import types
from collections.abc import Collection, Iterable, Mapping
from typing import Any

_PROXY_ITEMS: Any = types.MappingProxyType.items


def _items(mapping: object) -> Iterable[tuple[object, object]]:
    tp = type(mapping)
    if tp is dict:
        return dict.items(mapping)  # type: ignore[arg-type]
    if tp is types.MappingProxyType:
        return _PROXY_ITEMS(mapping)  # type: ignore[no-any-return]
    if any(b is dict for b in type.__dict__["__mro__"].__get__(tp, type)):
        return dict.items(mapping)  # type: ignore[arg-type]
    raise TypeError(f"not a dict: {tp.__name__}")


def str_values(mapping: object, keys: Collection[str]) -> dict[str, object]:
    """``{key: value}`` for the exact-``str`` keys of ``mapping`` that are in ``keys``
    (a set of exact ``str``), found by one walk over the dict: no user ``__eq__`` or
    ``__hash__`` runs.  Raises ``RuntimeError`` if another thread resizes the dict."""
    out: dict[str, object] = {}
    for k, v in _items(mapping):
        if type(k) is str and k in keys:
            out[k] = v
    return out


def str_value(mapping: object, key: str, default: object = None) -> object:
    """The value of the exact-``str`` key ``key`` in ``mapping`` (``default`` if absent),
    found without hashing or comparing any key of the user's."""
    for k, v in _items(mapping):
        if type(k) is str and k == key:
            return v
    return default


def str_keyed(mapping: Mapping[str, object]) -> Iterable[tuple[str, object]]:
    """The ``(key, value)`` pairs of ``mapping`` whose key is an exact ``str``."""
    for k, v in _items(mapping):
        if type(k) is str:
            yield k, v


__all__ = ["str_keyed", "str_value", "str_values"]
