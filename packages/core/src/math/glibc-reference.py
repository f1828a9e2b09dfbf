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
  exact-log, exact-sin, exact-cos
                  float64 in, float64 out: the exact value rounded once to the nearest double,
                  from the standard library's decimal module at 60 significant digits (after an
                  argument reduction by pi/2 at 450 digits), an independent check of the
                  correctly rounded functions. Slow (about 0.1 ms a value): for samples only.
Reads the whole input, then writes the whole output. No third-party module is needed.
"""
import ctypes
import math
import sys
from array import array
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

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


def decimal_pi(digits):
    """pi to the given number of significant digits (Machin's formula)."""
    with localcontext() as context:
        context.prec = digits + 10

        def arctangent_of_inverse(n):
            power = Decimal(1) / n
            square = n * n
            total = Decimal(0)
            k = 1
            while power:
                term = power / k
                total = total + term if k % 4 == 1 else total - term
                power /= square
                k += 2
                if term < Decimal(10) ** -(digits + 5):
                    break
            return total

        pi = 16 * arctangent_of_inverse(5) - 4 * arctangent_of_inverse(239)
    with localcontext() as context:
        context.prec = digits
        return +pi


REDUCTION_DIGITS = 450  # 309 integer digits for the largest double, the rest after the point
with localcontext() as _context:
    _context.prec = REDUCTION_DIGITS + 20
    HALF_PI = decimal_pi(REDUCTION_DIGITS + 20) / 2


def exact_log(x):
    if not x > 0 or x == math.inf:
        return -math.inf if x == 0 else (x if x == math.inf else math.nan)
    with localcontext() as context:
        context.prec = 60
        return float(Decimal(x).ln())


def exact_sin_cos(x, cosine):
    if math.isnan(x) or math.isinf(x):
        return math.nan
    with localcontext() as context:
        context.prec = REDUCTION_DIGITS + 20
        quotient = (Decimal(x) / HALF_PI).to_integral_value(rounding=ROUND_HALF_EVEN)
        reduced = Decimal(x) - quotient * HALF_PI
        quadrant = (int(quotient) + (1 if cosine else 0)) % 4
    with localcontext() as context:
        context.prec = 70
        square = reduced * reduced
        sine_series = quadrant % 2 == 0
        term = reduced if sine_series else Decimal(1)
        total = term
        n = 1 if sine_series else 0
        while term and abs(term) > abs(total) * Decimal(10) ** -75:
            term = -term * square / ((n + 1) * (n + 2))
            total += term
            n += 2
        if quadrant >= 2:
            total = -total
        if total == 0:
            return math.copysign(0.0, x) if not cosine else 1.0
        return float(total)


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
    elif name in ("exact-log", "exact-sin", "exact-cos"):
        inputs = array("d")
        inputs.frombytes(data)
        if name == "exact-log":
            function = exact_log
        else:
            cosine = name == "exact-cos"

            def function(x):
                return exact_sin_cos(x, cosine)

        results = array("d", map(function, inputs))
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
