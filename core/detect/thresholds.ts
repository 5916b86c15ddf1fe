import * as z from 'zod/mini';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

const severity = (value: number) => z._default(z.number().check(z.minimum(0), z.maximum(10)), value);
const count = (value: number) => z._default(z.int().check(z.minimum(1)), value);
const positive = (value: number) => z._default(z.number().check(z.positive()), value);
/** A rule's section: omitted or partial, every missing field takes its default. */
const section = <S extends Record<string, z.ZodMiniType>>(shape: S) => {
  const schema = z.strictObject(shape);
  return z.prefault(schema, {} as z.input<typeof schema>);
};
const minutes = (value: number) => z._default(z.int().check(z.minimum(1), z.maximum(7 * 24 * 60)), value);

/** A named regular expression (a secret format, an injection phrase); the source is compiled once. */
const namedPattern = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(64)),
  regex: z.string().check(
    z.minLength(1),
    z.refine(
      (s) => {
        try {
          new RegExp(s, 'u');
          return true;
        } catch {
          return false;
        }
      },
      { message: 'must be a valid regular expression (JavaScript, u flag)' },
    ),
  ),
});

/** Weight file suffixes (issue 4): shards (`model-00001-of-00004.safetensors`) end the same way. */
export const WEIGHT_SUFFIXES = [
  '.safetensors',
  '.bin',
  '.pt',
  '.pth',
  '.ckpt',
  '.gguf',
  '.onnx',
  '.h5',
  '.msgpack',
];

/** Formats of credentials that must never appear in a model's output. */
export const DEFAULT_SECRET_PATTERNS = [
  { name: 'aws-access-key-id', regex: '\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b' },
  { name: 'private-key', regex: '-----BEGIN (?:RSA |EC |OPENSSH |DSA |ENCRYPTED )?PRIVATE KEY-----' },
  { name: 'azure-storage-key', regex: 'AccountKey=[A-Za-z0-9+/]{86}==' },
  { name: 'azure-sas-signature', regex: '[?&]sig=[A-Za-z0-9%+/]{40,}' },
  { name: 'github-token', regex: '\\bgh[pousr]_[A-Za-z0-9]{36}\\b' },
  { name: 'slack-token', regex: '\\bxox[baprs]-[A-Za-z0-9-]{10,}\\b' },
];

/**
 * Detector thresholds: one strict section per rule, every field with a documented default
 * (docs/detection.md). Unknown keys are errors, like everywhere in the configuration.
 */
export const thresholdsSchema = z.strictObject({
  /** Weight bytes/objects one principal reads from `model-weights` assets within a window. */
  bulkRead: section({
    windowMinutes: minutes(60),
    maxBytes: positive(5 * GiB),
    maxObjects: count(25),
    /** Known readers (detect.knownReaders) may read this many times more before an alert; 0 exempts them. */
    knownReaderFactor: z._default(z.number().check(z.minimum(0)), 20),
    weightSuffixes: z._default(z.array(z.string().check(z.minLength(1))), WEIGHT_SUFFIXES),
    severity: severity(8),
  }),
  /** A successful read of a protected asset by a caller with no credentials (public store). */
  anonymousRead: section({ severity: severity(8) }),
  /** A principal outside knownReaders that has never read weights before. */
  firstReader: section({ severity: severity(7) }),
  /** A weight read from outside detect.expectedNetworks (only when that list is non-empty). */
  unexpectedNetwork: section({ severity: severity(8) }),
  /** A write to an approved artifact whose checksum no longer matches the manifest. */
  artifactModified: section({ severity: severity(8) }),
  /** Weight files / approved artifacts one actor deletes within a window (mass deletion). */
  bulkDelete: section({
    windowMinutes: minutes(60),
    /** Weight files and approved artifacts deleted key by key. */
    maxObjects: z._default(z.int().check(z.minimum(0)), 20),
    /** Approved artifacts (detect.manifest) among them; one alone is artifact-modified's. */
    maxApprovedArtifacts: z._default(z.int().check(z.minimum(0)), 1),
    /**
     * Batch deletes whose keys the log does not name (CloudTrail DeleteObjects, up to 1,000 keys
     * each) tolerated on a protected store: with 0, one such call is a bulk deletion of unknown size.
     */
    maxBatchRequests: z._default(z.int().check(z.minimum(0)), 0),
    severity: severity(8),
  }),
  /** An object with an approved artifact's checksum, or a copy of one, outside the approved stores. */
  artifactCopied: section({ severity: severity(8) }),
  /** Bytes an inference endpoint sends per flow and per peer, against its robust baseline. */
  egress: section({
    windowMinutes: minutes(60),
    /** Flows an endpoint's baseline needs before it judges anything (learning). */
    minSamples: count(200),
    /** Robust z-score on log2 bytes: (log2 x − median) / (1.4826 · MAD); 6 ≈ hundreds of times the median. */
    flowZ: positive(6),
    minFlowBytes: positive(50 * MiB),
    peerZ: positive(6),
    minPeerBytes: positive(500 * MiB),
    /** Peers below this many bytes in one log file are not tracked across files (cost bound). */
    peerTrackMinBytes: positive(1 * MiB),
    /**
     * Windows of its own history an internal peer (private, or in detect.expectedNetworks) needs
     * before its window totals are judged against that history; until then it is learned silently.
     */
    minOwnWindows: count(24),
    severity: severity(7),
  }),
  /** An external peer receiving, for the first time, at least minBytes and far more than any external peer before. */
  newExternalPeer: section({
    minBytes: positive(100 * MiB),
    /** …and at least this many times the largest window total any external peer of the endpoint received before. */
    priorFactor: positive(10),
    severity: severity(6),
  }),
  /** Inference requests per caller within a window; detect.knownCallers are exempt. */
  requestRate: section({ windowMinutes: minutes(10), maxRequests: count(600), severity: severity(6) }),
  /** Near-duplicate, systematically varied prompts per caller (MinHash similarity). */
  variedPrompts: section({
    windowMinutes: minutes(60),
    minPrompts: count(40),
    /** Estimated Jaccard similarity of character 5-gram sets that makes two prompts near-duplicates. */
    similarity: z._default(z.number().check(z.minimum(0.1), z.maximum(1)), 0.6),
    /** Share of a caller's prompts that are near-duplicates of one of its recent prompts. */
    minRatio: z._default(z.number().check(z.minimum(0.05), z.maximum(1)), 0.5),
    severity: severity(7),
  }),
  /** Known extraction prompts (divergence, verbatim prefix, system prompt) per caller and window. */
  extractionPrompts: section({ windowMinutes: minutes(60), minMatches: count(1), severity: severity(7) }),
  /** Prompt-injection phrases in prompts; extra patterns add to the built-in table. */
  promptInjection: section({ severity: severity(5), patterns: z._default(z.array(namedPattern), []) }),
  /** A planted canary token (detect.canaryTokens) in a model response. */
  canaryToken: section({ severity: severity(9) }),
  /** A configured secret format in a model response. */
  secretOutput: section({
    severity: severity(8),
    patterns: z._default(z.array(namedPattern), DEFAULT_SECRET_PATTERNS),
  }),
});

export type Thresholds = z.infer<typeof thresholdsSchema>;

/** Every default, for tools and tests that need thresholds without a configuration file. */
export const DEFAULT_THRESHOLDS: Thresholds = thresholdsSchema.parse({});

/** An approved model artifact: where it lives and its digests (any subset). */
export const manifestEntrySchema = z.strictObject({
  /** `s3://bucket/key` or a blob URL `https://<account>.blob.core.windows.net/<container>/<blob>`. */
  location: z
    .string()
    .check(z.regex(/^(s3:\/\/[^/]+\/.+|https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\/[^/]+\/.+)$/)),
  /** Hex SHA-256 of the whole object. */
  sha256: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/i))),
  /** Base64 Content-MD5 (Azure `Content-MD5`, S3 single-part ETag as hex is accepted under `etag`). */
  md5: z.optional(z.string().check(z.regex(/^[A-Za-z0-9+/]{22}==$/))),
  /** The provider's ETag as it appears in logs, without quotes (S3 multipart ETags end in `-<parts>`). */
  etag: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  size: z.optional(z.int().check(z.minimum(0))),
});
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;
