"""glibc's answers for the exact-math tests: raw inputs on stdin, raw results on stdout.

Usage: /usr/bin/python3 glibc-reference.py FUNCTION < inputs > results
  log, sin, cos   little-endian float64 in, float64 out. CPython's math.log / math.sin / math.cos,
                  which call glibc's; where CPython raises instead of returning glibc's value
                  (log of zero or a negative, sin or cos of an infinity), libm's own function
                  through ctypes answers.
  libm-log, libm-sin, libm-cos
                  the same, every input through ctypes (to show that math.* is glibc's).
  logf            float32 in, float32 out, libm's logf through ctypes.
  sincosf         float32 in, (sin, cos) float32 pairs out, libm's sincosf through ctypes.
Reads the whole input, then writes the whole output. No third-party module is needed.
"""
import ctypes
import math
import sys
from array import array

libm = ctypes.CDLL("libm.so.6")


def libm_double(name):
    function = getattr(libm, name)
    function.restype = ctypes.c_double
    function.argtypes = [ctypes.c_double]
    return function


def python_then_libm(name):
    python_function = getattr(math, name)
    libm_function = libm_double(name)

    def call(x):
        try:
            return python_function(x)
        except ValueError:
            return libm_function(x)

    return call


def main():
    name = sys.argv[1]
    data = sys.stdin.buffer.read()
    if name in ("log", "sin", "cos"):
        inputs = array("d")
        inputs.frombytes(data)
        results = array("d", map(python_then_libm(name), inputs))
    elif name in ("libm-log", "libm-sin", "libm-cos"):
        inputs = array("d")
        inputs.frombytes(data)
        results = array("d", map(libm_double(name[5:]), inputs))
    elif name == "logf":
        inputs = array("f")
        inputs.frombytes(data)
        logf = libm.logf
        logf.restype = ctypes.c_float
        logf.argtypes = [ctypes.c_float]
        results = array("f", map(logf, inputs))
    elif name == "sincosf":
        inputs = array("f")
        inputs.frombytes(data)
        sincosf = libm.sincosf
        sincosf.restype = None
        sincosf.argtypes = [ctypes.c_float, ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_float)]
        sine = ctypes.c_float()
        cosine = ctypes.c_float()
        sine_pointer = ctypes.byref(sine)
        cosine_pointer = ctypes.byref(cosine)
        results = array("f", bytes(8 * len(inputs)))
        for index, x in enumerate(inputs):
            sincosf(x, sine_pointer, cosine_pointer)
            results[2 * index] = sine.value
            results[2 * index + 1] = cosine.value
    else:
        raise SystemExit(f"unknown function {name!r}")
    if sys.byteorder != "little":
        results.byteswap()
    sys.stdout.buffer.write(results.tobytes())


if __name__ == "__main__":
    main()
