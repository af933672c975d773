/**
 * The requests written with the same promise, failed together if that write fails. A writer's
 * frames of one turn share one promise (schemas/framing.ts TickFrames), so a burst of thousands of
 * requests gets one failure handler instead of a derived promise and a closure per request. A
 * group ends when its promise settles, so a writer that returns one promise for ever cannot make
 * it grow without bound.
 */
export class WriteGroup<Id> {
  private group: { written: Promise<void>; ids: Id[] } | undefined;

  constructor(private readonly failed: (ids: readonly Id[], error: unknown) => void) {}

  /** `id` was written with `written`. */
  add(written: Promise<void>, id: Id): void {
    let group = this.group;
    if (group?.written !== written) {
      const fresh: { written: Promise<void>; ids: Id[] } = { written, ids: [] };
      group = this.group = fresh;
      written.then(
        () => this.end(fresh),
        (error: unknown) => {
          this.end(fresh);
          this.failed(fresh.ids, error);
        },
      );
    }
    group.ids.push(id);
  }

  private end(group: WriteGroup<Id>['group']): void {
    if (this.group === group) this.group = undefined;
  }
}
