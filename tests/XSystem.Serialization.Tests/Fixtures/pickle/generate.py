#!/usr/bin/env python3
"""Writes the pickle fixtures for XSystem's restricted pickle reader.

Run from anywhere with python3 (3.8 or later, for protocol 5):

    python3 generate.py            # (re)writes every fixture next to this script
    python3 generate.py --describe FILE.pkl
                                   # loads FILE.pkl (trusted input only!) and prints its tagged JSON

Output, next to this script:
- protocol{0..5}.pkl + protocol{N}.expected.json: one rich plain-data object pickled with every protocol.
- small_protocol{0..5}.pkl + .expected.json: a small object with the common opcodes (the fuzz test mutates these).
- py2_protocol0.pkl / py2_protocol2.pkl + .expected.json: hand-written pickles with the Python 2 string opcodes
  (STRING, BINSTRING, SHORT_BINSTRING) and text integers, which Python 3 never writes.
- malicious/*.pkl + malicious/manifest.json: pickles that would run code if loaded with pickle.load; the manifest
  names the global each one refers to. Nothing here is ever loaded by this script.

Expected JSON uses XSystem's documented mapping (docs/serialization/pickle.md). Values JSON cannot hold are tagged
as one-member objects: {"$int": "digits"} (beyond 64 bits), {"$float": "repr"}, {"$bytes": "base64"},
{"$datetime": iso}, {"$datetimeoffset": iso}, {"$date": iso}, {"$time": iso}, {"$timedelta": [days, seconds, us]},
{"$decimal": "text"}. Non-string dict keys become compact JSON text (tuples as arrays).
"""

import base64
import collections
import datetime
import decimal
import json
import os
import pickle
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MARKER = "/tmp/xsystem-pickle-pwned"
DECIMAL_MAX_DIGITS = 28


def key_text(key):
    if isinstance(key, str):
        return key
    return json.dumps(_key_json(key), ensure_ascii=False, separators=(",", ":"))


def _key_json(key):
    if isinstance(key, tuple):
        return [_key_json(item) for item in key]
    if key is None or isinstance(key, (bool, int, float, str)):
        return key
    raise TypeError("unsupported key type: %r" % (key,))


def decimal_fits(value):
    """The reader keeps a Decimal as a .NET decimal when its text is plain digits that .NET formats the same way."""
    text = str(value)
    body = text[1:] if text.startswith("-") else text
    if not body or text == "-0" or any(c not in "0123456789." for c in body) or body.count(".") > 1:
        return False
    if body.startswith(".") or body.endswith("."):
        return False
    digits = body.replace(".", "").lstrip("0")
    return len(digits) <= DECIMAL_MAX_DIGITS and len(body.replace(".", "")) <= 29


def tag(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if -(2 ** 63) <= value < 2 ** 63 else {"$int": str(value)}
    if isinstance(value, float):
        return {"$float": repr(value)}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, datetime.datetime):
        return {"$datetimeoffset" if value.tzinfo is not None else "$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, datetime.time):
        # An aware time has no tree type: it becomes its ISO 8601 text.
        return value.isoformat() if value.tzinfo is not None else {"$time": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"$timedelta": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)} if decimal_fits(value) else str(value)
    if isinstance(value, dict):
        return {key_text(k): tag(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [tag(item) for item in value]
    raise TypeError("no mapping for %r" % (type(value),))


def rich_object():
    utc = datetime.timezone.utc
    plus = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
    minus = datetime.timezone(datetime.timedelta(hours=-8), "PST")
    shared_list = [1, "shared", 2.5]
    shared_dict = {"k": "v"}
    return {
        "none": None,
        "true": True,
        "false": False,
        "ints": [0, 7, 255, 256, 65535, 65536, 2 ** 31 - 1, 2 ** 31, -1, -(2 ** 31), -(2 ** 31) - 1,
                 2 ** 63 - 1, -(2 ** 63), 2 ** 63, -(2 ** 63) - 1, 2 ** 100, -(3 ** 80), 10 ** 40],
        "floats": [0.0, -0.0, 1.0, 3.141592653589793, -0.25, 1e300, 5e-324, 1.7976931348623157e308,
                   float("inf"), float("-inf"), float("nan")],
        "text": "hello",
        "unicode": "Grüße, 日本語, emoji 🎉 and a ZWJ 👨‍👩‍👧",
        "escapes": "quote ' double \" backslash \\ newline \n tab \t nul \x00 del \x7f",
        "empty_text": "",
        "long_text": "x" * 300,
        "bytes": b"\x00\x01\x7f\x80\xff",
        "empty_bytes": b"",
        "long_bytes": bytes(range(256)) * 2,
        "bytearray": bytearray(b"abc\xff"),
        "empty_bytearray": bytearray(),
        "list": [1, "two", 3.0, None, [4, [5, []]]],
        "tuples": [(), (1,), (1, 2), (1, 2, 3), (1, "a", (2.5, None), [7])],
        "empty_list": [],
        "empty_dict": {},
        "set": {1, 2, 3},
        "frozenset": frozenset({"x"}),
        "empty_set": set(),
        "empty_frozenset": frozenset(),
        "datetime": datetime.datetime(2024, 2, 29, 13, 45, 30, 123456),
        "datetime_whole": datetime.datetime(1999, 12, 31, 23, 59, 59),
        "datetime_min": datetime.datetime(1, 1, 1),
        "datetime_utc": datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=utc),
        "datetime_plus": datetime.datetime(2024, 6, 30, 12, 0, tzinfo=plus),
        "datetime_minus": datetime.datetime(2023, 11, 5, 1, 30, tzinfo=minus),
        "date": datetime.date(2020, 2, 29),
        "time": datetime.time(23, 59, 59, 999999),
        "time_midnight": datetime.time(0, 0),
        "time_aware": datetime.time(8, 15, tzinfo=plus),
        "timedelta": datetime.timedelta(days=1, seconds=3723, microseconds=456),
        "timedelta_negative": datetime.timedelta(days=-1, seconds=5),
        "timedelta_zero": datetime.timedelta(0),
        "decimal": decimal.Decimal("1.10"),
        "decimal_negative": decimal.Decimal("-12345.6789"),
        "decimal_big": decimal.Decimal("1E+100"),
        "decimal_nan": decimal.Decimal("NaN"),
        "ordered": collections.OrderedDict([("z", 1), ("a", [2]), ("m", {"n": None})]),
        "int_keys": {1: "one", -2: "minus two", 2 ** 70: "big"},
        "other_keys": {None: "none", True: "true", 2.5: "float", (1, "a", (None,)): "tuple"},
        "shared": [shared_list, shared_list, shared_dict, {"again": shared_dict}],
        "nested": {"a": {"b": {"c": [{"d": [[{}]]}]}}},
        "many": list(range(2500)),
        "wide": {"k%d" % i: i for i in range(1200)},
        "many_strings": ["s%d" % (i % 10) for i in range(1500)],
    }


def small_object():
    """A small object for the fuzz-style mutation test: every common opcode in a few hundred bytes."""
    return {
        "name": "demo",
        "n": [0, -1, 300, 70000, 2 ** 40, 2 ** 80],
        "f": 2.5,
        "b": b"\x00\xff",
        "ba": bytearray(b"ab"),
        "t": (1, ("x", None), True),
        "s": {3},
        "fs": frozenset({4}),
        "when": datetime.datetime(2024, 5, 6, 7, 8, 9, 10, tzinfo=datetime.timezone.utc),
        "d": decimal.Decimal("9.99"),
        "od": collections.OrderedDict([("k", [])]),
    }


def py2_protocol0():
    """A pickle as Python 2 writes it with protocol 0: STRING, text INT/LONG, GLOBAL-free."""
    return (b"(dp0\n"
            b"S'name'\np1\nS'caf\\xe9 \\'quoted\\' \\n'\np2\ns"
            b"S'count'\np3\nI42\ns"
            b"S'flag'\np4\nI01\ns"
            b"S'off'\np5\nI00\ns"
            b"S'big'\np6\nL123456789012345678901234567890L\ns"
            b"S'neg'\np7\nI-17\ns"
            b"S'pi'\np8\nF3.25\ns"
            b"S'dq'\np9\nS\"it's\"\np10\ns"
            b"S'u'\np11\nVsnow \\u2603 and \\U0001f389\np12\ns"
            b"S'items'\np13\n(lp14\nI1\naS'two'\np15\nag2\na(I3\nI4\ntp16\nas"
            b".")


def py2_protocol2():
    """A pickle as Python 2 writes it with protocol 2: SHORT_BINSTRING, BINSTRING, BININT*, LONG1."""
    long_text = b"y" * 300
    return (b"\x80\x02}q\x00(U\x04nameq\x01U\x04caf\xe9q\x02"
            b"U\x05countq\x03K*"
            b"U\x04longq\x04T" + len(long_text).to_bytes(4, "little") + long_text + b"q\x05"
            b"U\x03bigq\x06\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01"
            b"U\x05tupleq\x07K\x01K\x02\x86q\x08"
            b"u.")


def malicious():
    class Reduce(object):
        def __init__(self, func, args):
            self.func = func
            self.args = args

        def __reduce__(self):
            return (self.func, self.args)

    command = "touch " + MARKER
    cases = collections.OrderedDict()
    cases["os_system_reduce.pkl"] = (pickle.dumps(Reduce(os.system, (command,)), protocol=2), os.system.__module__ + ".system")
    cases["os_system_stack_global.pkl"] = (pickle.dumps(Reduce(os.system, (command,)), protocol=4), os.system.__module__ + ".system")
    cases["builtins_eval.pkl"] = (pickle.dumps(Reduce(eval, ("__import__('os').system(%r)" % command,)), protocol=4), "builtins.eval")
    cases["subprocess_popen.pkl"] = (pickle.dumps(Reduce(subprocess.Popen, (["touch", MARKER],)), protocol=3), "subprocess.Popen")
    cases["posix_system_protocol0.pkl"] = (b"cposix\nsystem\n(S'" + command.encode() + b"'\ntR.", "posix.system")
    cases["nested_in_list.pkl"] = (pickle.dumps([1, {"a": [Reduce(os.system, (command,))]}], protocol=5), os.system.__module__ + ".system")
    cases["inst_opcode.pkl"] = (b"(S'" + command.encode() + b"'\nios\nsystem\n.", "os.system")
    cases["newobj_instance.pkl"] = (pickle.dumps(Evil(), protocol=2), "__main__.Evil")
    cases["newobj_instance_protocol5.pkl"] = (pickle.dumps({"x": Evil()}, protocol=5), "__main__.Evil")
    cases["builtins_getattr.pkl"] = (pickle.dumps(Reduce(getattr, (Reduce(__import__, ("os",)), "system")), protocol=4), "builtins.getattr")
    cases["copyreg_reconstructor.pkl"] = (pickle.dumps(Evil(), protocol=0), "copy_reg._reconstructor")
    return cases


class Evil(object):
    """A plain class: loading an instance would import this module and run its code."""

    def __init__(self):
        self.payload = "touch " + MARKER


def write(path, data):
    with open(path, "wb") as handle:
        handle.write(data)


def write_json(path, value):
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(value, handle, ensure_ascii=False, indent=1, allow_nan=False)
        handle.write("\n")


def generate():
    obj = rich_object()
    expected = tag(obj)
    for protocol in range(6):
        write(os.path.join(HERE, "protocol%d.pkl" % protocol), pickle.dumps(obj, protocol=protocol))
        write_json(os.path.join(HERE, "protocol%d.expected.json" % protocol), expected)
    small = small_object()
    for protocol in range(6):
        write(os.path.join(HERE, "small_protocol%d.pkl" % protocol), pickle.dumps(small, protocol=protocol))
        write_json(os.path.join(HERE, "small_protocol%d.expected.json" % protocol), tag(small))
    for name, data in (("py2_protocol0", py2_protocol0()), ("py2_protocol2", py2_protocol2())):
        write(os.path.join(HERE, name + ".pkl"), data)
        # Python 3 reads Python 2 str with encoding='latin1' to str: the mapping XSystem documents.
        write_json(os.path.join(HERE, name + ".expected.json"), tag(pickle.loads(data, encoding="latin1")))
    directory = os.path.join(HERE, "malicious")
    os.makedirs(directory, exist_ok=True)
    manifest = collections.OrderedDict()
    for name, (data, global_name) in malicious().items():
        write(os.path.join(directory, name), data)
        manifest[name] = global_name
    write_json(os.path.join(directory, "manifest.json"), {"marker": MARKER, "globals": manifest})


def describe(path):
    # Only for pickles XSystem itself wrote (trusted): pickle.load can run code.
    with open(path, "rb") as handle:
        value = pickle.load(handle)
    json.dump(tag(value), sys.stdout, ensure_ascii=True, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--describe":
        describe(sys.argv[2])
    else:
        generate()
