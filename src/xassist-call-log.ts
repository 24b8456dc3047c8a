import type { NodeAPI } from "node-red";
import { callLog } from "./lib/xassist-operations";
import { registerOperation } from "./lib/operation-node";

export = (RED: NodeAPI): void => registerOperation(RED, callLog);
