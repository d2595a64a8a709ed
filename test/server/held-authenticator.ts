/**
 * An authenticator whose password checks run until the test releases them: tests of what a slow
 * check (a strong KDF, the login throttle) must not cost a client synchronise on it, not on sleeps.
 * It knows one account, user1 / pass1.
 */
import type { Authenticator } from "../../server/user-store.ts";

export interface HeldAuthenticator {
  authenticator: Authenticator;
  /** Resolves once a check has begun. */
  checkIsRunning: Promise<void>;
  /** Lets every check, running or to come, finish. */
  releaseCheck: () => void;
}

export function heldAuthenticator(): HeldAuthenticator {
  let releaseCheck: () => void = () => {};
  const checkMayFinish = new Promise<void>((resolve) => {
    releaseCheck = resolve;
  });
  let checkStarted: () => void = () => {};
  const checkIsRunning = new Promise<void>((resolve) => {
    checkStarted = resolve;
  });
  return {
    authenticator: {
      verify: async (name, password) => {
        checkStarted();
        await checkMayFinish;
        return name === "user1" && password === "pass1";
      },
    },
    checkIsRunning,
    releaseCheck,
  };
}
