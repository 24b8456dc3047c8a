import type { Node, NodeAPI, NodeMessage } from "node-red";
import { fillTemplate, NotShowable, templateProblem } from "../../shared/message-text";
import { inputError } from "../errors";

/** Returns the value of one typed-input property for a message; a promise only for context and JSONata. */
export type Resolver = (msg: NodeMessage) => unknown;

export interface TypedValue {
  value: string;
  type: string;
}

const PLAIN_NAME = /^[A-Za-z_$][\w$]*$/;
/** The typed input of our panels for words with {{placeholders}} (Node-RED's template node syntax). */
export const TEMPLATE_TYPE = "template";

/**
 * Compiles a node property once, at deploy time, so that the hot path does no parsing:
 * constants are computed now, msg properties are a direct lookup.
 */
export function compileProperty(RED: NodeAPI, node: Node, field: string, prop: TypedValue): Resolver {
  const { value, type } = prop;
  switch (type) {
    case "msg": {
      // A plain name such as "payload" is a direct lookup; anything else goes through the runtime's parser.
      const name = value.startsWith("msg.") ? value.slice(4) : value;
      if (PLAIN_NAME.test(name)) return (msg) => (msg as Record<string, unknown>)[name];
      return (msg) => {
        try {
          return RED.util.getMessageProperty(msg, value);
        } catch (err) {
          throw inputError(field, "property", { value: name, reason: (err as Error).message });
        }
      };
    }
    case "jsonata":
      return compileJsonata(RED, node, field, value);
    case TEMPLATE_TYPE:
      return compileTemplate(RED, node, field, value);
    case "flow":
    case "global": {
      // The runtime would read an unparsable key as "nothing there": say what is wrong instead.
      const problem = contextKeyProblem(RED, value);
      if (problem) {
        return refused(() => inputError(field, "context", { type, reason: problem }));
      }
      return (msg) => evaluateAsync(RED, node, field, prop, msg);
    }
    case "date":
      return (msg) => evaluateAsync(RED, node, field, prop, msg);
    case "json": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return refused(() => inputError(field, "json"));
      }
      return () => structuredClone(parsed);
    }
    default: {
      // str, num, bool, env, bin: the same value for every message.
      const constant = RED.util.evaluateNodeProperty(value, type, node, {} as NodeMessage);
      return () => constant;
    }
  }
}

/** A property that cannot be read as configured: every message fails with this error, made for it. */
function refused(error: () => Error): Resolver {
  return () => {
    throw error();
  };
}

function contextKeyProblem(RED: NodeAPI, value: string): string | undefined {
  try {
    RED.util.normalisePropertyExpression(RED.util.parseContextStore(value).key);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function evaluateAsync(RED: NodeAPI, node: Node, field: string, prop: TypedValue, msg: NodeMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => reject(inputError(field, "context", { type: prop.type, reason: err.message }));
    try {
      RED.util.evaluateNodeProperty(prop.value, prop.type, node, msg, (err, result) => (err ? fail(err) : resolve(result)));
    } catch (err) {
      fail(err as Error);
    }
  });
}

function compileJsonata(RED: NodeAPI, node: Node, field: string, expression: string): Resolver {
  let prepared: unknown;
  try {
    prepared = RED.util.prepareJSONataExpression(expression, node);
  } catch (err) {
    const reason = (err as Error).message;
    return refused(() => inputError(field, "expression", { reason }));
  }
  return (msg) =>
    new Promise((resolve, reject) => {
      RED.util.evaluateJSONataExpression(prepared as never, msg, (err, result) =>
        err ? reject(inputError(field, "expression", { reason: err.message })) : resolve(result)
      );
    });
}

/**
 * {{payload.id}} reads the message, as in Node-RED's template node; {{env.NAME}}, {{flow.name}} and
 * {{global.name}} read environment variables and the default context store.
 */
function compileTemplate(RED: NodeAPI, node: Node, field: string, template: string): Resolver {
  const problem = templateProblem(template);
  if (problem) {
    return refused(() => inputError(field, "template", { reason: problem }));
  }
  const context = node.context();
  const lookup = (read: (name: string) => unknown) =>
    new Proxy({}, { has: () => true, get: (_target, name) => (typeof name === "string" ? read(name) : undefined) });
  const extra = {
    env: lookup((name) => RED.util.evaluateNodeProperty(name, "env", node, {} as NodeMessage)),
    flow: lookup((name) => context.flow.get(name)),
    global: lookup((name) => context.global.get(name)),
  };
  return (msg) => {
    try {
      return fillTemplate(template, Object.assign(Object.create(msg) as object, extra));
    } catch (err) {
      if (err instanceof NotShowable) throw inputError(field, "notShowable", { type: err.kind });
      throw err;
    }
  };
}
