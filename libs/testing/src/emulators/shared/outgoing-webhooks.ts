/**
 * The POSTs an emulator makes on its own, as providers deliver notifications: each records the
 * status it got (a failed one stays null), and `settled` waits for all still under way.
 */
export class OutgoingWebhooks {
  private readonly inFlight = new Set<Promise<void>>();

  post(
    url: string,
    init: { headers: Record<string, string>; body?: string },
    record: { status: number | null },
  ): Promise<void> {
    const delivery = fetch(url, { method: 'POST', ...init })
      .then(async (response) => {
        await response.arrayBuffer();
        record.status = response.status;
      })
      .catch(() => undefined)
      .finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
    return delivery;
  }

  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
