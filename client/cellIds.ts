/**
 * Public cell ids. Generation 1 shows the host's ids as they are ("3"); generation g ≥ 2
 * prefixes them ("g2:3"), so an id from before a host loss can never reach the new host's cell
 * that happens to have the same number.
 */

export function publicCellId(generation: number, hostCellId: string): string {
  return generation === 1 ? hostCellId : `g${generation}:${hostCellId}`;
}

/** The host's id for a public id of `generation`, or undefined when it belongs to another generation. */
export function hostCellId(generation: number, cellId: string): string | undefined {
  if (generation === 1) return /^g\d+:/.test(cellId) ? undefined : cellId;
  const prefix = `g${generation}:`;
  return cellId.startsWith(prefix) ? cellId.slice(prefix.length) : undefined;
}
