import { ClassifierError } from './classifier-error.js';
import { IMAGE_SIZE } from './model-files.js';

/** Images to classify: one flat array of `n * 784` values, or an array of 784-value images. */
export type DigitInput = Float32Array | readonly number[] | readonly (readonly number[])[];

/**
 * Check and flatten `input` into `n * 784` float32 values in [0, 1]. A wrong length, an image
 * of the wrong size or a value outside [0, 1] (NaN included) throws `CLASSIFIER_INVALID_INPUT`
 * naming the image and pixel.
 *
 * @example
 * const { pixels, count } = toPixels([image1, image2]); // count 2, pixels.length 1568
 */
export function toPixels(input: DigitInput): { pixels: Float32Array; count: number } {
  let pixels: Float32Array;
  if (!(input instanceof Float32Array) && !Array.isArray(input)) {
    throw invalid(`expected a Float32Array or an array of images, got ${describeValue(input)}`);
  }
  if (input instanceof Float32Array) {
    pixels = input;
  } else if (input.length > 0 && Array.isArray(input[0])) {
    const images = input as readonly (readonly number[])[];
    pixels = new Float32Array(images.length * IMAGE_SIZE);
    images.forEach((image, index) => {
      if (!Array.isArray(image) || image.length !== IMAGE_SIZE) {
        throw invalid(
          `image ${index} has ${Array.isArray(image) ? image.length : typeof image} values; expected ${IMAGE_SIZE} (28 x 28)`,
        );
      }
      pixels.set(image, index * IMAGE_SIZE);
    });
  } else {
    pixels = Float32Array.from(input as readonly number[]);
  }
  if (pixels.length === 0 || pixels.length % IMAGE_SIZE !== 0) {
    throw invalid(
      `got ${pixels.length} values; expected a positive multiple of ${IMAGE_SIZE} (28 x 28 per image)`,
    );
  }
  for (let index = 0; index < pixels.length; index++) {
    const value = pixels[index]!;
    if (!(value >= 0 && value <= 1)) {
      throw invalid(
        `image ${Math.floor(index / IMAGE_SIZE)}, pixel ${index % IMAGE_SIZE} is ${value}; pixels must be in [0, 1]`,
      );
    }
  }
  return { pixels, count: pixels.length / IMAGE_SIZE };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}

function invalid(message: string): ClassifierError {
  return new ClassifierError({ code: 'CLASSIFIER_INVALID_INPUT', message });
}
