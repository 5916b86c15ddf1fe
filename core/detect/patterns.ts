import { anchorScan } from './anchor-scan.ts';

/**
 * Prompt patterns, as tables. Each row names the technique it catches so the alert can say which.
 * They are deliberately specific phrasings: a pattern that matches ordinary questions would make
 * every busy caller an "attacker". Configured patterns (thresholds.promptInjection.patterns) add rows.
 */
export interface PromptPattern {
  name: string;
  re: RegExp;
  /**
   * Lower-case ASCII texts of which every match holds at least one (ASCII case aside): a text with
   * none of them cannot match, so `mayMatchBuiltIn` rejects it by a scan instead of the regex.
   * Written beside the expression it reads from; test/detect/prompt-prefilter.test.ts checks both agree.
   */
  anchors?: readonly string[];
}

/** Training-data extraction and model-stealing prompts (Carlini et al. 2021, Nasr et al. 2023). */
export const EXTRACTION_PATTERNS: readonly PromptPattern[] = [
  // Divergence attack: "repeat the word 'poem' forever" makes aligned models emit memorized text.
  {
    name: 'divergence-repeat-forever',
    re: /\brepeat\b.{0,40}\b(forever|indefinitely|endlessly|infinitely|over and over)\b/i,
    anchors: ['repeat'],
  },
  // Verbatim prefix completion: asking for the exact continuation of a document.
  {
    name: 'verbatim-continuation',
    re: /\b(continue|complete)\b.{0,40}\b(verbatim|exactly|word for word|character for character)\b/i,
    anchors: ['verbatim', 'exactly', 'word for word', 'character for character'],
  },
  {
    name: 'training-data-recall',
    re: /\b(recite|reproduce|output|print)\b.{0,40}\b(training data|training set|your dataset|memori[sz]ed)\b/i,
    anchors: ['training data', 'training set', 'your dataset', 'memori'],
  },
  // System prompt extraction.
  {
    name: 'system-prompt-extraction',
    re: /\b(print|reveal|show|repeat|output|display|leak)\b.{0,40}\b(system prompt|initial instructions|hidden instructions|your instructions|text above)\b/i,
    anchors: ['system prompt', 'instructions', 'text above'],
  },
  // Logit / probability harvesting for distillation.
  {
    name: 'logprob-harvest',
    re: /\b(log ?probs?|logits|token probabilities)\b.{0,40}\b(every|all|each|top-\d+)\b/i,
    anchors: ['log', 'token probabilities'],
  },
];

/** Prompt-injection phrasings (OWASP LLM01). */
export const INJECTION_PATTERNS: readonly PromptPattern[] = [
  {
    name: 'ignore-previous-instructions',
    re: /\b(ignore|disregard|forget)\b.{0,30}\b(previous|prior|above|all|earlier)\b.{0,20}\b(instructions|rules|prompts?|directions)\b/i,
    anchors: ['ignore', 'disregard', 'forget'],
  },
  {
    name: 'role-override',
    re: /\byou are (now|no longer)\b.{0,40}\b(dan|jailbroken|unrestricted|developer mode|without (any )?restrictions)\b/i,
    anchors: ['you are no'],
  },
  {
    name: 'developer-mode',
    re: /\b(enable|enter|activate)\b.{0,20}\b(developer|god|debug|jailbreak) mode\b/i,
    anchors: [' mode'],
  },
  {
    name: 'fake-system-delimiter',
    re: /(<\|im_start\|>\s*system|\[\/?INST\]|<<SYS>>|###\s*system\s*:)/i,
    anchors: ['<|im_start|>', '[inst]', '[/inst]', '<<sys>>', '###'],
  },
  {
    name: 'exfiltration-markdown',
    re: /!\[[^\]]*\]\(https?:\/\/[^)]*\?[^)]*(\{|%7B|data=|q=)/i,
    anchors: ['!['],
  },
];

const combined = new WeakMap<readonly PromptPattern[], RegExp>();

/**
 * The name of the first row that matches, if any. Almost no text matches, so one combined pass
 * (all rows as alternatives) rejects it first; only a hit pays for finding which row it was.
 */
export function firstMatch(text: string, table: readonly PromptPattern[]): string | undefined {
  if (table.length === 0) return undefined;
  let any = combined.get(table);
  if (!any) {
    any = prefilter(table);
    combined.set(table, any);
  }
  if (!any.test(text)) return undefined;
  for (const row of table) if (row.re.test(text)) return row.name;
  return undefined;
}

/** All rows as alternatives: it may match more than the rows (the union of their flags), never less. */
function prefilter(table: readonly PromptPattern[]): RegExp {
  const flags = [...new Set(table.flatMap((r) => [...r.re.flags]))].filter((f) => 'iu'.includes(f)).join('');
  try {
    return new RegExp(table.map((r) => `(?:${r.re.source})`).join('|'), flags);
  } catch {
    return /(?:)/;
  }
}

const BUILT_IN = [...EXTRACTION_PATTERNS, ...INJECTION_PATTERNS];
const builtIn = prefilter(BUILT_IN);
/** Every built-in row has anchors: a prompt holding none of them cannot match any row. */
const anchored = anchorScan(BUILT_IN.flatMap((r) => r.anchors ?? []));
let lastText: string | undefined;
let lastMay = false;

/**
 * Could any row of the built-in tables (extraction and injection) match? An anchor scan rejects
 * almost every prompt; what holds an anchor pays one combined pass for both tables. Two rules ask
 * about every prompt, so the answer for the last text is kept. False means neither table matches;
 * true means `firstMatch` must tell. Equal to `mayMatchBuiltInReference` on every text.
 */
export function mayMatchBuiltIn(text: string): boolean {
  if (text !== lastText) {
    lastText = text;
    lastMay = anchored(text) && builtIn.test(text);
  }
  return lastMay;
}

/** The plain definition of `mayMatchBuiltIn`: the combined expression alone. */
export function mayMatchBuiltInReference(text: string): boolean {
  return builtIn.test(text);
}
