"""What the collector does with its own failures: a note for the picture, and nothing
kept alive.

No exception of the collector's may reach the user's cell or the kernel, not even
``SystemExit`` or ``KeyboardInterrupt`` (the user interrupting while objects are read).
A caught exception's traceback holds the frames that were reading, and with them
the objects they read: :func:`forget_frames` clears them before the exception is
dropped.
"""

from __future__ import annotations

import traceback

from .kinds import exception_name
from .text import shown


def failure_note(exc: BaseException) -> str:
    """What the picture says when reading the objects failed with ``exc``."""
    if isinstance(exc, KeyboardInterrupt):
        return (
            "redpill was interrupted while it read this cell's objects: no picture. "
            "The cell itself ran normally."
        )
    try:
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    except BaseException:
        detail = exception_name(exc)
    return (
        f"redpill could not read this cell's objects ({shown(detail, 1000)}). "
        "The cell itself ran normally. Please report this."
    )


def forget_frames(exc: BaseException) -> None:
    """Clear the local variables of the finished frames in ``exc``'s traceback (the
    collector's: they may hold the objects it was reading) and drop the traceback."""
    try:
        traceback.clear_frames(exc.__traceback__)
    except RuntimeError:  # a frame still running (not one of the collector's)
        pass
    exc.__traceback__ = None
    exc.__context__ = None


__all__ = ["failure_note", "forget_frames"]
