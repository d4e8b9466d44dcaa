#!/usr/bin/env python3
"""Times the seed User (nested address, "30" coercion) with pydantic 1.10 and with XSystem.Validation.

Usage: python3 bench/validation/pydantic_compare.py [--no-dotnet]

pydantic 1.10 is taken from an installed pydantic 1.x (Debian's python3-pydantic on bookworm) or, when only
pydantic 2 is installed, from its bundled `pydantic.v1` package (the 1.10 code base, usually not Cython-compiled,
so slower than a compiled 1.10 build: the script says which one it measured). pydantic 2 is timed too when present.
"""
import os
import subprocess
import sys
import timeit

INPUT = {
    "name": "John",
    "age": "30",
    "email": "john@example.com",
    "address": {"street": "1 Main St", "city": "Springfield", "zip": "12345"},
    "tags": ["a", "b"],
}


def best_us(fn, number=20000, repeat=5):
    fn()
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def v1_module():
    try:
        import pydantic
    except ImportError:
        return None, None
    if pydantic.VERSION.startswith("1."):
        return pydantic, "pydantic %s (compiled=%s)" % (pydantic.VERSION, getattr(pydantic, "compiled", "?"))
    try:
        import pydantic.v1 as v1
    except ImportError:
        return None, None
    return v1, "pydantic.v1 %s bundled with pydantic %s (compiled=%s)" % (v1.VERSION, pydantic.VERSION, getattr(v1, "compiled", "?"))


def time_v1(pd):
    from typing import List, Optional

    class Address(pd.BaseModel):
        street: str
        city: str
        zip: pd.constr(regex=r"^\d{5}$")

    class User(pd.BaseModel):
        name: str
        age: pd.conint(ge=0, le=150)
        email: pd.constr(regex=r"^[^@]+@[^@]+\.[^@]+$") = ""
        address: Optional[Address] = None
        tags: List[str] = []

    assert User.parse_obj(INPUT).age == 30
    return best_us(lambda: User.parse_obj(INPUT))


def time_v2():
    try:
        import pydantic
    except ImportError:
        return None, None
    if not pydantic.VERSION.startswith("2."):
        return None, None
    from typing import List, Optional
    from pydantic import BaseModel, Field

    class Address(BaseModel):
        street: str
        city: str
        zip: str = Field(pattern=r"^\d{5}$")

    class User(BaseModel):
        name: str
        age: int = Field(ge=0, le=150)
        email: str = Field(default="", pattern=r"^[^@]+@[^@]+\.[^@]+$")
        address: Optional[Address] = None
        tags: List[str] = []

    assert User.model_validate(INPUT).age == 30
    return best_us(lambda: User.model_validate(INPUT)), "pydantic %s" % pydantic.VERSION


def time_dotnet():
    root = os.path.dirname(os.path.abspath(__file__))
    project = os.path.join(root, "SeedTiming", "SeedTiming.csproj")
    out = subprocess.run(["dotnet", "run", "-c", "Release", "--project", project], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main():
    pd, label = v1_module()
    if pd is None:
        print("pydantic 1.10 is not importable. Install it with: sudo apt-get install python3-pydantic (Debian bookworm)"
              " or: pip install 'pydantic<2'  (pydantic 2 also works: its bundled pydantic.v1 is used).")
        return 0
    v1_us = time_v1(pd)
    print("%-70s %8.3f us" % (label, v1_us))
    v2_us, v2_label = time_v2()
    if v2_us is not None:
        print("%-70s %8.3f us" % (v2_label, v2_us))
    if "--no-dotnet" in sys.argv:
        return 0
    cs_us = time_dotnet()
    print("%-70s %8.3f us" % ("XSystem.Validation (SeedTiming, Release)", cs_us))
    print("speed-up over pydantic 1.10: %.1fx" % (v1_us / cs_us))
    if v2_us is not None:
        print("speed-up over pydantic 2:    %.1fx" % (v2_us / cs_us))
    return 0


if __name__ == "__main__":
    sys.exit(main())
