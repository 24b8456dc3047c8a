import type { Node, NodeAPI, NodeMessage } from "node-red";
import { inputError } from "../errors";

/** Returns the value of one typed-input property for a message; a promise only for context and JSONata. */
export type Resolver = (msg: NodeMessage) => unknown;

export interface TypedValue {
  value: string;
  type: string;
}

const PLAIN_NAME = /^[A-Za-z_$][\w$]*$/;

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
          throw inputError(field, "expression", { reason: (err as Error).message });
        }
      };
    }
    case "jsonata":
      return compileJsonata(RED, node, field, value);
    case "flow":
    case "global":
    case "date":
      return (msg) => evaluateAsync(RED, node, field, prop, msg);
    case "json": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return () => {
          throw inputError(field, "json");
        };
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

function evaluateAsync(RED: NodeAPI, node: Node, field: string, prop: TypedValue, msg: NodeMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => reject(inputError(field, "expression", { reason: err.message }));
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
    return () => {
      throw inputError(field, "expression", { reason });
    };
  }
  return (msg) =>
    new Promise((resolve, reject) => {
      RED.util.evaluateJSONataExpression(prepared as never, msg, (err, result) =>
        err ? reject(inputError(field, "expression", { reason: err.message })) : resolve(result)
      );
    });
}
