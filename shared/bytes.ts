/** String sizes in UTF-8 bytes, the unit storage limits (and PostgreSQL's index rows) are in. */
/**
 * UTF-8 length of a string without encoding it. Callers check `value.length` against their
 * limit first (a UTF-16 unit is at least one byte), so this never walks a huge string.
 */
export function utf8Length(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < value.length) {
      // A surrogate pair is one code point: four bytes.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** True when `value` fits in `maxBytes` of UTF-8, checking the cheap bound first. */
export const fitsBytes = (value: string, maxBytes: number): boolean =>
  value.length <= maxBytes && utf8Length(value) <= maxBytes;
