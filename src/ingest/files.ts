// Reading input files: plain or gzipped, with errors that name the file.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../model/errors.js';

export function readText(file: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : String((err as Error).message);
    throw new InputError({ file, message: why });
  }
  if (file.endsWith('.gz') || (buf.length > 2 && buf[0] === 0x1f && buf[1] === 0x8b)) {
    try {
      buf = gunzipSync(buf);
    } catch (err) {
      throw new InputError({ file, message: `not valid gzip data (${(err as Error).message})` });
    }
  }
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM is not part of the data
  return text;
}

/** Line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** JSON.parse with an error that names file and line. */
export function parseJson(text: string, file: string): unknown {
  if (text.trim() === '') throw new InputError({ file, line: 1, message: 'file is empty' });
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const m = /position (\d+)/.exec(msg);
    const line = m ? lineAt(text, Number(m[1])) : undefined;
    throw new InputError({ file, line, message: `not valid JSON: ${msg.replace(/^Unexpected/, 'unexpected').replace(/ in JSON at position \d+.*$/, '')}` });
  }
}
