/**
 * What the generated codec imports from "node:buffer", for the browser bundle (web/build.ts
 * aliases "node:buffer" to this file): the `buffer` package's Buffer, and isUtf8 from a fatal
 * TextDecoder, which rejects exactly the byte sequences that are not well-formed UTF-8. The
 * codec's fast paths call the slice and write methods Node.js defines on Buffer.prototype
 * (latin1Slice, utf8Slice, latin1Write, utf8Write); the package has them only as its own
 * encodings of toString and write, so they are added here with Node's meaning.
 */
import { Buffer } from "buffer";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

interface NodeRawMethods {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number, length: number): number;
  utf8Write(text: string, offset: number, length: number): number;
}

const prototype = Buffer.prototype as unknown as NodeRawMethods & Buffer;
prototype.latin1Slice = function (this: Buffer, start, end) {
  return this.toString("latin1", start, end);
};
prototype.utf8Slice = function (this: Buffer, start, end) {
  return this.toString("utf8", start, end);
};
prototype.latin1Write = function (this: Buffer, text, offset, length) {
  return this.write(text, offset, length, "latin1");
};
prototype.utf8Write = function (this: Buffer, text, offset, length) {
  return this.write(text, offset, length, "utf8");
};

export { Buffer };
