/**
 * An echo bot written on the Parrot client library: it logs in, says hello, and answers every
 * direct message with the same text until someone sends it "bye"; then it logs out cleanly.
 *
 *   node --conditions=parrot-source --import tsx client/examples/echo-bot.ts HOST PORT USER PASSWORD
 */
import { pathToFileURL } from "node:url";
import { connectSession } from "parrot-chat/client";

export async function runEchoBot(host: string, port: number, user: string, password: string) {
  const session = await connectSession({ host, port });
  const agreed = await session.negotiate([1, 2]);
  const answer = await session.login(user, password);
  if (answer.status !== "OK") {
    await session.logout();
    throw new Error(`login refused: ${answer.status}`);
  }
  if (!session.supports("DIRECT_SEND")) {
    await session.logout();
    throw new Error(`direct messages need protocol v2; the server agreed v${agreed.version}`);
  }
  const bye = new Promise<void>((resolve) => {
    session.onEvent((event) => {
      if (event.kind === "echo") console.log(`said: ${event.text}`);
      if (event.kind !== "direct-message") return;
      if (event.text === "bye") resolve();
      else session.requests.directSend(event.from, event.text);
    });
  });
  session.onNotice((notice) => console.error(`server: ${notice}`));
  session.requests.chat(`${user} is here: send me a direct message`);
  // Until "bye", or until the server ends the session (then logout() throws why).
  await Promise.race([bye, session.ended]);
  // Waits for every answer (the replies' DIRECT_STATUS), sends LOGOUT, waits for the server's EOF.
  await session.logout();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [host = "localhost", port = "55667", user = "user1", password = "pass1"] =
    process.argv.slice(2);
  await runEchoBot(host, Number(port), user, password);
}
