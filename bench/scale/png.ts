import { deflateSync } from 'node:zlib';

/**
 * A tiny RGB canvas that encodes itself as PNG with Node's zlib: plots without a native library
 * or a font file. Text is a 3×5 bitmap font (capitals, digits, a few signs).
 */
export type Rgb = readonly [number, number, number];

/** Each glyph: five rows of three pixels, most significant bit left. */
const GLYPHS: Record<string, string> = {
  A: '25755',
  B: '65656',
  C: '34443',
  D: '65556',
  E: '74647',
  F: '74644',
  G: '34553',
  H: '55755',
  I: '72227',
  J: '11152',
  K: '55655',
  L: '44447',
  M: '57755',
  N: '65555',
  O: '25552',
  P: '65644',
  Q: '25563',
  R: '65655',
  S: '34216',
  T: '72222',
  U: '55557',
  V: '55552',
  W: '55775',
  X: '55255',
  Y: '55222',
  Z: '71247',
  '0': '75557',
  '1': '26227',
  '2': '61247',
  '3': '61216',
  '4': '55711',
  '5': '74616',
  '6': '34757',
  '7': '71222',
  '8': '75757',
  '9': '75716',
  '.': '00002',
  '/': '11244',
  '-': '00700',
  '(': '24442',
  ')': '21112',
  ',': '00024',
  '×': '05250',
  ' ': '00000',
};

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export class Canvas {
  private readonly pixels: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = Buffer.alloc(width * height * 3, 255);
  }

  dot(x: number, y: number, color: Rgb, size = 1): void {
    for (let dy = 0; dy < size; dy++)
      for (let dx = 0; dx < size; dx++) {
        const [px, py] = [Math.round(x) + dx, Math.round(y) + dy];
        if (px < 0 || py < 0 || px >= this.width || py >= this.height) continue;
        this.pixels.set(color, (py * this.width + px) * 3);
      }
  }

  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, size = 1): void {
    const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
    for (let s = 0; s <= steps; s++)
      this.dot(x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps, color, size);
  }

  /** Text with its top left at (x, y), each font pixel `scale` pixels wide. */
  text(x: number, y: number, value: string, color: Rgb, scale = 2): void {
    [...value.toUpperCase()].forEach((char, i) => {
      const rows = GLYPHS[char] ?? GLYPHS[' ']!;
      [...rows].forEach((row, r) => {
        for (let bit = 0; bit < 3; bit++)
          if (Number(row) & (4 >> bit))
            this.dot(x + (i * 4 + bit) * scale, y + r * scale, color, scale);
      });
    });
  }

  textWidth(value: string, scale = 2): number {
    return value.length * 4 * scale;
  }

  png(): Buffer {
    const raw = Buffer.alloc((this.width * 3 + 1) * this.height);
    for (let y = 0; y < this.height; y++)
      this.pixels.copy(
        raw,
        y * (this.width * 3 + 1) + 1,
        y * this.width * 3,
        (y + 1) * this.width * 3,
      );
    const header = Buffer.alloc(13);
    header.writeUInt32BE(this.width, 0);
    header.writeUInt32BE(this.height, 4);
    header.set([8, 2, 0, 0, 0], 8);
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}
