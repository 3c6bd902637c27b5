import { png } from './png';

// Sésame's icon, drawn rather than shipped: a keyhole ("Sésame, ouvre-toi"). Teams wants a
// 192×192 colour icon and a 32×32 white outline on a transparent background.
const BLUE = [0x00, 0x43, 0x7a, 0xff];
const WHITE = [0xff, 0xff, 0xff, 0xff];
const CLEAR = [0, 0, 0, 0];

/** Is (x, y) — in a unit square — inside the keyhole? */
function keyhole(x: number, y: number): boolean {
  const inCircle = (x - 0.5) ** 2 + (y - 0.38) ** 2 <= 0.15 ** 2;
  const halfWidth = 0.06 + (y - 0.42) * 0.22;
  const inStem = y >= 0.42 && y <= 0.8 && Math.abs(x - 0.5) <= halfWidth;
  return inCircle || inStem;
}

function draw(size: number, pixel: (x: number, y: number) => number[]): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) rgba.set(pixel((x + 0.5) / size, (y + 0.5) / size), (y * size + x) * 4);
  }
  return png(size, size, rgba);
}

export function colorIcon(): Buffer {
  return draw(192, (x, y) => (keyhole(x, y) ? WHITE : BLUE));
}

export function outlineIcon(): Buffer {
  return draw(32, (x, y) => (keyhole(x, y) ? WHITE : CLEAR));
}
