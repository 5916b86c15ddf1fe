/** Types of build/cli-bundle.mjs (JavaScript so that `prepare` runs under Node 20 too). */
export declare const CLI_BUNDLE_DIR: string;
export declare function buildCli(options?: {
  outdir?: string;
}): Promise<{ outdir: string; bytes: number; entryBytes: number }>;
