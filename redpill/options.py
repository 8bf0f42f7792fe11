"""The collector's options (the ``%%redpill`` arguments), bounded so that every list and
string of a payload stays within the schema."""

from __future__ import annotations

from dataclasses import dataclass

from .memory import (
    MAX_READ,
)
from .text import TEXT_CHARS

#: Default for ``--max-steps``: later steps are not recorded (the cell runs on at full speed).
MAX_STEPS = 300
#: The largest ``--max-steps`` (a larger one is lowered to it).
MAX_STEPS_LIMIT = 10_000

#: The largest value each collector option takes (larger arguments are lowered to it):
#: with them, one payload's lists and strings stay within the schema's bounds.
OPTION_LIMITS: dict[str, int] = {
    "depth": 100,
    "max_objects": 10_000,
    "max_items": 10_000,
    "max_text": TEXT_CHARS // 10,  # an escaped lone surrogate takes 6 characters
    "max_bytes": 65_536,  # shown as hex: two characters a byte
}


@dataclass(frozen=True)
class Options:
    """Collector options (the magic's arguments).  Defaults are documented in the magic."""

    depth: int = 2
    max_objects: int = 100
    max_items: int = 50
    max_bytes: int = 128
    max_text: int = 200
    hide: frozenset[str] = frozenset()
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # one read never exceeds memory.MAX_READ: more bytes could not be shown anyway
        object.__setattr__(self, "max_bytes", max(0, min(self.max_bytes, MAX_READ)))
        # every size in the payload is bounded, whatever the arguments say
        for name, most in OPTION_LIMITS.items():
            object.__setattr__(self, name, max(0, min(getattr(self, name), most)))

    def as_payload(self) -> dict[str, object]:
        """The payload's ``options`` block for these options."""
        return {
            "depth": self.depth,
            "max_objects": self.max_objects,
            "max_items": self.max_items,
            "max_bytes": self.max_bytes,
            "max_text": self.max_text,
            "hide": sorted(self.hide),
            "names": list(self.names),
        }


@dataclass(frozen=True)
class InstructorOptions:
    """The instructors' options of one cell (``--steps``, ``--max-steps``, ``--diff``,
    ``--quiz``) and the names ``%redpill_config hide_names=`` keeps out of the picture.
    The defaults: none of it."""

    steps: bool = False
    max_steps: int = MAX_STEPS
    diff: bool = False
    quiz: tuple[str, ...] = ()
    hide_names: frozenset[str] = frozenset()

    def as_payload(self) -> dict[str, object]:
        """The payload's ``options`` keys for these."""
        return {
            "steps": self.steps,
            "max_steps": self.max_steps,
            "diff": self.diff,
            "quiz": list(self.quiz),
            "hide_names": sorted(self.hide_names),
        }
