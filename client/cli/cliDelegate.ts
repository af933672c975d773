/** The delegate every command gives the client: tools from the tools module, output printed as it streams. */
import type { CellClosedEvent, Delegate } from '../index.js';
import type { LineOutput } from './lineOutput.js';
import type { OutputPrinter } from './outputPrinter.js';
import type { ToolBox } from './toolsModule.js';

export function cliDelegate(
  tools: ToolBox,
  printer: OutputPrinter,
  output: LineOutput,
  onCellClosed: (event: CellClosedEvent) => void = () => undefined,
  quiet: (cellId: string) => boolean = () => false,
): Delegate {
  return {
    invokeTool: (call, signal) => tools.invoke(call, signal),
    notify: (note) => output.out(`notify: ${note.text}`),
    // Defining this hook is what asks the host to stream output.
    cellOutput: (event) => {
      if (!quiet(event.cellId)) printer.streamed(event.cellId, event.items);
    },
    cellClosed: onCellClosed,
  };
}
