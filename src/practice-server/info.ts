// The demo logins that start() returns, the CLI prints and GET /_practice/info answers.
import { XA_DEMO } from "./demo-data";
import type { Runtime } from "./runtime";

export function xassistLogin() {
  return {
    username: XA_DEMO.connector.userId,
    password: XA_DEMO.password,
    domain: XA_DEMO.domain,
    userDbId: XA_DEMO.connector.userDbId,
    expertUsername: XA_DEMO.expert.userId,
    expertUserDbId: XA_DEMO.expert.userDbId,
    glassesUsername: XA_DEMO.glasses.userId,
    glassesUserDbId: XA_DEMO.glasses.userDbId,
    teamId: XA_DEMO.team.id,
    contacts: {
      connector: { ...XA_DEMO.connector, domain: XA_DEMO.domain },
      expert: { ...XA_DEMO.expert, domain: XA_DEMO.domain },
      glasses: { ...XA_DEMO.glasses, domain: XA_DEMO.domain },
    },
  };
}

export function practiceInfo(rt: Runtime) {
  return { url: rt.url, tokens: { ...rt.state.data.tokens }, xassist: xassistLogin() };
}
