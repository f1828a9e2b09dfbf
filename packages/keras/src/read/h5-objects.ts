import type { Dtype } from '@reprokit/core';
import { checkpointDtypeOf } from '../hdf5/h5-dtype.js';
import {
  type H5ErrorContext,
  type H5FileReader,
  type H5Metadata,
  H5T_OPAQUE,
} from '../hdf5/h5-file-reader.js';

/** Joins HDF5 path pieces: `joinPath('/model_weights', 'dense')` -> `/model_weights/dense`. */
export function joinPath(base: string, relative: string): string {
  return base === '/' ? `/${relative}` : `${base}/${relative}`;
}

/**
 * Resolves `relative` (a `/`-separated name from a Keras attribute) under `base`, checking each
 * step as Keras' `safe_get_h5_group` / `safe_get_h5_dataset` do: no empty, `.` or `..` parts,
 * no soft or external links, groups along the way and a `kind` at the end. Returns the full path.
 */
export function resolveObject(
  reader: H5FileReader,
  base: string,
  relative: string,
  kind: 'group' | 'dataset',
  context: H5ErrorContext,
): string {
  const parts = relative.split('/');
  let path = base;
  parts.forEach((part, index) => {
    if (part === '' || part === '.' || part === '..') {
      throw reader.error(
        'KERAS_INVALID_ATTRIBUTE',
        `"${relative}" is not a valid object name (empty, "." or ".." part)`,
        base,
        context,
      );
    }
    path = joinPath(path, part);
    const found = reader.kind(path, context);
    const wanted = index === parts.length - 1 ? kind : 'group';
    if (found === 'soft-link' || found === 'external-link') {
      throw reader.error(
        'KERAS_LINK_NOT_ALLOWED',
        `${found === 'soft-link' ? 'a soft' : 'an external'} link where a ${wanted} was expected (Keras refuses links too)`,
        path,
        context,
      );
    }
    if (found === 'missing') {
      throw reader.error('KERAS_MISSING_OBJECT', `no ${wanted} "${part}" here`, path, context);
    }
    if (found !== wanted) {
      throw reader.error(
        'KERAS_MISSING_OBJECT',
        `expected a ${wanted}, found a ${found}`,
        path,
        context,
      );
    }
  });
  return path;
}

/**
 * Keras' `load_attributes_from_hdf5_group`: a list of names from attribute `name`, or from
 * `name0`, `name1`, ... when Keras split it (attributes over 64512 bytes). A missing attribute
 * or an empty numeric array (what h5py stores for `[]`) is an empty list.
 */
export function readNameList(
  reader: H5FileReader,
  path: string,
  name: string,
  context: H5ErrorContext,
  attributeNames = reader.attributeNames(path, context),
): string[] {
  const present = new Set(attributeNames);
  if (present.has(name)) return namesOf(reader, path, name, context);
  const names: string[] = [];
  for (let chunk = 0; present.has(`${name}${chunk}`); chunk++) {
    names.push(...namesOf(reader, path, `${name}${chunk}`, context));
  }
  return names;
}

function namesOf(
  reader: H5FileReader,
  path: string,
  name: string,
  context: H5ErrorContext,
): string[] {
  const value = reader.readAttribute(path, name, context);
  if (value.strings !== undefined) return value.strings;
  if (value.numbers !== undefined && value.numbers.length === 0) return [];
  throw reader.error(
    'KERAS_INVALID_ATTRIBUTE',
    `attribute "${name}" should list names (byte strings), it holds numbers`,
    path,
    context,
  );
}

/** A string attribute (scalar or one-element), or `undefined` when absent or not a string. */
export function readStringAttribute(
  reader: H5FileReader,
  path: string,
  name: string,
  context: H5ErrorContext,
  attributeNames = reader.attributeNames(path, context),
): string | undefined {
  if (!attributeNames.includes(name)) return undefined;
  const value = reader.readAttribute(path, name, context);
  return value.strings?.length === 1 ? value.strings[0] : undefined;
}

/** A dataset's checkpoint dtype and shape, checked: a typed error names what is wrong. */
export function datasetSpec(
  reader: H5FileReader,
  path: string,
  context: H5ErrorContext,
  maxTensorBytes: number,
): { info: H5Metadata; dtype: Dtype; shape: number[] } {
  const info = reader.datasetInfo(path, context);
  if (info.virtual_sources !== undefined) {
    throw reader.error(
      'KERAS_LINK_NOT_ALLOWED',
      'a virtual dataset (its data lives in other files; Keras refuses it too)',
      path,
      context,
    );
  }
  const dtypeAttribute =
    info.type === H5T_OPAQUE ? readStringAttribute(reader, path, 'dtype', context) : undefined;
  const mapped = checkpointDtypeOf(info, dtypeAttribute);
  if ('reason' in mapped) {
    throw reader.error(
      'KERAS_UNSUPPORTED_DTYPE',
      `unsupported weight type: ${mapped.reason}`,
      path,
      context,
    );
  }
  if (info.shape === null) {
    throw reader.error(
      'KERAS_INVALID_HDF5',
      'the dataset has a null dataspace (no shape)',
      path,
      context,
    );
  }
  const bytes = info.size * info.total_size;
  // A dataset can declare far more than the file stores (a fill value, or compressed nothing):
  // Keras refuses more than 1000x what is stored past 4 GiB; reprokit bounds it by the file.
  const bound = Math.max(reader.size * 1000, 2 ** 32);
  if (!Number.isSafeInteger(bytes) || bytes > maxTensorBytes || bytes > bound) {
    throw reader.error(
      'KERAS_DATASET_TOO_LARGE',
      `the dataset declares ${bytes} bytes (shape [${info.shape.join(',')}]), more than ${bytes > maxTensorBytes ? `maxTensorBytes (${maxTensorBytes})` : 'a file of this size can hold'}`,
      path,
      context,
    );
  }
  return { info, dtype: mapped.dtype, shape: [...info.shape] };
}
