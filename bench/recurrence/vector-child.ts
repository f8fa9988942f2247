import { isDeepStrictEqual } from 'node:util';
import { vectorFiles } from '../../libs/ical/test/vectors/vector-file';
import { engines } from './engines';
import { expandVector } from './vector-run';

/** Child process: runs one engine over the vectors from a given position, reporting each. */
const [engineName, fromIndex] = process.argv.slice(2);
const engine = engines.find((e) => e.name === engineName);
if (!engine) throw new Error(`unknown engine ${engineName}`);
const all = vectorFiles().flatMap((file) =>
  file.vectors.filter((v) => v.skip === undefined).map((vector) => ({ file: file.name, vector })),
);
process.send?.({ ready: true });
for (let i = Number(fromIndex); i < all.length; i++) {
  let outcome: 'passed' | 'failed' | 'threw';
  try {
    outcome = isDeepStrictEqual(expandVector(engine, all[i].vector), all[i].vector.expected)
      ? 'passed'
      : 'failed';
  } catch {
    outcome = 'threw';
  }
  process.send?.({ index: i, outcome });
}
process.send?.({ done: true }, () => process.exit(0));
