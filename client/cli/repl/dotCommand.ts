/** The REPL's own commands: a line starting with `.` and a letter, at the start of an entry. */

export type DotCommand =
  | { kind: 'help' }
  | { kind: 'exit' }
  | { kind: 'reset' }
  | { kind: 'wait'; cellId: string }
  | { kind: 'terminate'; cellId: string }
  | { kind: 'invalid'; message: string };

export const DOT_HELP = `.wait <cell>       wait for a yielded cell to produce more output or end
.terminate <cell>  terminate a cell
.reset             start a fresh realm (a new session: variables and the store are cleared)
.help              print this help
.exit              leave (so does Ctrl-D, or Ctrl-C twice at an empty prompt)
An entry continues over several lines while it is unfinished; a blank line submits it as it is.
Variables persist between entries; the value of an entry's last expression is printed.
Ctrl-C terminates the running cell, or clears the line; at an empty prompt it offers to stop a
cell still running in the background.`;

/** The command a line names, or undefined when the line is JavaScript. */
export function parseDotCommand(line: string): DotCommand | undefined {
  const match = /^\s*\.([a-z]+)\b\s*(.*)$/i.exec(line);
  if (match === null) return undefined;
  const [, name = '', rest = ''] = match;
  const args = rest.split(/\s+/).filter((arg) => arg !== '');
  switch (name) {
    case 'help':
    case 'exit':
    case 'reset':
      return args.length === 0 ? { kind: name } : { kind: 'invalid', message: `.${name} takes no argument` };
    case 'wait':
    case 'terminate': {
      const [cellId, ...extra] = args;
      if (cellId === undefined || extra.length > 0) return { kind: 'invalid', message: `usage: .${name} <cell>` };
      return { kind: name, cellId };
    }
    default:
      return { kind: 'invalid', message: `unknown command .${name} (.help lists them)` };
  }
}
