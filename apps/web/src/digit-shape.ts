/** Pixels per image (28 x 28 grey values in [0, 1]) and classes (digits 0 to 9). */
export const IMAGE_SIZE = 784;
export const CLASSES = 10;
