import { describe, expect, it } from '@jest/globals';
import { SerialPasses } from './serial-passes';

describe('SerialPasses', () => {
  it('runs one pass at a time and folds kicks during a pass into one more, none after stop', async () => {
    let passes = 0;
    let active = 0;
    let release: () => void = () => undefined;
    const errors: unknown[] = [];
    const serial = new SerialPasses(
      async () => {
        passes++;
        active++;
        expect(active).toBe(1);
        await new Promise<void>((resolve) => (release = resolve));
        active--;
        if (passes === 2) throw new Error('second pass fails');
      },
      (error) => errors.push(error),
    );
    serial.kick();
    serial.kick();
    serial.kick();
    expect(passes).toBe(1);
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(passes).toBe(2);
    const stopped = serial.stop();
    serial.kick();
    release();
    await stopped;
    expect(passes).toBe(2);
    expect(errors).toEqual([new Error('second pass fails')]);
  });
});
