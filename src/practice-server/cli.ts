#!/usr/bin/env node
// npm run practice-server -- [--port N] [--host H] [--token T] [--data FILE]
import { parseArgs } from "node:util";
import { TOKEN_HEADER } from "../cam/cam-apis";
import { DEFAULT_PORT } from "./contract";
import { start } from "./index";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      token: { type: "string" },
      data: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: npm run practice-server -- [--port N (0 = free port)] [--host H] [--token ADMIN_TOKEN] [--data state.json]");
    return;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, not ${values.port}`);
  const sb = await start({ port, host: values.host, token: values.token, dataFile: values.data });
  const x = sb.xassist;
  console.log(`Chat&Messenger + xAssist practice server listening on ${sb.url}
  web page            ${sb.url}/
  admin API token     ${sb.tokens.admin}
  user API token      ${sb.tokens.user}   (not an administrator)
  disabled token      ${sb.tokens.disabled}   (user not allowed to use the API)
  xAssist login       username ${x.username}  password ${x.password}  domain ${x.domain}
  xAssist expert      ${x.expertUsername} (userDbId ${x.expertUserDbId}), smart glasses ${x.glassesUsername} (userDbId ${x.glassesUserDbId})
  try: curl -H "${TOKEN_HEADER}:${sb.tokens.admin}" ${sb.url}/getConferenceRooms${values.data ? `\n  state is saved in ${values.data}` : ""}
Ctrl-C stops it.`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    sb.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: Error) => {
  console.error(`practice server: ${err.message}`);
  process.exit(1);
});
