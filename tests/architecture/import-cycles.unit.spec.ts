import { relative, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { importCycles, importGraph } from './import-graph';

const ROOT = resolve(__dirname, '../..');

describe('import cycles', () => {
  it('finds cycles of any length and files that import themselves, and nothing else', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', ['e']],
      ['e', []],
      ['f', ['f']],
    ]);
    expect(importCycles(graph)).toEqual([['a', 'b', 'c'], ['f']]);
  });

  it('there are none among the source files of services/ and libs/', () => {
    const graph = importGraph(ROOT, ['services', 'libs']);
    expect(graph.size).toBeGreaterThan(100);
    const cycles = importCycles(graph).map((files) => files.map((f) => relative(ROOT, f)));
    // Each cycle names its files: move what they share into a file of its own.
    expect(cycles).toEqual([]);
  });
});
