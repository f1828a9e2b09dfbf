#!/usr/bin/python3
"""The baseline: reads every weight of a Keras save_weights .h5 into NumPy the way Keras'
`load_weights_from_hdf5_group` does (layer_names, weight_names, np.asarray per dataset).
Prints {"seconds": ..., "maxRssBytes": ..., "bytes": ...}."""
import json
import resource
import sys
import time

import h5py
import numpy as np


def decode(value):
    return value.decode("utf8") if hasattr(value, "decode") else value


start = time.perf_counter()
total = 0
arrays = []
with h5py.File(sys.argv[1], "r") as f:
    for name in f.attrs["layer_names"]:
        g = f[decode(name)]
        for weight in g.attrs["weight_names"]:
            value = np.asarray(g[decode(weight)])
            arrays.append(value)
            total += value.nbytes
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "bytes": total}))
