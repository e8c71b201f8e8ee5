/** Entries registered by the domain libs at start, kept in registration order. */
export class Registry<T> {
  private readonly entries: T[] = [];

  register(entry: T): void {
    this.entries.push(entry);
  }

  all(): readonly T[] {
    return this.entries;
  }
}
