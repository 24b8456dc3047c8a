import type { NodeAPI } from "node-red";
import { updateChatRoom } from "./lib/cam-operations";
import { registerOperation } from "./lib/operation-node";

export = (RED: NodeAPI): void => registerOperation(RED, updateChatRoom);
