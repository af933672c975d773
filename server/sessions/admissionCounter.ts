/** A bounded count of admitted things (live cells host-wide): admission fails when full. */
export class AdmissionCounter {
  private count = 0;

  constructor(readonly limit: number) {}

  tryAcquire(): boolean {
    if (this.count >= this.limit) return false;
    this.count++;
    return true;
  }

  release(): void {
    this.count--;
  }
}
