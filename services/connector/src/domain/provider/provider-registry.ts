import type { CalendarProvider } from './calendar-provider';
import { ProviderError } from './provider-error';
import type { Provider } from './provider';

/** Picks the adapter for a connection's provider; a provider without one is `unsupported`. */
export class ProviderRegistry {
  private readonly byProvider = new Map<Provider, CalendarProvider>();

  constructor(adapters: readonly CalendarProvider[]) {
    for (const adapter of adapters) this.byProvider.set(adapter.provider, adapter);
  }

  get(provider: Provider): CalendarProvider {
    const adapter = this.byProvider.get(provider);
    if (!adapter)
      throw new ProviderError('unsupported', `no adapter for provider "${provider}" yet`);
    return adapter;
  }

  has(provider: Provider): boolean {
    return this.byProvider.has(provider);
  }
}
