// `COPY … TO STDOUT` read straight off the connection's socket as rows: PostgreSQL sends each row of a COPY TO as
// one CopyData message, so a socket chunk is cut into row ranges where its messages are (no search for newlines,
// no Buffer per row, no concatenation of the rows as pg-copy-streams does); the stream gives one RowBatch per
// socket chunk. It takes over the connection as pg-copy-streams' copy-to does (the same pg Submittable protocol:
// the socket's data listener is lifted for the COPY and given back at its end, or at an error, whose message pg
// then parses as usual), and keeps its backpressure: a batch not yet consumed stops the socket being read.
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type pg from 'pg';

/** The rows of one socket chunk: row k is bytes starts[k]..ends[k]-1 of `buf` (without its newline). */
export interface RowBatch {
  buf: Buffer;
  starts: Int32Array;
  ends: Int32Array;
  n: number;
  /** COPY data bytes in this batch (for the progress display). */
  bytes: number;
}

const COPY_DATA = 0x64; // d
const COPY_OUT_RESPONSE = 0x48; // H
const ERROR_RESPONSE = 0x45; // E
const NOTICE = 0x4e; // N
const PARAMETER_STATUS = 0x53; // S
const NOTIFICATION = 0x41; // A
const NL = 10;

/** The part of pg's Connection this stream uses. */
interface PgConnection {
  stream: Socket;
  query(text: string): void;
}

export class CopyRowsStream extends Readable {
  rowCount = 0;
  private connection: PgConnection | undefined;
  private pgDataHandler: ((chunk: Buffer) => void) | undefined;
  /**
   * The chunks holding a message cut by the end of a socket chunk, their bytes, and how many the message needs
   * (5 while its length is not known): a long row is put together once, not once per chunk.
   */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingNeed = 0;
  private drained = false;
  private forwarding = false;
  private done = false;
  private starts = new Int32Array(4096);
  private ends = new Int32Array(4096);
  private readonly onReadable = () => this.forward();

  constructor(readonly text: string) {
    super({ objectMode: true, highWaterMark: 2 });
  }

  /** pg's Submittable: called when the query's turn comes on the connection. */
  submit(pgConnection: pg.Connection): void {
    const connection = pgConnection as unknown as PgConnection;
    this.connection = connection;
    const stream = connection.stream;
    const listeners = stream.listeners('data') as ((chunk: Buffer) => void)[];
    if (listeners.length !== 1) throw new Error(`COPY: the connection has ${listeners.length} data listeners, expected 1`);
    this.pgDataHandler = listeners[0];
    stream.removeListener('data', this.pgDataHandler);
    stream.pause();
    this.forward();
    stream.on('readable', this.onReadable);
    connection.query(this.text);
  }

  override _read(): void {
    this.drained = true;
    this.forward();
  }

  private forward(): void {
    if (this.forwarding || !this.drained || !this.connection || this.done) return;
    this.forwarding = true;
    const stream = this.connection.stream;
    let chunk: Buffer | null;
    while (this.drained && !this.done && (chunk = stream.read()) !== null) this.drained = this.parse(chunk);
    this.forwarding = false;
  }

  /** Cuts a socket chunk into rows; returns whether more may be read now (backpressure). */
  private parse(chunk: Buffer): boolean {
    let buf = chunk;
    if (this.pending.length) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < this.pendingNeed) return true;
      buf = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let n = 0;
    let bytes = 0;
    let p = 0;
    let end = false;
    while (p + 5 <= buf.length) {
      const code = buf[p];
      if (code === ERROR_RESPONSE) {
        // pg parses the error (and what follows) itself: the query's handleError is called.
        return this.flush(buf, n, bytes, false, buf.subarray(p));
      }
      const len = buf.readUInt32BE(p + 1);
      if (p + 1 + len > buf.length) break;
      if (code === COPY_DATA) {
        const s = p + 5;
        const e = p + 1 + len;
        if (e <= s || buf[e - 1] !== NL) throw new Error('COPY: a CopyData message that is not one row ending in a newline');
        if (n === this.starts.length) this.grow();
        this.starts[n] = s;
        this.ends[n] = e - 1;
        n++;
        bytes += e - s;
      } else if (code !== COPY_OUT_RESPONSE && code !== NOTICE && code !== PARAMETER_STATUS && code !== NOTIFICATION) {
        // CopyDone (or anything else: the protocol says it ends copy-out mode); what follows is pg's.
        p += 1 + len;
        end = true;
        break;
      }
      p += 1 + len;
    }
    if (end) return this.flush(buf, n, bytes, true, buf.subarray(p));
    if (p < buf.length) {
      // A copy, so that the batch's buffer is not kept alive by the next one's.
      this.pending = [Buffer.from(buf.subarray(p))];
      this.pendingBytes = buf.length - p;
      this.pendingNeed = this.pendingBytes >= 5 ? 1 + buf.readUInt32BE(p + 1) : 5;
    }
    return this.flush(buf, n, bytes, false);
  }

  /** Pushes the batch; at the end of the COPY (or an error) gives the connection back with the bytes after it. */
  private flush(buf: Buffer, n: number, bytes: number, finished: boolean, rest?: Buffer): boolean {
    let more = true;
    if (n > 0) {
      this.rowCount += n;
      // Copies of the ranges: the next chunk reuses the arrays.
      more = this.push({ buf, starts: this.starts.slice(0, n), ends: this.ends.slice(0, n), n, bytes } satisfies RowBatch);
    }
    if (rest !== undefined) {
      this.detach(rest);
      if (finished) this.push(null);
    }
    return more;
  }

  private detach(rest: Buffer): void {
    this.done = true;
    const connection = this.connection!;
    const stream = connection.stream;
    stream.removeListener('readable', this.onReadable);
    stream.addListener('data', this.pgDataHandler!);
    if (rest.length) this.pgDataHandler!(rest);
    // As pg-copy-streams: pg's own handler may pause the stream at its high-water mark; resume after it returns.
    process.nextTick(() => stream.resume());
  }

  private grow(): void {
    const s = new Int32Array(this.starts.length * 2);
    s.set(this.starts);
    const e = new Int32Array(this.ends.length * 2);
    e.set(this.ends);
    this.starts = s;
    this.ends = e;
  }

  // pg's Submittable callbacks.
  handleError(err: Error): void {
    this.emit('error', err);
  }
  handleCommandComplete(msg: { text?: string }): void {
    const m = /COPY (\d+)/.exec(msg?.text ?? '');
    if (m) this.rowCount = Number(m[1]);
  }
  handleReadyForQuery(): void {}
}

/** A COPY … TO STDOUT query whose stream gives RowBatches (pass to pg's client.query). */
export function copyRows(sql: string): CopyRowsStream {
  return new CopyRowsStream(sql);
}
