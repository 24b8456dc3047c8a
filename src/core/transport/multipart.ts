import { randomBytes } from "node:crypto";

export interface UploadFile {
  field: string;
  filename: string;
  content: string | Buffer;
  contentType: string;
}

/** A multipart/form-data body that can be sent more than once (a retry sends it again). */
export interface Multipart {
  contentType: string;
  length: number;
  /** The body in slices: a large file is neither copied whole nor encoded in one go, so other flows keep running. */
  chunks(): AsyncGenerator<Buffer>;
}

/** Bytes of the file handed to the socket at a time. */
const SLICE_BYTES = 1_048_576;

/** Form fields and one file, as multipart/form-data (RFC 7578). */
export function multipart(fields: Record<string, string>, file: UploadFile): Multipart {
  const boundary = `----cam-${randomBytes(16).toString("hex")}`;
  let head = "";
  for (const [name, value] of Object.entries(fields)) head += `--${boundary}\r\n${disposition(name)}\r\n\r\n${value}\r\n`;
  head += `--${boundary}\r\n${disposition(file.field, file.filename)}\r\ncontent-type: ${file.contentType}\r\n\r\n`;
  const start = Buffer.from(head, "utf8");
  const end = Buffer.from(`\r\n--${boundary}--\r\n`, "utf8");
  const { content } = file;
  const contentBytes = Buffer.byteLength(content, "utf8");
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: start.length + contentBytes + end.length,
    async *chunks() {
      yield start;
      yield* typeof content === "string" ? textSlices(content) : byteSlices(content);
      yield end;
    },
  };
}

/** Quotes, CR and LF in a name would end the header: escaped as browsers do (WHATWG). */
function disposition(name: string, filename?: string): string {
  const quoted = (text: string) => `"${text.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}"`;
  return `content-disposition: form-data; name=${quoted(name)}${filename === undefined ? "" : `; filename=${quoted(filename)}`}`;
}

function* byteSlices(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += SLICE_BYTES) yield bytes.subarray(at, at + SLICE_BYTES);
}

/** UTF-8 of the text, a slice at a time; a slice never ends between the two halves of a surrogate pair. */
function* textSlices(text: string): Generator<Buffer> {
  for (let at = 0; at < text.length;) {
    let end = Math.min(text.length, at + SLICE_BYTES);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    yield Buffer.from(text.slice(at, end), "utf8");
    at = end;
  }
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
