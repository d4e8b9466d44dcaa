#!/usr/bin/env python3
"""Writes property-list fixtures with Python's plistlib, and the tree each one must read as.

Run it from anywhere:  python3 generate.py
It writes, next to itself, NAME.xml.plist / NAME.binary.plist (plistlib.FMT_XML / FMT_BINARY) and, for each,
NAME.xml.json / NAME.binary.json: the value plistlib loads back from that file, in this JSON mapping
(the same one the tests produce from XSystem's tree):

  dict -> object, array -> array, string -> string, true/false -> booleans,
  integer in the signed 64-bit range -> number, other integers -> {"$bigint": "decimal digits"},
  real -> {"$real": number} or {"$real": "nan" | "inf" | "-inf"},
  data -> {"$data": "base64"},
  date -> {"$date": "YYYY-MM-DDTHH:MM:SS[.ffffff]Z"} (UTC; fraction only when not zero),
  UID -> {"$uid": n}.

The interop test also calls  python3 generate.py --describe FILE  to print FILE's mapping as plistlib reads it,
so files XSystem writes are checked by plistlib itself.
"""
import base64
import datetime
import json
import math
import os
import plistlib
import sys


def describe(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if -2**63 <= value < 2**63 else {"$bigint": str(value)}
    if isinstance(value, float):
        if math.isnan(value):
            return {"$real": "nan"}
        if math.isinf(value):
            return {"$real": "inf" if value > 0 else "-inf"}
        return {"$real": value}
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return {"$data": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, datetime.datetime):
        text = value.strftime("%Y-%m-%dT%H:%M:%S")
        if value.microsecond:
            text += ".%06d" % value.microsecond
        return {"$date": text + "Z"}
    if isinstance(value, plistlib.UID):
        return {"$uid": value.data}
    if isinstance(value, dict):
        return {key: describe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [describe(item) for item in value]
    raise TypeError("unexpected %r" % type(value))


def dumps_json(value):
    return json.dumps(describe(value), ensure_ascii=False, indent=1) + "\n"


FIXTURES = {
    "scalars": {
        "string": "plain",
        "unicode": "Grüße, 日本語, emoji 🎉",
        "empty_string": "",
        "long_string": "a string longer than fourteen characters",
        "zero": 0,
        "one_byte": 255,
        "two_bytes": 65535,
        "four_bytes": 2**32 - 1,
        "eight_bytes": 2**32,
        "minus_one": -1,
        "int64_min": -2**63,
        "int64_max": 2**63 - 1,
        "above_int64": 2**63,
        "uint64_max": 2**64 - 1,
        "real": 1.5,
        "negative_real": -0.25,
        "big_real": 1e300,
        "tiny_real": 5e-324,
        "pi": 3.141592653589793,
        "nan": float("nan"),
        "inf": float("inf"),
        "minus_inf": float("-inf"),
        "true": True,
        "false": False,
        "data": b"\x00\x01\xfe\xff",
        "empty_data": b"",
        "long_data": bytes(range(40)),
        "date": datetime.datetime(2013, 3, 21, 20, 4, 0),
        "date_with_micros": datetime.datetime(2020, 1, 2, 3, 4, 5, 250000),
        "old_date": datetime.datetime(1970, 1, 1, 0, 0, 0),
    },
    "nested": {
        "a": [1, [2, [3, {"b": []}]], {}],
        "empty_dict": {},
        "empty_array": [],
        "deep": {"l1": {"l2": {"l3": {"l4": ["bottom"]}}}},
        "list_of_dicts": [{"name": "n%d" % i, "size": i} for i in range(20)],
    },
    "many_objects": {"items": ["item %d" % i for i in range(400)], "numbers": list(range(300))},
    "top_level_array": ["x", 1, 2.5, True, {"k": "v"}],
    "uids": {"$objects": [plistlib.UID(0), plistlib.UID(255), plistlib.UID(300), plistlib.UID(70000), plistlib.UID(2**40)]},
}

XML_UNSUPPORTED = {"uids"}  # plistlib writes UIDs in the binary form only


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--describe":
        with open(sys.argv[2], "rb") as handle:
            sys.stdout.write(dumps_json(plistlib.load(handle)))
        return
    here = os.path.dirname(os.path.abspath(__file__))
    for name, value in FIXTURES.items():
        for kind, fmt in (("xml", plistlib.FMT_XML), ("binary", plistlib.FMT_BINARY)):
            if kind == "xml" and name in XML_UNSUPPORTED:
                continue
            data = plistlib.dumps(value, fmt=fmt, sort_keys=False)
            with open(os.path.join(here, "%s.%s.plist" % (name, kind)), "wb") as handle:
                handle.write(data)
            with open(os.path.join(here, "%s.%s.json" % (name, kind)), "w", encoding="utf-8", newline="\n") as handle:
                handle.write(dumps_json(plistlib.loads(data)))


if __name__ == "__main__":
    main()
