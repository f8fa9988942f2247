export interface ServerSentEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** Reads a text/event-stream response with fetch; keeps every event and comment it has seen. */
export class SseReader {
  readonly events: ServerSentEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  private readonly abort = new AbortController();
  private buffer = '';

  static async open(url: string, headers: Record<string, string>): Promise<SseReader> {
    const reader = new SseReader();
    const response = await fetch(url, { headers, signal: reader.abort.signal });
    reader.status = response.status;
    if (response.body) void reader.pump(response.body.getReader());
    return reader;
  }

  close(): void {
    this.abort.abort();
  }

  private async pump(stream: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await stream.read();
        if (done) return;
        this.buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          this.parse(this.buffer.slice(0, end));
          this.buffer = this.buffer.slice(end + 2);
        }
      }
    } catch {
      // Closed by the test.
    }
  }

  private parse(block: string): void {
    const event: ServerSentEvent = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      const [field, ...rest] = line.split(':');
      const value = rest.join(':').trimStart();
      if (field === 'id' || field === 'event' || field === 'data') event[field] = value;
    }
    if (event.event) this.events.push(event);
  }
}
