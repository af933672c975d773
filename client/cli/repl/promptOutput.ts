/**
 * The REPL's output: whole lines on stdout or stderr that never mangle the prompt. In a terminal,
 * a line printed while the prompt is shown (output of a yielded cell still running) clears the
 * prompt line, prints, and redraws the prompt with what was typed so far. Off a terminal the
 * prompt is a plain `> ` before each entry, and nothing else is added.
 */
import { clearLine, cursorTo, type Interface } from 'node:readline';
import type { CliIo } from '../context.js';
import type { LineOutput } from '../lineOutput.js';

export class PromptOutput implements LineOutput {
  private promptShown = false;

  constructor(
    private readonly rl: Interface,
    private readonly io: CliIo,
    private readonly terminal: boolean,
  ) {}

  /** Shows the prompt for a new entry, or (in a terminal only) for the next line of an unfinished one. */
  prompt(continuation: boolean): void {
    if (!this.terminal) {
      if (!continuation) this.io.stdout.write('> ');
      return;
    }
    this.rl.setPrompt(continuation ? '... ' : '> ');
    this.rl.prompt();
    this.promptShown = true;
  }

  /** The prompt line was submitted: output now goes below it. */
  promptDone(): void {
    this.promptShown = false;
  }

  /** Drops what was typed (Ctrl-C) and shows the prompt for a new entry. */
  freshPrompt(): void {
    if (!this.terminal) return this.prompt(false);
    // End of line, then delete to its start: readline redraws the now empty prompt.
    this.rl.setPrompt('> ');
    this.rl.write(null, { ctrl: true, name: 'e' });
    this.rl.write(null, { ctrl: true, name: 'u' });
    this.promptShown = true;
  }

  /** Leaves the terminal on a fresh line when the REPL ends at its prompt. */
  end(): void {
    if (this.promptShown) this.io.stdout.write('\n');
    this.promptShown = false;
  }

  out(line: string): void {
    this.write(this.io.stdout, line);
  }

  err(line: string): void {
    this.write(this.io.stderr, line);
  }

  private write(stream: NodeJS.WritableStream, line: string): void {
    if (!this.promptShown) {
      stream.write(`${line}\n`);
      return;
    }
    clearLine(this.io.stdout, 0);
    cursorTo(this.io.stdout, 0);
    stream.write(`${line}\n`);
    this.rl.prompt(true);
  }
}
