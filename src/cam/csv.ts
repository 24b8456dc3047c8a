import { isUtf8 } from "node:buffer";
import type * as PapaParse from "papaparse";
import { CodedError, inputError } from "../core/errors";
import { describe, isPlainObject, MAX_FILE_BYTES, wellFormed } from "../core/validate";

// Loaded on first use, as undici is (core/undici.ts): only the user-list nodes need it, and a
// Node-RED start should not pay for it.
let papa: typeof PapaParse | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Papa = (): typeof PapaParse => (papa ??= require("papaparse") as typeof PapaParse);

export function csvToObjects(csv: string): Record<string, string>[] {
  return Papa().parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * CSV for an upload: text, an array of row objects, or a Buffer, which is sent as the file's own
 * bytes (the API reads UTF-8); only a UTF-8 byte order mark is left out.
 */
export function csvContent(field: string, value: unknown): string | Buffer {
  if (Buffer.isBuffer(value)) return csvBytes(field, value);
  let csv: string;
  if (typeof value === "string") csv = value;
  else if (Array.isArray(value) && value.length && value.every(isPlainObject)) csv = rowsToCsv(field, value);
  else throw inputError(field, "notCsv", { type: describe(value) });
  if (csv.length > MAX_FILE_BYTES) throw inputError(field, "tooLarge", { max: MAX_FILE_BYTES / 1_048_576 });
  if (!/\S/.test(csv)) throw inputError(field, "missing");
  if (!wellFormed(csv)) throw inputError(field, "brokenText");
  return csv.replace(/^\uFEFF/, "");
}

function csvBytes(field: string, bytes: Buffer): Buffer {
  if (bytes.length > MAX_FILE_BYTES) throw inputError(field, "tooLarge", { max: MAX_FILE_BYTES / 1_048_576 });
  const content = bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
  if (!content.some((byte) => !ASCII_SPACE.has(byte))) throw inputError(field, "missing");
  if (!isUtf8(content)) throw inputError(field, "notUtf8");
  return content;
}

const ASCII_SPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]);

/** Cells are text, finite numbers, true/false or empty: an object would arrive as "[object Object]". */
function rowsToCsv(field: string, rows: Record<string, unknown>[]): string {
  try {
    rows.forEach((row, i) => {
      for (const [key, cell] of Object.entries(row)) {
        if (!isCell(cell)) throw inputError(`${field}[${i}].${key}`, "notCell", { type: describe(cell) });
      }
    });
    return Papa().unparse(rows);
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw inputError(field, "notCsv", { type: "array" });
  }
}

const isCell = (value: unknown): boolean =>
  value === null || value === undefined || typeof value === "string" || typeof value === "boolean" || Number.isFinite(value);
