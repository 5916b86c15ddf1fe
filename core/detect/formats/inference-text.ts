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
    const users = o.messages.filter((m) => (m as { role?: unknown })?.role === 'user');
    const last = users.at(-1) as { content?: unknown } | undefined;
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
    for (const [k, x] of Object.entries(v)) {
      if (TEXT_KEYS.has(k) && typeof x === 'string') parts.push(x);
      else if (typeof x === 'object') collect(x, parts, depth + 1);
    }
  }
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
