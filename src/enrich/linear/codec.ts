/**
 * The on-disk form of a `LinearModel` (`models/*.bin`): weights quantised to int16 with one scale per
 * model, which halves the size of float32 and changes no prediction we measured.
 *
 * Layout: "ESM1" | u32 header length | header JSON | float32 bias[K] | int16 weights[2^bits * K], little-endian.
 */
import type { LinearModel } from './model.ts';

const MAGIC = 'ESM1';

interface Header {
  labels: string[];
  features: LinearModel['features'];
  bits: number;
  scale: number;
  meta: Record<string, unknown>;
}

export function encodeModel(model: LinearModel): Buffer {
  let maxAbs = 0;
  const given = model.scale ?? 1;
  for (const w of model.weights) maxAbs = Math.max(maxAbs, Math.abs(w * given));
  const scale = maxAbs > 0 ? maxAbs / 32767 : 1;
  const header: Header = { labels: model.labels, features: model.features, bits: model.bits, scale, meta: model.meta };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const k = model.labels.length;
  const out = Buffer.alloc(8 + json.length + 4 * k + 2 * model.weights.length);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  let o = 8 + json.length;
  for (let c = 0; c < k; c++, o += 4) out.writeFloatLE(model.bias[c] as number, o);
  for (let i = 0; i < model.weights.length; i++, o += 2) out.writeInt16LE(Math.round(((model.weights[i] as number) * given) / scale), o);
  return out;
}

/** Reads a model written by `encodeModel`; throws if the buffer is not one. */
export function decodeModel(buf: Buffer): LinearModel {
  if (buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('not an Earshot model file (bad magic)');
  const length = buf.readUInt32LE(4);
  const header = JSON.parse(buf.toString('utf8', 8, 8 + length)) as Header;
  const k = header.labels.length;
  const size = (1 << header.bits) * k;
  let o = 8 + length;
  if (buf.length !== o + 4 * k + 2 * size) throw new Error('truncated Earshot model file');
  const bias = new Float32Array(k);
  for (let c = 0; c < k; c++, o += 4) bias[c] = buf.readFloatLE(o);
  // Copied out so the weights are aligned and independent of the file buffer.
  const weights = new Int16Array(buf.buffer.slice(buf.byteOffset + o, buf.byteOffset + o + 2 * size));
  return { labels: header.labels, features: header.features, bits: header.bits, bias, weights, scale: header.scale, meta: header.meta };
}
