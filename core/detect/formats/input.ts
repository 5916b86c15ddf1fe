import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Bytes handed to the parsers per batch: large enough to amortize async overhead, small for RSS. */
export const CHUNK_BYTES = 256 * 1024;

/**
 * The decoded bytes of a log object: gzip (by its magic bytes, not its name) is inflated on the
 * fly, anything else passes through. Nothing is buffered beyond the current chunk.
 */
export async function* decoded(source: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = toBuffer(first.value);
  const all = (async function* () {
    yield head;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield toBuffer(next.value);
    }
  })();
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    for await (const chunk of Readable.from(all).pipe(createGunzip({ chunkSize: CHUNK_BYTES })))
      yield chunk as Buffer;
  } else {
    yield* all;
  }
}

function toBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  return typeof chunk === 'string'
    ? Buffer.from(chunk, 'utf8')
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Splits a byte stream into lines, one array of lines per input chunk. Lines are decoded only once
 * complete, so multi-byte characters split across chunks survive; `\r\n` is accepted.
 */
export async function* lines(source: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  let carry: Buffer | undefined;
  for await (const chunk of source) {
    const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    const out: string[] = [];
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      if (end > start) out.push(buf.toString('utf8', start, end));
      start = nl + 1;
    }
    carry = start < buf.length ? buf.subarray(start) : undefined;
    if (carry && carry.length > 64 * 1024 * 1024) throw new Error('a single log line exceeds 64 MiB');
    if (out.length) yield out;
  }
  if (carry?.length) {
    const last = carry.toString('utf8').replace(/\r$/, '');
    if (last) yield [last];
  }
}
