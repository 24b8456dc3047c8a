import type { NodeAPI } from "node-red";
import { createCall } from "./lib/xassist-operations";
import { registerOperation } from "./lib/operation-node";

export = (RED: NodeAPI): void => registerOperation(RED, createCall);
