/** The REPL's own commands: a line starting with `.` and a letter, at the start of an entry. */

export type DotCommand =
  | { kind: 'help' }
  | { kind: 'exit' }
  | { kind: 'wait'; cellId: string }
  | { kind: 'terminate'; cellId: string }
  | { kind: 'invalid'; message: string };

export const DOT_HELP = `.wait <cell>       wait for a yielded cell to produce more output or end
.terminate <cell>  terminate a cell
.help              print this help
.exit              leave (so does Ctrl-D, or Ctrl-C twice at an empty prompt)
An entry continues over several lines while it is unfinished; a blank line submits it as it is.
Ctrl-C terminates the running cell, or clears the line.`;

/** The command a line names, or undefined when the line is JavaScript. */
export function parseDotCommand(line: string): DotCommand | undefined {
  const match = /^\s*\.([a-z]+)\b\s*(.*)$/i.exec(line);
  if (match === null) return undefined;
  const [, name = '', rest = ''] = match;
  const args = rest.split(/\s+/).filter((arg) => arg !== '');
  switch (name) {
    case 'help':
    case 'exit':
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
