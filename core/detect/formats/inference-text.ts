/**
 * Prompt and response text out of the request and response bodies of the model families Bedrock
 * and OpenAI-style gateways log: Converse/Anthropic messages, Titan `inputText`, Llama `prompt`,
 * Cohere `message`, OpenAI `choices[].message.content`, and streamed chunk arrays.
 */
const MAX_TEXT = 64 * 1024;

/** The last user message, or the single prompt field. */
export function promptText(body: unknown): string | undefined {
  const b = parsed(body);
  if (!b || typeof b !== 'object') return typeof b === 'string' ? b : undefined;
  const o = b as Record<string, unknown>;
  if (Array.isArray(o.messages)) {
    const last = lastUserMessage(o.messages);
    if (last) return cap(textOf(last.content));
  }
  for (const k of ['inputText', 'prompt', 'message', 'input'])
    if (typeof o[k] === 'string') return cap(o[k] as string);
  return undefined;
}

/** Every generated text in a response body (or an array of streamed chunks), joined. */
export function responseText(body: unknown): string | undefined {
  const b = parsed(body);
  if (b === undefined || b === null) return undefined;
  const parts: string[] = [];
  collect(b, parts, 0);
  return parts.length ? cap(parts.join('')) : undefined;
}

const TEXT_KEYS = new Set(['text', 'outputText', 'generation', 'completion', 'content']);

function collect(v: unknown, parts: string[], depth: number): void {
  if (depth > 8 || parts.length > 10_000) return;
  if (Array.isArray(v)) for (const x of v) collect(x, parts, depth + 1);
  else if (v && typeof v === 'object') {
    // Object.keys, not Object.entries: the same keys in the same order, one array instead of one per key.
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const x = o[k];
      if (TEXT_KEYS.has(k) && typeof x === 'string') parts.push(x);
      else if (typeof x === 'object') collect(x, parts, depth + 1);
    }
  }
}

/** The last message whose role is `user` (what filtering them and taking the last gives). */
function lastUserMessage(messages: unknown[]): { content?: unknown } | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown } | null | undefined;
    if (m?.role === 'user') return m;
  }
  return undefined;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((c) => (typeof c === 'string' ? c : typeof c?.text === 'string' ? c.text : ''))
      .join('');
  return '';
}

function parsed(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  const t = body.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      return body;
    }
  }
  return body;
}

function cap(s: string): string {
  return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s;
}
