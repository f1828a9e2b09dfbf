#!/usr/bin/python3
"""Writes the benchmark's Keras weights file with h5py, as tf.keras `save_weights` lays it out
(see test/fixtures/make_fixtures.py): `layers` Dense layers of float32 kernel [rows, cols] and
bias [cols]. Usage: make_bench_file.py PATH TOTAL_MIB LAYERS"""
import sys

import h5py
import numpy as np

path, total_mib, layers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cols = 1024
rows = (total_mib << 20) // layers // 4 // cols
names = [f"dense_{i}" if i else "dense" for i in range(layers)]
rng = np.random.default_rng(0)
with h5py.File(path, "w") as f:
    f.attrs["layer_names"] = [n.encode("utf8") for n in names]
    f.attrs["backend"] = b"tensorflow"
    f.attrs["keras_version"] = b"2.15.0"
    for name in sorted(names):
        g = f.create_group(name)
        g.attrs["weight_names"] = [f"{name}/kernel:0".encode(), f"{name}/bias:0".encode()]
        g.create_dataset(f"{name}/kernel:0", data=rng.standard_normal((rows, cols), dtype=np.float32))
        g.create_dataset(f"{name}/bias:0", data=rng.standard_normal((cols,), dtype=np.float32))
