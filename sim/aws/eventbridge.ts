import type { Handlers } from './s3.ts';

/** EventBridge in memory: PutEvents keeps every entry (the escalations humans would get) and names it. */
export function simulatedEventBridge() {
  const events: { id: string; bus: string; source: string; detailType: string; detail: unknown }[] = [];
  const handlers: Handlers = {
    async PutEventsCommand({ Entries = [] }) {
      const ids = (
        Entries as { EventBusName?: string; Source?: string; DetailType?: string; Detail?: string }[]
      ).map((e) => {
        const id = `sim-${events.length + 1}`;
        events.push({
          id,
          bus: e.EventBusName ?? 'default',
          source: e.Source ?? '',
          detailType: e.DetailType ?? '',
          detail: JSON.parse(e.Detail ?? 'null'),
        });
        return { EventId: id };
      });
      return { FailedEntryCount: 0, Entries: ids };
    },
  };
  return { events, handlers };
}
