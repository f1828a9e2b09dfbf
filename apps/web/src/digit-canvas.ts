const SIDE = 28;
/** MNIST digits fit a 20x20 box centred in the 28x28 image; drawings are scaled the same way. */
const BOX = 20;

/**
 * A canvas to draw a digit on with mouse, pen or touch (white on black, as MNIST), read back
 * as 784 grey values in [0, 1]: the strokes' bounding box is scaled into a 20x20 box centred
 * in 28x28, roughly as the MNIST digits were prepared.
 */
export class DigitCanvas {
  private readonly context: CanvasRenderingContext2D;
  private drawing = false;
  private empty = true;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    onStroke: () => void,
  ) {
    this.context = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (event) => {
      this.drawing = true;
      this.empty = false;
      canvas.setPointerCapture(event.pointerId);
      this.context.beginPath();
      this.context.moveTo(...this.position(event));
    });
    canvas.addEventListener('pointermove', (event) => {
      if (!this.drawing) return;
      this.context.lineTo(...this.position(event));
      this.context.stroke();
    });
    const finish = () => {
      if (!this.drawing) return;
      this.drawing = false;
      onStroke();
    };
    canvas.addEventListener('pointerup', finish);
    canvas.addEventListener('pointercancel', finish);
  }

  get isEmpty(): boolean {
    return this.empty;
  }

  clear(): void {
    const context = this.context;
    context.fillStyle = '#000';
    context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    context.strokeStyle = '#fff';
    context.lineWidth = this.canvas.width / 12;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    this.empty = true;
  }

  /** Show 784 grey values (a real MNIST digit, say) enlarged on the canvas. */
  show(pixels: ArrayLike<number>): void {
    const cell = this.canvas.width / SIDE;
    this.clear();
    for (let index = 0; index < SIDE * SIDE; index++) {
      const grey = Math.round(pixels[index]! * 255);
      this.context.fillStyle = `rgb(${grey},${grey},${grey})`;
      this.context.fillRect((index % SIDE) * cell, Math.floor(index / SIDE) * cell, cell, cell);
    }
    this.empty = false;
  }

  /** The drawing as 784 grey values in [0, 1]. */
  pixels(): Float32Array {
    const { width, height } = this.canvas;
    const source = this.context.getImageData(0, 0, width, height).data;
    let top = height;
    let bottom = -1;
    let left = width;
    let right = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (source[(y * width + x) * 4]! > 0) {
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
    }
    const small = document.createElement('canvas');
    small.width = SIDE;
    small.height = SIDE;
    const context = small.getContext('2d', { willReadFrequently: true })!;
    context.fillStyle = '#000';
    context.fillRect(0, 0, SIDE, SIDE);
    if (bottom >= 0) {
      const boxWidth = right - left + 1;
      const boxHeight = bottom - top + 1;
      const scale = BOX / Math.max(boxWidth, boxHeight);
      const targetWidth = boxWidth * scale;
      const targetHeight = boxHeight * scale;
      context.imageSmoothingQuality = 'high';
      context.drawImage(
        this.canvas,
        left,
        top,
        boxWidth,
        boxHeight,
        (SIDE - targetWidth) / 2,
        (SIDE - targetHeight) / 2,
        targetWidth,
        targetHeight,
      );
    }
    const data = context.getImageData(0, 0, SIDE, SIDE).data;
    const pixels = new Float32Array(SIDE * SIDE);
    for (let index = 0; index < pixels.length; index++) pixels[index] = data[index * 4]! / 255;
    return pixels;
  }

  private position(event: PointerEvent): [number, number] {
    const bounds = this.canvas.getBoundingClientRect();
    return [
      ((event.clientX - bounds.left) / bounds.width) * this.canvas.width,
      ((event.clientY - bounds.top) / bounds.height) * this.canvas.height,
    ];
  }
}
