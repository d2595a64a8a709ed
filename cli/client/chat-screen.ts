/**
 * The interactive chat screen: lines printed as they arrive, a status line (who is typing) just
 * above the prompt, and readline's prompt with whatever the user has typed so far, never garbled.
 *
 * Layout, bottom of the terminal:   ...printed lines...
 *                                   user2 is typing…           (the status line, when there is one)
 *                                   user1> half-typed text     (readline's prompt, may wrap)
 *
 * Every change redraws the status and prompt: move to where the status (or the prompt) starts,
 * clear to the end of the screen, write the new lines, then let readline redraw its prompt. The
 * cursor is as many rows into the prompt as the typed line has wrapped (getCursorPos), which is
 * how far up the prompt starts. Readline, though, redraws by moving up the rows it counted at its
 * own last redraw (`prevRows`), which lags behind when typing wraps the line without a redraw; so
 * that many fresh rows are written for it to move up through, and the prompt lands right under the
 * status whatever readline believed. (Counting the wrapped rows instead left the old status line
 * stranded above the new one once the input wrapped.)
 *
 * Enter is the one key that scrolls the prompt into the history: the status line is taken away
 * before readline handles it, so the submitted line stays in the scrollback directly under the
 * lines printed before it, and the status reappears under it with the next prompt.
 */
import { clearScreenDown, cursorTo, type Interface, moveCursor } from "node:readline";

export interface ScreenInput {
  prependListener(
    event: "keypress",
    listener: (text: string | undefined, key: { name?: string } | undefined) => void,
  ): unknown;
}

export class ChatScreen {
  private status: string | undefined;
  private statusShown = false;
  private live = true;

  constructor(
    private readonly chat: Interface,
    private readonly output: NodeJS.WritableStream,
    input: ScreenInput,
  ) {
    input.prependListener("keypress", (_text, key) => {
      if (this.live && this.statusShown && (key?.name === "return" || key?.name === "enter")) {
        this.render(undefined, false);
      }
    });
  }

  /** Prints a line above the status and the prompt. */
  print(line: string): void {
    if (!this.live) {
      this.output.write(`${line}\n`);
      return;
    }
    this.render(line, true);
  }

  /** Shows `status` above the prompt; undefined removes the status line. */
  setStatus(status: string | undefined): void {
    if (status === this.status) return;
    this.status = status;
    if (this.live) this.render(undefined, true);
  }

  /** Draws the prompt (and the status) afresh, e.g. after a line was submitted or it changed. */
  prompt(): void {
    if (this.live) this.render(undefined, true);
  }

  /**
   * The prompt is going away (logging out, or the server ended the session): the status line is
   * erased, and the prompt line too unless `keepLine` (Ctrl+C leaves what was typed visible).
   * Lines printed afterwards are written plainly.
   */
  close(keepLine: boolean): void {
    if (!this.live) return;
    if (keepLine) {
      if (this.statusShown) this.render(undefined, false);
      this.output.write("\n");
    } else {
      this.moveToTop();
      clearScreenDown(this.output);
    }
    this.live = false;
  }

  private render(line: string | undefined, withStatus: boolean): void {
    this.moveToTop();
    clearScreenDown(this.output);
    if (line !== undefined) this.output.write(`${line}\n`);
    this.statusShown = withStatus && this.status !== undefined;
    if (this.statusShown) this.output.write(`${this.status}\n`);
    this.output.write("\n".repeat(this.readlineRows()));
    this.chat.prompt(true);
  }

  /** How many rows readline will move up before it redraws the prompt (see the top). */
  private readlineRows(): number {
    return (this.chat as Interface & { prevRows?: number }).prevRows ?? 0;
  }

  /** Moves the cursor to the first column of the status line, or of the prompt if none is shown. */
  private moveToTop(): void {
    const rows = this.chat.getCursorPos().rows;
    moveCursor(this.output, 0, -(rows + (this.statusShown ? 1 : 0)));
    cursorTo(this.output, 0);
  }
}
