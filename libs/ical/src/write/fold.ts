const encoder = new TextEncoder();

/**
 * RFC 5545 §3.1 folding: at most 75 octets per line, continuation lines included, never
 * inside a UTF-8 sequence. ical.js folds by characters and lets continuations reach 76.
 */
export function foldLines(text: string): string {
  const logical = text.replace(/\r\n[ \t]/g, '').split('\r\n');
  return logical.map(foldLine).join('\r\n');
}

function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > 75) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}
