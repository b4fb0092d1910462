// Tells a text that is not UTF-8 by its first bytes (a UTF-16/32 byte-order mark, or NULs between ASCII letters), so
// the message says "save it as UTF-8" instead of "not valid JSON". Shared by every reader (small inputs and graphs).

/** The encoding the first bytes betray when it is UTF-16 or UTF-32, else undefined (UTF-8, ASCII, or unknown). */
export function wideEncoding(head: Uint8Array): string | undefined {
  const b = (i: number) => (i < head.length ? head[i] : -1);
  // Byte-order marks. UTF-32LE starts like UTF-16LE, so it is tested first.
  if (b(0) === 0xff && b(1) === 0xfe && b(2) === 0 && b(3) === 0) return 'UTF-32LE';
  if (b(0) === 0 && b(1) === 0 && b(2) === 0xfe && b(3) === 0xff) return 'UTF-32BE';
  if (b(0) === 0xff && b(1) === 0xfe) return 'UTF-16LE';
  if (b(0) === 0xfe && b(1) === 0xff) return 'UTF-16BE';
  // No mark: ASCII text saved as UTF-16 has a NUL in every other byte. Look at the first 64 bytes only; UTF-8 text
  // has no NUL at all, so half of them being NUL on one side is not an accident.
  const n = Math.min(head.length, 64) & ~1;
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul >= pairs * 0.75 && evenNul === 0) return 'UTF-16LE';
  if (evenNul >= pairs * 0.75 && oddNul === 0) return 'UTF-16BE';
  return undefined;
}

/** The one-line message for a file in a wide encoding. */
export function wideEncodingMessage(encoding: string): string {
  return `the file is ${encoding} text: save it as UTF-8 (e.g. \`iconv -f ${encoding} -t UTF-8\`)`;
}
