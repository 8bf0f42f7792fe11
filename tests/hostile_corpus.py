"""A standing corpus of hostile objects: classes whose every dunder raises, sleeps or lies.

Each case is cell source (it needs only the definitions of :func:`definitions`); the
tests run it with and without redpill and compare what the user can see.  Every hook
logs its call in ``LOG`` first, so a hook that redpill ran shows up as a difference
between the two runs, whatever it then does (a sleeping hook sleeps only briefly, so a
failure is a clear difference, not a hung suite).
"""

from __future__ import annotations

BEHAVIOURS = ("raise", "sleep", "lie")

#: Instance hooks: each logs, then raises, sleeps or returns a lie of the wrong type.
_HOOKS = (
    "__getattribute__",
    "__getattr__",
    "__delattr__",
    "__repr__",
    "__str__",
    "__format__",
    "__eq__",
    "__ne__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__bool__",
    "__len__",
    "__length_hint__",
    "__iter__",
    "__next__",
    "__reversed__",
    "__getitem__",
    "__contains__",
    "__sizeof__",
    "__reduce__",
    "__reduce_ex__",
    "__dir__",
    "__index__",
    "__int__",
    "__float__",
    "__fspath__",
    "__getstate__",
    "__copy__",
    "__deepcopy__",
    "__buffer__",
    "__release_buffer__",
)

#: Metaclass hooks.
_META_HOOKS = (
    "__getattribute__",
    "__getattr__",
    "__repr__",
    "__str__",
    "__instancecheck__",
    "__subclasscheck__",
    "__eq__",
    "__len__",
    "__iter__",
    "__dir__",
    "__sizeof__",
    "__call__",
)


def _hook_source(name: str, owner: str) -> str:
    return (
        f"    def {name}(self, *args, **kwargs):\n"
        f"        return _hostile_hook({owner!r}, {name!r}, self)\n"
    )


def definitions(behaviour: str) -> str:
    """The hostile classes, as source, for one behaviour (``raise``, ``sleep``, ``lie``)."""
    assert behaviour in BEHAVIOURS
    hooks = "".join(_hook_source(h, "instance") for h in _HOOKS)
    meta_hooks = "".join(_hook_source(h, "meta") for h in _META_HOOKS if h != "__call__")
    return f"""
import array as _hostile_array
import time as _hostile_time

LOG = []
_HOSTILE_BEHAVIOUR = {behaviour!r}


def _hostile_hook(owner, name, obj):
    LOG.append((owner, name))
    if _HOSTILE_BEHAVIOUR == "raise":
        raise SystemExit(f"hostile {{name}}")
    if _HOSTILE_BEHAVIOUR == "sleep":
        _hostile_time.sleep(0.5)
        return None
    return 10**12 if name in ("__len__", "__sizeof__", "__index__", "__int__") else object()


class HostileMeta(type):
{meta_hooks}

class Hostile:
{hooks}
    @property
    def __class__(self):
        LOG.append(("instance", "__class__"))
        return int

    @property
    def __dict__(self):
        LOG.append(("instance", "__dict__"))
        return {{"lie": 1}}

    def __hash__(self):
        return 7  # distinct per class (no collisions in the cases' own dicts)


class HostileSlots:
    __slots__ = ("a", "b")
{hooks}

class HostileList(list):
{hooks}

class HostileDict(dict):
{hooks}
    def __hash__(self):
        return 8


class HostileStr(str):
{hooks}
    def __hash__(self):
        return 9


class HostileInt(int):
{hooks}
    def __hash__(self):
        return 10


class HostileBytearray(bytearray):
{hooks}

class HostileArray(_hostile_array.array):
{hooks}

class HostileClass(metaclass=HostileMeta):
    pass
"""


#: name -> cell source (runs after :func:`definitions`; binds names, logs nothing itself).
CASES: dict[str, str] = {
    "instance": "h = Hostile()",
    "slots": "s = HostileSlots()\nobject.__setattr__(s, 'a', [1, 2])",
    "list subclass": "hl = HostileList([1, 'two', 3.0])",
    "dict subclass": "hd = HostileDict(a=1, b=[2])",
    "str subclass": "hs = HostileStr('lying text')",
    "int subclass": "hi = HostileInt(10**30)",
    "class with a metaclass": "k = HostileClass",
    "instance of it": "ki = object.__new__(HostileClass)",
    "as dict key and set member": "d = {Hostile(): 1, HostileStr('k'): 2}\nst = {HostileInt(5)}",
    "in containers": "c = [Hostile(), (HostileSlots(), HostileList()), {'x': HostileDict()}]",
    "cycle": "cy = HostileList()\nlist.append(cy, cy)\nlist.append(cy, Hostile())",
    "bytearray subclass": "hb = HostileBytearray(b'secret bytes')\nbytearray.extend(hb, b'!')",
    "array subclass": "ha = HostileArray('d', [1.5, 2.5])",
    # a view of a plain bytearray inside a hostile container (memoryview() of a hostile
    # object would call its __buffer__ in the case's own source)
    "memoryview": "mv = memoryview(bytearray(b'abcdef'))[1::2]\nhv = HostileList([mv])",
}
