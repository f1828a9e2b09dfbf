"""Uniform streams and the normal draws made from them, for normal-draws.node.test.ts.

Usage: /usr/bin/python3 normal-draws-reference.py COUNT
Writes raw little-endian float64 to stdout, in this order:
  3*COUNT values of NumPy's RandomState(12345).random_sample(),
  COUNT values of a fresh RandomState(12345).randn() (the polar method, from the same stream),
  COUNT values of CPython's random.Random(777).random(),
  COUNT values of a fresh random.Random(777).gauss().
"""
import random
import sys
from array import array

import numpy

count = int(sys.argv[1])
out = sys.stdout.buffer
out.write(numpy.random.RandomState(12345).random_sample(3 * count).astype("<f8").tobytes())
out.write(numpy.random.RandomState(12345).randn(count).astype("<f8").tobytes())
generator = random.Random(777)
uniforms = array("d", (generator.random() for _ in range(count)))
generator = random.Random(777)
normals = array("d", (generator.gauss() for _ in range(count)))
if sys.byteorder != "little":
    uniforms.byteswap()
    normals.byteswap()
out.write(uniforms.tobytes())
out.write(normals.tobytes())
