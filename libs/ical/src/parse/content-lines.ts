/** A logical (unfolded) content line and the 1-based line where it starts in the source. */
export interface ContentLine {
  readonly text: string;
  readonly line: number;
  readonly name: string;
}

/**
 * RFC 5545 §3.1: a line starting with a space or tab continues the previous one. Any line
 * ending (CRLF, LF, CR) is accepted; byte order marks (also of concatenated files) are dropped,
 * and blank lines are skipped without breaking a fold around them.
 */
export function unfold(text: string): ContentLine[] {
  const raw = text.replace(/\uFEFF/g, '').split(/\r\n|\n|\r/);
  const lines: ContentLine[] = [];
  let current: { text: string; line: number } | null = null;
  raw.forEach((part, index) => {
    if ((part.startsWith(' ') || part.startsWith('\t')) && current) {
      current.text += part.slice(1);
      return;
    }
    if (part.trim() === '') return;
    if (current) lines.push(withName(current));
    current = { text: part, line: index + 1 };
  });
  if (current) lines.push(withName(current));
  return lines;
}

function withName(line: { text: string; line: number }): ContentLine {
  const match = /^[A-Za-z0-9-]+/.exec(line.text);
  return { ...line, name: match ? match[0].toUpperCase() : '' };
}

/** The value part of a content line: everything after the first colon outside quotes. */
export function lineValue(line: ContentLine): string | null {
  let quoted = false;
  for (let i = 0; i < line.text.length; i++) {
    const char = line.text[i];
    if (char === '"') quoted = !quoted;
    else if (char === ':' && !quoted) return line.text.slice(i + 1);
  }
  return null;
}
