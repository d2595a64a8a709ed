/**
 * The faults the minimal client can be told to plant (`--fault NAME`), one rule of the spec each, so
 * the client suite's test can show that each fails exactly the scenarios of its rule.
 */
export const PLANTED_FAULTS = {
  "login-before-response": "sends LOGIN_REQUEST right after VERSION_REQUEST (REQ-4.1)",
  "header-version-zero": "keeps header version 0 after negotiation (REQ-4.5)",
  "never-pings": "never sends a PING (REQ-7.1)",
  "trusts-login-text": "acts on the text of LOGIN_RESPONSE, not its status (REQ-5.9)",
  "ignores-silence": "never gives a silent server up for dead (REQ-7.8)",
  "reuses-message-ids": "gives every CHAT message id 1 (REQ-6.7)",
  "no-error-on-bad-frame": "closes on a bad frame without the ERROR (REQ-8.2)",
  "ignores-closing-error": "carries on after a closing ERROR from the server (REQ-9.6)",
  "resumes-from-first-id":
    "resumes a room from the first id it showed there, not the last (REQ-15.25)",
  "shows-duplicates": "shows a message again when its id comes a second time (REQ-15.17)",
  "history-beyond-max-page": "asks for 20 history items whatever max_page says (REQ-15.27)",
} as const;

export type PlantedFault = keyof typeof PLANTED_FAULTS;

export function isPlantedFault(name: string): name is PlantedFault {
  return Object.hasOwn(PLANTED_FAULTS, name);
}
