export interface ScaleArgs {
  /** Pros in the data set (`--pros`), 10,000 unless given. */
  pros: number;
  /** The data set's seed (`--seed`). */
  seed: number;
  /** `--growth 1000,2500,5000,10000`: sizes to generate and measure in turn. */
  growth: number[];
}

/** `--pros N`, `--seed S`, `--growth a,b,c`; anything else stops the run with its name. */
export function parseScaleArgs(argv: string[]): ScaleArgs {
  const args: ScaleArgs = { pros: 10_000, seed: 16, growth: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1] ?? ''];
    const numbers = value.split(',').map(Number);
    if (!numbers.every((n) => Number.isInteger(n) && n > 0))
      throw new Error(`${name} needs a positive whole number, got "${value}"`);
    if (name === '--pros') args.pros = numbers[0]!;
    else if (name === '--seed') args.seed = numbers[0]!;
    else if (name === '--growth') args.growth = numbers;
    else throw new Error(`unknown option ${name}`);
  }
  return args;
}
