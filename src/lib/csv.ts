import Papa from "papaparse";
import { inputError } from "./errors";
import { describe, isPlainObject } from "./validate";

export function csvToObjects(csv: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
}

/** CSV for an upload: text, a Buffer (UTF-8) or an array of row objects. */
export function csvText(field: string, value: unknown): string {
  let csv: string;
  if (typeof value === "string") csv = value;
  else if (Buffer.isBuffer(value)) csv = value.toString("utf8");
  else if (Array.isArray(value) && value.length && value.every(isPlainObject)) csv = rowsToCsv(field, value);
  else throw inputError(field, "notCsv", { type: describe(value) });
  if (!csv.trim()) throw inputError(field, "missing");
  return csv.replace(/^\uFEFF/, "");
}

function rowsToCsv(field: string, rows: Record<string, unknown>[]): string {
  try {
    return Papa.unparse(rows);
  } catch {
    throw inputError(field, "notCsv", { type: "array" });
  }
}
