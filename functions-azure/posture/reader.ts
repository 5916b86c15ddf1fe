import type { PerformRead } from '../../core/posture/collect.ts';
import type { Read, StoredError } from '../../core/posture/snapshot.ts';
import {
  AZURE_POSTURE_OPERATIONS,
  type AzurePostureOperation,
  type AzureReadInput,
} from '../../packs/azure/posture/operations.ts';

export const ARM = 'https://management.azure.com';
export const GRAPH_ROOT = 'https://graph.microsoft.com';

export interface AzurePostureReaderOptions {
  /** Bearer tokens of the identity that reads: the function app's managed identity or `az login`. */
  armToken: () => Promise<string>;
  graphToken: () => Promise<string>;
  fetch?: typeof fetch;
  /** Pages followed per list at most (a runaway nextLink stops there). */
  maxPages?: number;
}

/**
 * The live reader of a posture run on Azure: a plain GET on ARM or Microsoft Graph per read, the
 * JSON kept exactly as returned. Lists follow `nextLink` (ARM) or `@odata.nextLink` (Graph) and
 * keep every page; an error answer is kept as `{ $error: { code, status, message } }` from the
 * body's `error.code`. The SDK clients are not used here: their models rename and flatten the JSON.
 */
export function azurePostureReader(options: AzurePostureReaderOptions): PerformRead {
  const send = options.fetch ?? fetch;
  const get = async (
    url: string,
    graph: boolean,
  ): Promise<{ ok: true; body: unknown } | { ok: false; error: StoredError }> => {
    const token = await (graph ? options.graphToken() : options.armToken());
    const response = await send(url, { method: 'GET', headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { text: text.slice(0, 300) };
    }
    if (response.ok) return { ok: true, body };
    const error = (body as { error?: { code?: string; message?: string } }).error;
    return {
      ok: false,
      error: {
        $error: {
          code: error?.code ?? `HTTP${response.status}`,
          status: response.status,
          message: (error?.message ?? text).slice(0, 500),
        },
      },
    };
  };
  return async (read: Read) => {
    const op = AZURE_POSTURE_OPERATIONS[read.op as AzurePostureOperation];
    if (!op) throw new Error(`no Azure posture reader for ${read.op}`);
    const input = read.input as AzureReadInput;
    const graph = input.api === 'graph';
    try {
      const first = await get(`${graph ? GRAPH_ROOT : ARM}${input.path}`, graph);
      if (!first.ok) return first.error;
      if (!('list' in op && op.list)) return first.body;
      const pages = [first.body];
      for (let next = nextOf(first.body); next && pages.length < (options.maxPages ?? 50); ) {
        // nextLink is absolute and carries its own api-version and skip token.
        if (!next.startsWith(graph ? GRAPH_ROOT : ARM)) break;
        const page = await get(next, graph);
        if (!page.ok) return page.error;
        pages.push(page.body);
        next = nextOf(page.body);
      }
      return pages;
    } catch (error) {
      return {
        $error: {
          code: (error as Error).name ?? 'Error',
          message: String((error as Error).message ?? error).slice(0, 500),
        },
      };
    }
  };
}

function nextOf(body: unknown): string | undefined {
  const b = body as { nextLink?: unknown; '@odata.nextLink'?: unknown };
  const next = b?.nextLink ?? b?.['@odata.nextLink'];
  return typeof next === 'string' && next ? next : undefined;
}
