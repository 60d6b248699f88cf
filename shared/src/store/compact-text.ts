import { constants, DeflateRaw, deflateRawSync, inflateRawSync, type ZlibOptions } from 'node:zlib';

/**
 * Bytes as a string of characters 0-127, 7 bits each (8 characters per 7 bytes): every character is one
 * byte in UTF-8, so the string goes to Redis (and to and from Lua, which only passes it on) as arguments
 * and replies do, at 8/7 of the size of the bytes. Binary strings would need Buffer arguments and
 * replies on every path that carries them.
 */
export function toSevenBit(bytes: Uint8Array): string {
  const out = Buffer.allocUnsafe(Math.ceil((bytes.length * 8) / 7));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    acc = (acc << 8) | (bytes[i] as number);
    bits += 8;
    while (bits >= 7) {
      bits -= 7;
      out[o++] = (acc >>> bits) & 0x7f;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out[o++] = (acc << (7 - bits)) & 0x7f;
  return out.toString('latin1', 0, o);
}

/** The bytes `toSevenBit` made this string of (trailing padding bits dropped). */
export function fromSevenBit(text: string): Buffer {
  const out = Buffer.allocUnsafe(Math.floor((text.length * 7) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    acc = (acc << 7) | (text.charCodeAt(i) & 0x7f);
    bits += 7;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  return out.subarray(0, o);
}

export interface TextCompactor {
  /** `text` deflated with the dictionary, as seven-bit text. */
  compress(text: string): string;
  decompress(packed: string): string;
}

/**
 * Raw deflate with a preset dictionary of what the texts repeat, as seven-bit text. Level 6 and a 4 KB
 * window: as small as the default's output on short texts, cheaper to set up; the dictionary's last
 * 4 KB are what the window sees. A 2 KB output chunk to start inflating with (16 KB by default): most
 * texts inflate to less, and a smaller buffer is cheaper to get.
 *
 * The dictionary is part of the stored format: texts compressed with it can only be read with it.
 */
export function textCompactor(vocabulary: string): TextCompactor {
  const dictionary = Buffer.from(vocabulary, 'utf8');
  const deflate = reusedDeflate({ dictionary, level: 6, windowBits: 12, memLevel: 6 });
  const inflate = { dictionary, windowBits: 12, chunkSize: 2048 } as const;
  return {
    compress: (text) => toSevenBit(deflate(Buffer.from(text, 'utf8'))),
    decompress: (packed) => inflateRawSync(fromSevenBit(packed), inflate).toString('utf8'),
  };
}

/** The parts of a zlib engine Node's own deflateRawSync drives (lib/zlib.js, processChunkSync). */
interface ZlibEngine {
  _handle?: {
    writeSync?(
      flush: number,
      input: Buffer,
      inOff: number,
      inLen: number,
      out: Buffer,
      outOff: number,
      outLen: number,
    ): void;
    reset(): void;
  };
  /** After a write: the output bytes left free, the input bytes left unread. */
  _writeState?: Uint32Array;
}

/** Room for any text the stores compress whole (a log event's bodies are capped at 16 KB each). */
const OUT_BYTES = 64 * 1024;

/**
 * `deflateRawSync(input, options)` on one engine kept for every text and reset after each (which sets
 * the dictionary again): the same bytes, without a new engine per text, whose setup and teardown cost
 * about a third of a short text's deflate. It drives the engine as deflateRawSync itself does; where
 * that is not there, an error comes, or the output does not fit, deflateRawSync does the text. The
 * bytes it answers are overwritten by the next call.
 */
function reusedDeflate(options: ZlibOptions): (input: Buffer) => Buffer {
  const engine = new DeflateRaw(options);
  const { _handle: handle, _writeState: state } = engine as unknown as ZlibEngine;
  const writeSync = handle?.writeSync;
  if (!handle || !writeSync || !state) return (input) => deflateRawSync(input, options);
  let failed = false;
  engine.on('error', () => {
    failed = true;
  });
  const out = Buffer.allocUnsafe(OUT_BYTES);
  return (input) => {
    if (failed) return deflateRawSync(input, options);
    writeSync.call(handle, constants.Z_FINISH, input, 0, input.length, out, 0, out.length);
    if (failed) return deflateRawSync(input, options);
    const [outLeft = 0, inLeft = 0] = state;
    handle.reset();
    if (outLeft === 0 || inLeft !== 0) return deflateRawSync(input, options);
    return out.subarray(0, out.length - outLeft);
  };
}
