/**
 * Which stored updates of one document a node's room holds. Update ids are the database's own
 * (document_updates.id): increasing per document, but not consecutive (ids are shared by every
 * document), so each published update also carries the id of the update stored just before it
 * for that document (`previous`). The watermark is the highest id such that every update of the
 * document up to it is in the room's doc; it is what a snapshot may claim to cover, and where a
 * catch-up from the database starts.
 *
 * Updates arrive out of order in normal operation (node A commits id 11 before it has read
 * node B's id 10 from Redis), so a link whose `previous` is ahead of the watermark is kept until
 * the missing one arrives; if it does not arrive soon, the room reads what it lacks from the
 * database.
 */
export class UpdateSequence {
  /** previous id -> id, for updates held whose predecessor has not arrived yet. */
  private readonly ahead = new Map<number, number>();
  private readonly held = new Set<number>();

  constructor(private mark: number) {}

  get watermark(): number {
    return this.mark;
  }

  /** Updates held beyond the watermark with a missing predecessor. */
  get gaps(): number {
    return this.ahead.size;
  }

  has(id: number): boolean {
    return id <= this.mark || this.held.has(id);
  }

  /** An update with `id`, stored right after `previous`, is now in the doc. */
  add(previous: number, id: number): void {
    if (this.has(id)) return;
    if (previous <= this.mark) {
      // previous < mark happens only if the sender's view of "the update before" is stale,
      // which a serialised writer never produces; treat it as contiguous from the mark.
      this.mark = Math.max(this.mark, id);
      this.drain();
    } else {
      this.ahead.set(previous, id);
      this.held.add(id);
    }
  }

  /** Everything stored up to `id` is in the doc (read from the database). */
  caughtUp(id: number): void {
    if (id <= this.mark) return;
    this.mark = id;
    for (const [prev, next] of [...this.ahead]) {
      if (next <= id) {
        this.ahead.delete(prev);
        this.held.delete(next);
      }
    }
    this.drain();
  }

  private drain(): void {
    for (;;) {
      const next = this.ahead.get(this.mark);
      if (next === undefined) {
        // A held id below the mark (covered by a catch-up) can go.
        for (const id of this.held) if (id <= this.mark) this.held.delete(id);
        return;
      }
      this.ahead.delete(this.mark);
      this.held.delete(next);
      this.mark = next;
    }
  }
}
