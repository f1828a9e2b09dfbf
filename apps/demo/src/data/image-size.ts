/** Pixels per MNIST image: 28 x 28 grey values in [0, 1], row by row. */
export const IMAGE_SIZE = 784;
