// A dialog's preview of the words a node will send, for a sample msg.payload the user edits: the same
// rendering as the runtime (src/shared/message-text.ts), so what it shows is what arrives.
import { FACTS } from "./facts";
import { fillTemplate, NotShowable, readableText, templateProblem } from "../shared/message-text";

/** What the preview shows for a typed input's value and type, given the sample payload. */
export function previewText(value: string, type: string, payload: unknown): { text: string } | { note: string } {
  const msg = { payload };
  try {
    if (type === "str") return { text: value };
    if (type === FACTS.templateType) {
      const problem = templateProblem(value);
      return problem ? { note: "template" } : { text: fillTemplate(value, msg) };
    }
    if (type === "msg") return { text: readableText(RED.utils.getMessageProperty(msg, value)) };
  } catch (err) {
    // A message path still being typed ("payload.") cannot be read yet.
    return { note: err instanceof NotShowable ? "notShowable" : "later" };
  }
  return { note: "later" };
}

/**
 * Wires the preview rows of a panel: #node-input-<field>-sample (the sample payload, JSON or text)
 * and #node-input-<field>-preview, updated as the field, its type or the sample change.
 * `type` is the panel's node type, whose catalogue has preview.later/template/notShowable/json.
 */
export function messagePreview(node: EditedNode, type: string, field: string): void {
  const input = $(`#node-input-${field}`);
  const sample = $(`#node-input-${field}-sample`);
  const shown = $(`#node-input-${field}-preview`);
  const update = () => {
    const raw = String(sample.val() ?? "");
    let payload: unknown = raw;
    try {
      payload = raw.trim() === "" ? "" : JSON.parse(raw);
    } catch {
      // not JSON: the sample is text, as an inject node's string payload
    }
    const result = previewText(String(input.typedInput("value")), String(input.typedInput("type")), payload);
    shown.css("font-style", "note" in result ? "italic" : "normal").text("text" in result ? result.text : node._(`${type}.preview.${result.note}`));
  };
  input.on("change", update);
  sample.on("input change", update);
  update();
}
