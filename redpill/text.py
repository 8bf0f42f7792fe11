"""Text the kernel sends: every user-derived string is made encodable and capped here.

Python strings may hold lone surrogates (``'a\\ud800b'`` is legal Python, and so is
``globals()['\\udc00'] = 1``); UTF-8 cannot encode them, and one such character would
make the whole output message fail.  :func:`sendable` writes each one as its
``\\udXXXX`` escape.  Every string taken from the user's objects (names, type and
module names, attribute names, text, notes that quote them) also passes a length
cap, and a cut string says how much was left out.
"""

from __future__ import annotations

#: Most characters of a name-like string shown: variable, attribute, type and module names.
NAME_CHARS = 200
#: Most characters of any other user-derived text (``--max-text`` is capped at this).
TEXT_CHARS = 100_000


def has_surrogates(s: str) -> bool:
    """Whether ``s`` holds a lone surrogate (a character UTF-8 cannot encode)."""
    if s.isascii():
        return False
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def sendable(s: str) -> str:
    """``s`` with every lone surrogate written as its ``\\udXXXX`` escape."""
    if not has_surrogates(s):
        return s
    return s.encode("utf-8", "backslashreplace").decode("utf-8")


def cut(s: str, cap: int) -> str:
    """``s`` cut to ``cap`` characters, saying how many were left out."""
    if len(s) <= cap:
        return s
    return f"{s[:cap]}… (+{len(s) - cap:,} characters)"


def shown(s: str, cap: int = NAME_CHARS) -> str:
    """A user-derived string as it is sent: surrogates escaped, then cut to ``cap``
    characters (the part past the cap is never escaped: a huge string costs nothing)."""
    n = len(s)
    if n > cap:
        return f"{sendable(s[:cap])[:cap]}… (+{n - cap:,} characters)"
    return cut(sendable(s), cap)


__all__ = ["NAME_CHARS", "TEXT_CHARS", "cut", "has_surrogates", "sendable", "shown"]
