#!/usr/bin/python3
"""The Python half of the seed's workflow: reads the `test.h5` that JavaScript saved with h5py,
as Keras' `load_weights` would find it, and checks it holds the numbers JavaScript expects.

Usage: check_seed_workflow.py test.h5 expected.json
expected.json: {"kernel": [[...]], "bias": [...]} (float32 values as JavaScript read them).
Prints a JSON report; exit code 0 when every check passed.
"""
import json
import sys

import h5py
import numpy as np


def main():
    path, expected_path = sys.argv[1:3]
    with open(expected_path) as f:
        expected = json.load(f)
    checks = {}
    with h5py.File(path, "r") as f:
        layer_names = f.attrs["layer_names"]
        checks["layer_names are byte strings"] = layer_names.dtype.kind == "S"
        checks["layer_names == [b'dense']"] = [bytes(n) for n in layer_names] == [b"dense"]
        checks["backend"] = f.attrs["backend"] == b"tensorflow"
        checks["keras_version is bytes"] = isinstance(f.attrs["keras_version"], bytes)
        group = f["dense"]
        weight_names = [bytes(n) for n in group.attrs["weight_names"]]
        checks["weight_names"] = weight_names == [b"dense/kernel:0", b"dense/bias:0"]
        kernel = group["dense/kernel:0"][()]
        bias = group["dense/bias:0"][()]
        checks["kernel float32 (1, 5)"] = kernel.dtype == np.float32 and kernel.shape == (1, 5)
        checks["bias float32 (5,)"] = bias.dtype == np.float32 and bias.shape == (5,)
        checks["kernel values"] = np.array_equal(kernel, np.asarray(expected["kernel"], dtype=np.float32))
        checks["bias values"] = np.array_equal(bias, np.asarray(expected["bias"], dtype=np.float32))
    ok = all(checks.values())
    print(json.dumps({"ok": ok, "checks": checks, "h5py": h5py.version.version, "hdf5": h5py.version.hdf5_version}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
