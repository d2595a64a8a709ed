/**
 * What the client says about a reconnecting run (client/reconnecting-session.ts), one line per
 * piece of news: on stderr in scripted mode (stdout keeps only the server's events, so a script
 * reading it is not disturbed), above the prompt in interactive mode. Documented in README.md
 * "Running the client".
 */
import { describeUnanswered } from "../../client/logout-barrier.ts";
import type { ReconnectNews } from "../../client/reconnecting-session.ts";
import { shown } from "./event-line.ts";

export function reconnectRemark(news: ReconnectNews): string {
  switch (news.kind) {
    case "dropped": {
      const lost = news.unanswered.length === 0 ? "" : `; ${describeUnanswered(news.unanswered)}`;
      return `connection lost: ${news.failure.message}${lost}`;
    }
    case "waiting": {
      const seconds = (news.delayMs / 1000).toFixed(1);
      // The first wait follows the drop just reported; later ones say why the attempt failed.
      const why = news.attempt === 1 ? "" : `; the last attempt failed: ${news.failure.message}`;
      return `reconnecting in ${seconds} s (attempt ${news.attempt})${why}`;
    }
    case "reconnected": {
      const version = news.session.agreement?.version ?? 0;
      const rooms =
        news.rooms.length === 0
          ? ""
          : `; joining ${news.rooms.map((room) => `#${shown(room)}`).join(", ")} again`;
      return `reconnected to ${news.session.remoteAddress}, protocol version ${version}${rooms}`;
    }
  }
}
