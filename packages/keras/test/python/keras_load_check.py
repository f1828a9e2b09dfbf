#!/usr/bin/python3
"""Loads a Keras weights file the way Keras' `model.load_weights` does, into a model described
by a JSON spec, with h5py and NumPy only (Keras cannot be installed here). Every check below is
one Keras' loader makes, read from its source:

- `keras2`: `load_weights_from_hdf5_group` of keras/src/legacy/saving/legacy_h5_format.py
  (Keras 3) and tf_keras/saving/legacy/hdf5_format.py (tf.keras): `keras_version` / `backend`
  decoded when present; `load_attributes_from_hdf5_group` for `layer_names` and `weight_names`
  (split attributes `name0..N` included; values decoded when they are bytes); layers without
  weights dropped on both sides; `Layer count mismatch`; `safe_get_h5_group` /
  `safe_get_h5_dataset` (no soft or external links, groups and datasets where expected, no
  external or virtual datasets); `Weight count mismatch for layer #k`; `_set_weights`' shape check;
  `top_level_model_weights` count check. The model's weights per layer are Keras'
  `_legacy_weights`: trainable weights first, then the non-trainable ones.
- `keras3`: `load_weights_only` -> `_load_state` / `_load_container_state` of
  keras/src/saving/saving_lib.py with `H5IOStore.get`: saveable paths from `_walk_saveable`
  (a model's `layers` first), container entries named `_get_unique_name(to_snake_case(class))`;
  `vars` groups found under a path (or its `_layer_checkpoint_dependencies` alias), missing ones
  read as empty; `Layer._check_load_own_variables` (count) and `assign` (shape) per variable;
  `dtype="bfloat16"` opaque datasets.

Besides Keras' checks, it asserts what Keras' writers produce and the brief asks for: the name
lists are fixed-length byte strings (`|S..`), `backend` / `keras_version` decode as text.

Usage: keras_load_check.py keras2|keras3 FILE SPEC_JSON
Prints {"ok": true, "weights": [[path, shape, flat values], ...]} in load order, or
{"ok": false, "error": "..."} with exit code 1.

Spec (`keras2`): {"layers": [{"name": ..., "weights": [{"shape": [...], "trainable": bool}]}],
                 "top_level": [...]}
Spec (`keras3`): a saveable tree: {"class": "Sequential", "vars": [[shape], ...],
                 "layers": [saveable, ...], "attrs": {"cell": saveable, ...}}
"""
import json
import re
import sys

import h5py
import numpy as np


class LoadError(Exception):
    pass


def decode(value):
    return value.decode("utf8") if hasattr(value, "decode") else value


def load_attributes_from_hdf5_group(group, name, require_bytes=True):
    def items(values):
        arr = np.asarray(values)
        if arr.size > 0 and require_bytes and arr.dtype.kind != "S":
            raise LoadError(f"attribute {name} of {group.name} is {arr.dtype}, Keras writes byte strings (|S..)")
        return [decode(n) for n in values]

    if name in group.attrs:
        return items(group.attrs[name])
    data = []
    chunk_id = 0
    while f"{name}{chunk_id}" in group.attrs:
        data.extend(items(group.attrs[f"{name}{chunk_id}"]))
        chunk_id += 1
    return data


def safe_get_h5_group(parent, name):
    current = parent
    for name_part in name.split("/"):
        if not name_part:
            raise LoadError(f"Invalid path in H5 file: {name}")
        if name_part not in current:
            raise LoadError(f"KeyError: {name}")
        group_type = current.get(name_part, default=None, getclass=True, getlink=True)
        if group_type in (h5py.ExternalLink, h5py.SoftLink):
            raise LoadError(f"Not allowed: H5 file with {group_type.__name__}")
        current = current[name_part]
        if not isinstance(current, h5py.Group):
            raise LoadError(f"Invalid H5 file, expected Group but received {type(current)}")
    return current


def safe_get_h5_dataset(group, name):
    if "/" in name:
        group_name, name = name.rsplit("/", 1)
        group = safe_get_h5_group(group, group_name)
    if name not in group:
        raise LoadError(f"KeyError: {name}")
    dataset_type = group.get(name, default=None, getclass=True, getlink=True)
    if dataset_type in (h5py.ExternalLink, h5py.SoftLink):
        raise LoadError(f"Not allowed: H5 file with {dataset_type.__name__}")
    dataset = group[name]
    if not isinstance(dataset, h5py.Dataset):
        raise LoadError(f"Invalid H5 file, expected Dataset, received {type(dataset)}")
    if dataset.external:
        raise LoadError("Not allowed: H5 file with external Dataset")
    if dataset.is_virtual:
        raise LoadError("Not allowed: H5 file with virtual Dataset")
    return dataset


def legacy_weights(layer):
    weights = layer["weights"]
    return [w for w in weights if w.get("trainable", True)] + [w for w in weights if not w.get("trainable", True)]


def set_weights(name, symbolic, values, out, layer_name):
    for i, value in enumerate(values):
        expected = tuple(symbolic[i]["shape"])
        if expected != value.shape:
            raise LoadError(
                f"Shape mismatch in {name} for weight #{i}. Weight expects shape {expected}. "
                f"Received saved weight with shape {value.shape}"
            )
        out.append([f"{layer_name}#{i}", list(value.shape), np.asarray(value, dtype=np.float64).ravel().tolist()])


def load_keras2(path, spec):
    out = []
    with h5py.File(path, "r") as f:
        if "layer_names" not in f.attrs and "layer_names0" not in f.attrs and "model_weights" in f:
            f = f["model_weights"]
        for attr in ("keras_version", "backend"):
            if attr in f.attrs:
                value = f.attrs[attr]
                if not isinstance(decode(value), str):
                    raise LoadError(f"{attr} does not decode to text: {value!r}")
        filtered_layers = [layer for layer in spec["layers"] if legacy_weights(layer)]
        layer_names = load_attributes_from_hdf5_group(f, "layer_names")
        filtered_layer_names = []
        for name in layer_names:
            layer_group = safe_get_h5_group(f, name)
            if load_attributes_from_hdf5_group(layer_group, "weight_names"):
                filtered_layer_names.append(name)
        layer_names = filtered_layer_names
        if len(layer_names) != len(filtered_layers):
            raise LoadError(
                "Layer count mismatch when loading weights from file. "
                f"Model expected {len(filtered_layers)} layers, found {len(layer_names)} saved layers."
            )
        for k, name in enumerate(layer_names):
            layer_group = safe_get_h5_group(f, name)
            layer = filtered_layers[k]
            symbolic = legacy_weights(layer)
            weight_names = load_attributes_from_hdf5_group(layer_group, "weight_names")
            values = [np.asarray(safe_get_h5_dataset(layer_group, wn)) for wn in weight_names]
            if len(values) != len(symbolic):
                raise LoadError(
                    f"Weight count mismatch for layer #{k} (named {layer['name']} in the current model, "
                    f"{name} in the save file). Layer expects {len(symbolic)} weight(s). Received {len(values)} saved weight(s)"
                )
            set_weights(f"layer #{k} (named {layer['name']})", symbolic, values, out, layer["name"])
        if "top_level_model_weights" in f:
            symbolic = spec.get("top_level", [])
            group = safe_get_h5_group(f, "top_level_model_weights")
            names = load_attributes_from_hdf5_group(group, "weight_names")
            values = [np.asarray(safe_get_h5_dataset(group, wn)) for wn in names]
            if len(values) != len(symbolic):
                raise LoadError(
                    "Weight count mismatch for top-level weights when loading weights from file. "
                    f"Model expects {len(symbolic)} top-level weight(s). Received {len(values)} saved top-level weight(s)"
                )
            set_weights("top-level model", symbolic, values, out, "top_level")
    return out


def to_snake_case(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def get_unique_name(name, used_names):
    if name in used_names:
        used_names[name] += 1
        return f"{name}_{used_names[name]}"
    used_names[name] = 0
    return name


class Store:
    """H5IOStore in read mode."""

    def __init__(self, h5_file):
        self.h5_file = h5_file

    def get(self, path):
        if not path:
            return safe_get_h5_group(self.h5_file, "vars") if "vars" in self.h5_file else {}
        if path in self.h5_file:
            path_group = safe_get_h5_group(self.h5_file, path)
            if "vars" in path_group:
                return safe_get_h5_group(path_group, "vars")
        if "_layer_checkpoint_dependencies" in self.h5_file:
            path = path.replace("layers", "_layer_checkpoint_dependencies")
            if path in self.h5_file:
                path_group = safe_get_h5_group(self.h5_file, path)
                if "vars" in path_group:
                    return safe_get_h5_group(path_group, "vars")
        return {}


def read_variable(group, key):
    value = safe_get_h5_dataset(group, key)
    if "dtype" in value.attrs and value.attrs["dtype"] == "bfloat16":
        raw = np.asarray(value)
        bits = raw.view(np.uint16).astype(np.uint32) << 16
        return bits.view(np.float32)
    return np.asarray(value)


def load_state(saveable, store, inner_path, out):
    entry = store.get(inner_path)
    expected = saveable.get("vars", [])
    keys = list(entry.keys())
    if len(keys) != len(expected):
        raise LoadError(
            f"Layer '{inner_path or saveable['class']}' expected {len(expected)} variables, "
            f"but received {len(keys)} variables during loading."
        )
    for i, shape in enumerate(expected):
        value = read_variable(entry, str(i))
        if tuple(shape) != value.shape:
            raise LoadError(
                f"The shape of the target variable and the shape of the target value in `variable.assign(value)` "
                f"must match. variable.shape={tuple(shape)}, Received: value.shape={value.shape}. ({inner_path}/vars/{i})"
            )
        out.append([f"{inner_path}/vars/{i}", list(value.shape), np.asarray(value, dtype=np.float64).ravel().tolist()])
    # _walk_saveable: a Sequential / Functional model's `layers` first, then other attributes.
    if "layers" in saveable:
        used = {}
        for child in saveable["layers"]:
            name = get_unique_name(to_snake_case(child["class"]), used)
            load_state(child, store, f"{inner_path}/layers/{name}".lstrip("/"), out)
    for attr, child in sorted(saveable.get("attrs", {}).items()):
        load_state(child, store, f"{inner_path}/{attr}".lstrip("/"), out)


def load_keras3(path, spec):
    out = []
    with h5py.File(path, "r") as f:
        load_state(spec, Store(f), "", out)
    return out


def main():
    mode, path, spec_path = sys.argv[1:4]
    with open(spec_path) as f:
        spec = json.load(f)
    try:
        weights = load_keras2(path, spec) if mode == "keras2" else load_keras3(path, spec)
    except LoadError as error:
        print(json.dumps({"ok": False, "error": str(error)}))
        sys.exit(1)
    print(json.dumps({"ok": True, "weights": weights}))


if __name__ == "__main__":
    main()
