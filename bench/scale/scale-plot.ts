import type { SizeFigures } from './growth';
import { Canvas, type Rgb } from './png';

type Series = { name: string; color: Rgb; value: (f: SizeFigures) => number };

const PANELS: Array<{ title: string; series: Series[] }> = [
  {
    title: 'THROUGHPUT',
    series: [
      { name: 'AVAILABILITY REQ/S', color: [31, 119, 180], value: (f) => f.availabilityPerSecond },
      { name: 'BOOKINGS/S', color: [214, 39, 40], value: (f) => f.bookingPerSecond },
      {
        name: 'REBUILD EVENTS/S / 10',
        color: [44, 160, 44],
        value: (f) => f.rebuildPerSecond / 10,
      },
    ],
  },
  {
    title: 'LATENCY (MS)',
    series: [
      { name: 'AVAILABILITY P99', color: [31, 119, 180], value: (f) => f.availabilityP99 },
      { name: 'BOOKING P99', color: [214, 39, 40], value: (f) => f.bookingP99 },
      { name: 'SEARCH P50', color: [148, 103, 189], value: (f) => f.searchP50 },
    ],
  },
];

const INK: Rgb = [40, 40, 40];
const GRID: Rgb = [225, 225, 225];

/** Throughput and latency against the number of Pros, one panel each, as a PNG. */
export function drawScalePlot(sizes: SizeFigures[]): Buffer {
  const [width, panelHeight] = [900, 330];
  const canvas = new Canvas(width, panelHeight * PANELS.length);
  const maxPros = Math.max(...sizes.map((f) => f.pros), 1);
  PANELS.forEach((panel, index) => {
    const [left, right, top, bottom] = [
      80,
      width - 260,
      index * panelHeight + 40,
      (index + 1) * panelHeight - 50,
    ];
    const maxValue =
      Math.max(1, ...sizes.flatMap((f) => panel.series.map((s) => s.value(f)))) * 1.1;
    const x = (pros: number) => left + ((right - left) * pros) / maxPros;
    const y = (value: number) => bottom - ((bottom - top) * value) / maxValue;
    canvas.text(left, top - 28, panel.title, INK, 3);
    for (let tick = 0; tick <= 4; tick++) {
      const value = (maxValue * tick) / 4;
      canvas.line(left, y(value), right, y(value), GRID);
      const label = Math.round(value).toLocaleString('en');
      canvas.text(left - 8 - canvas.textWidth(label), y(value) - 5, label, INK);
    }
    for (const f of sizes) {
      const label = f.pros.toLocaleString('en');
      canvas.line(x(f.pros), bottom, x(f.pros), bottom + 5, INK);
      canvas.text(x(f.pros) - canvas.textWidth(label) / 2, bottom + 10, label, INK);
    }
    canvas.text(right - canvas.textWidth('PROS'), bottom + 26, 'PROS', INK);
    canvas.line(left, top, left, bottom, INK, 2);
    canvas.line(left, bottom, right, bottom, INK, 2);
    panel.series.forEach((series, s) => {
      const points = sizes.map((f) => [x(f.pros), y(series.value(f))] as const);
      points.forEach(([px, py], i) => {
        canvas.dot(px - 3, py - 3, series.color, 7);
        const previous = points[i - 1];
        if (previous) canvas.line(previous[0], previous[1], px, py, series.color, 2);
      });
      canvas.dot(right + 20, top + 10 + s * 24, series.color, 12);
      canvas.text(right + 40, top + 11 + s * 24, series.name, INK);
    });
  });
  return canvas.png();
}
