/**
 * A string's UTF-16 code units, copied into a typed array in one call, for the scans that run over every mention's
 * text (tokenising, squeezing elongations, hashing words and character n-grams).
 *
 * `s.charCodeAt(i)` is fast only while each call site sees few kinds of string: V8 gives strings different hidden
 * classes (flat one- or two-byte, concatenated, sliced, internalised …), and an import's texts reach the scanners as
 * six of them, so every `charCodeAt` and `length` in those loops became a megamorphic property lookup. A
 * Uint16Array is one kind. Copying costs one native call per text (`Buffer.prototype.write`, UTF-16LE).
 */
import os from 'node:os';

/** Returns the code units of `s` in its own buffer: valid until its next call (read `s.length` of them). */
export type CodeUnitReader = (s: string) => Uint16Array;

const LITTLE_ENDIAN = os.endianness() === 'LE';

export function codeUnitReader(): CodeUnitReader {
  let bytes = Buffer.allocUnsafeSlow(8192);
  let units = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
  return (s) => {
    if (s.length > units.length) {
      bytes = Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(2 * s.length)));
      units = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
    }
    // UTF-16LE is the array's byte order only on a little-endian machine; elsewhere the slow loop.
    if (LITTLE_ENDIAN) bytes.write(s, 0, 'utf16le');
    else for (let i = 0; i < s.length; i++) units[i] = s.charCodeAt(i);
    return units;
  };
}

/** The code unit at `j` of the first `n` in `u`, or -1 past them (where `charCodeAt` gives NaN; the buffer holds older text there). */
export function unitAt(u: Uint16Array, n: number, j: number): number {
  return j < n ? (u[j] as number) : -1;
}
