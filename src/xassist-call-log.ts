import type { NodeAPI } from "node-red";
import { callLog } from "./xassist/xassist-operations";
import { registerOperation } from "./core/operation-node";

export = (RED: NodeAPI): void => registerOperation(RED, callLog);
