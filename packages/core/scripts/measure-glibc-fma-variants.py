"""How often glibc's FMA and non-FMA (SSE2) variants of log, sin, cos, logf and sincosf differ.

x86-64 glibc picks a variant at load time (ifunc): the FMA one on CPUs with FMA and AVX2, the SSE2
one on older CPUs. The exact-math ports reproduce the FMA variants; this measures what a machine
without FMA would give instead. The non-FMA variants are not exported, so they are called by their
offsets inside libm.so.6, known only for Debian's glibc 2.36-9+deb12u14 x86-64 build; the script
checks that the exported functions sit at the known FMA offsets before trusting the others.

Usage: /usr/bin/python3 measure-glibc-fma-variants.py [COUNT]   (default 1,000,000 per input set)
"""
import ctypes
import math
import random
import struct
import sys

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
# name: (exported symbol, FMA variant offset, SSE2 variant offset, kind)
KNOWN = {
    "log": ("log", 0x6EDA0, 0x2AA50, "d"),
    "sin": ("sin", 0x702C0, 0x2ECE0, "d"),
    "cos": ("cos", 0x70AD0, 0x2F5F0, "d"),
    "logf": ("logf", 0x72DB0, 0x3DE50, "f"),
    "sincosf": ("sincosf", 0x734B0, 0x72500, "sc"),
}

libm = ctypes.CDLL("libm.so.6")


class DlInfo(ctypes.Structure):
    _fields_ = [
        ("dli_fname", ctypes.c_char_p),
        ("dli_fbase", ctypes.c_void_p),
        ("dli_sname", ctypes.c_char_p),
        ("dli_saddr", ctypes.c_void_p),
    ]


libdl = ctypes.CDLL("libc.so.6")
libdl.dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(DlInfo)]
info = DlInfo()
libdl.dladdr(ctypes.cast(libm.logf, ctypes.c_void_p), ctypes.byref(info))
base = info.dli_fbase


def function_at(offset, kind):
    if kind == "d":
        prototype = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)
    elif kind == "f":
        prototype = ctypes.CFUNCTYPE(ctypes.c_float, ctypes.c_float)
    else:
        prototype = ctypes.CFUNCTYPE(None, ctypes.c_float, ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_float))
    return prototype(base + offset)


# The exported log symbol is a wrapper that jumps to the selected __ieee754_log; check the others.
for name in ("sin", "cos", "logf", "sincosf"):
    symbol, fma_offset, _, _ = KNOWN[name]
    if ctypes.cast(getattr(libm, symbol), ctypes.c_void_p).value != base + fma_offset:
        sys.exit(f"{name}: libm build differs from the known one (or the CPU has no FMA); nothing measured")

random.seed(2024)


def to_float(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


double_sets = {
    "log": [("random() in (0,1)", lambda: random.random() or 0.5), ("1 - random()", lambda: 1 - random.random())],
    "sin": [("2*pi*random()", lambda: random.random() * 2 * math.pi)],
    "cos": [("2*pi*random()", lambda: random.random() * 2 * math.pi)],
}
float_sets = [
    ("TF u1 floats in (0,1)", lambda: max(to_float(random.getrandbits(23) / 8388608), to_float(1e-7))),
    ("TF v1 = float(2*pi*u)", lambda: to_float(2 * math.pi * (random.getrandbits(23) / 8388608))),
]

for name in ("log", "sin", "cos"):
    _, fma_offset, sse2_offset, kind = KNOWN[name]
    fma, sse2 = function_at(fma_offset, kind), function_at(sse2_offset, kind)
    for label, make in double_sets[name]:
        differ = 0
        for _ in range(COUNT):
            x = make()
            if fma(x) != sse2(x):
                differ += 1
        print(f"{name} on {label}: FMA and SSE2 variants differ on {differ} of {COUNT}")

logf_fma, logf_sse2 = function_at(0x72DB0, "f"), function_at(0x3DE50, "f")
sincosf_fma, sincosf_sse2 = function_at(0x734B0, "sc"), function_at(0x72500, "sc")
a, b, c, d = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
for label, make in float_sets:
    differ_log = differ_sin = differ_cos = 0
    for _ in range(COUNT):
        x = make()
        if logf_fma(x) != logf_sse2(x):
            differ_log += 1
        sincosf_fma(x, ctypes.byref(a), ctypes.byref(b))
        sincosf_sse2(x, ctypes.byref(c), ctypes.byref(d))
        differ_sin += a.value != c.value
        differ_cos += b.value != d.value
    print(f"on {label}: FMA and SSE2 variants differ: logf {differ_log}, sinf {differ_sin}, cosf {differ_cos} of {COUNT}")
