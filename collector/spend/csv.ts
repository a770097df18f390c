/**
 * Reads a cost export: RFC 4180 quoting, comma, semicolon or tab separated (Google Ads' "CSV for
 * Excel" is UTF-16 with tabs), a byte-order mark tolerated. Bounded: the text is limited by the
 * caller, and a cell longer than MAX_CELL is cut, so nothing unbounded reaches a regex.
 */

export const MAX_CELL = 1_000;

/** Bytes → text: UTF-16 when the byte-order mark says so, otherwise UTF-8; the mark is dropped. */
export function decodeExport(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

/** The separator the most lines' first 2,000 characters use outside quotes. */
function separatorOf(text: string): string {
  const sample = text.slice(0, 2_000);
  const counts = [',', ';', '\t'].map((sep) => [sep, sample.split(sep).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![0];
}

/** Every line's cells; blank lines are kept as `[]` so line numbers stay the file's. */
export function parseCsv(text: string): string[][] {
  const sep = separatorOf(text);
  const lines: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const push = () => {
    row.push(cell.length > MAX_CELL ? cell.slice(0, MAX_CELL) : cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === sep) push();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      push();
      lines.push(row.length === 1 && row[0] === '' ? [] : row);
      row = [];
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    push();
    lines.push(row);
  }
  return lines;
}
