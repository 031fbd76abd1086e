interface Waiting<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for hot paths: callers add one item each and await its own result, while the items
 * that arrive during a write in flight go together in the next one. An item alone is written at once
 * (no timer, no added latency when idle); under load one round trip and one commit serve many
 * requests. `write` returns one result per item, in order (an Error fails that item alone); if it
 * throws, every item of that batch gets the error.
 */
export class Batcher<In, Out> {
  private readonly waiting: Array<Waiting<In, Out>> = [];
  private writing = false;

  constructor(
    private readonly write: (items: In[]) => Promise<Array<Out | Error>>,
    private readonly maxBatch = 200,
  ) {}

  add(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        const results = await this.write(batch.map((w) => w.item));
        batch.forEach((w, i) => {
          const result = results[i]!;
          if (result instanceof Error) w.reject(result);
          else w.resolve(result);
        });
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.writing = false;
  }
}
