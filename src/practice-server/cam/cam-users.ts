// exportUsers and updateUsersCSV (both admin only)
import Papa from "papaparse";
import { uploadPart } from "../../cam/cam-apis";
import { DEFAULT_EXPORT_FILENAME, EXPORT_CONTENT_TYPE, exportDisposition, SUCCESS_BODY, USER_CSV_COLUMNS } from "../contract";
import { badRequest, type CamContext, type CamHandlers } from "./cam-context";
import { userUid } from "../ids";
import { ok, type Reply } from "../http/reply";

function exportUsers(ctx: CamContext<"exportUsers">): Reply {
  const requested = (ctx.fields.path ?? "").trim();
  const filename =
    requested
      .split(/[\\/]/)
      .pop()!
      .replace(/["\r\n]/g, "") || DEFAULT_EXPORT_FILENAME;
  const rows = ctx.state.data.users.map((u) => [u.email, u.name, u.department, String(u.admin)]);
  const csv = Papa.unparse({ fields: [...USER_CSV_COLUMNS], data: rows }, { newline: "\r\n" }) + "\r\n";
  return {
    httpStatus: 200,
    contentType: EXPORT_CONTENT_TYPE,
    body: csv,
    headers: { "Content-Disposition": exportDisposition(filename) },
    processed: true,
  };
}

async function uploadedCsv(ctx: CamContext<"updateUsersCSV">): Promise<string> {
  if (!ctx.contentType.toLowerCase().startsWith("multipart/form-data")) throw badRequest("updateUsersCSV needs multipart/form-data");
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(ctx.body) as Uint8Array<ArrayBuffer>, { headers: { "content-type": ctx.contentType } }).formData();
  } catch {
    throw badRequest("malformed multipart body");
  }
  const part = uploadPart("updateUsersCSV");
  const file = form.get(part);
  if (file === null) throw badRequest(`part ${part} is missing`);
  const text = typeof file === "string" ? file : await file.text();
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const TRUE_WORDS = new Set(["true", "1", "yes", "y", "on", "admin"]);

async function updateUsersCSV(ctx: CamContext<"updateUsersCSV">): Promise<Reply> {
  const text = await uploadedCsv(ctx);
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: "greedy", transformHeader: (h) => h.trim() });
  if (!parsed.meta.fields?.includes("email")) throw badRequest(`the CSV needs a header line with ${USER_CSV_COLUMNS.join(",")}`);
  const rows = parsed.data.map((row, i) => {
    const email = (row.email ?? "").trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw badRequest(`line ${i + 2}: invalid email`);
    return {
      email,
      name: row.name?.trim(),
      department: row.department?.trim(),
      admin: row.admin === undefined ? undefined : TRUE_WORDS.has(row.admin.trim().toLowerCase()),
    };
  });
  let updated = 0;
  let created = 0;
  for (const row of rows) {
    const existing = ctx.state.userByEmail(row.email);
    if (existing) {
      if (row.name !== undefined) existing.name = row.name;
      if (row.department !== undefined) existing.department = row.department;
      if (row.admin !== undefined) existing.admin = row.admin;
      updated++;
    } else {
      const user = {
        uid: userUid(),
        email: row.email,
        name: row.name ?? row.email,
        department: row.department ?? "",
        admin: row.admin ?? false,
        apiEnabled: true,
      };
      ctx.state.data.users.push(user);
      ctx.state.reindex();
      created++;
    }
  }
  ctx.state.changed();
  return ok(SUCCESS_BODY.updateUsersCSV(updated, created));
}

export const USER_HANDLERS: CamHandlers<"exportUsers" | "updateUsersCSV"> = { exportUsers, updateUsersCSV };
