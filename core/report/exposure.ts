import type { Alert } from '../alert.ts';
import type { AssetKind, Config } from '../config.ts';

/** A configured asset the incident touched, directly or through training-data lineage. */
export interface ExposedAsset {
  cloud: 'aws' | 'azure';
  /** Bucket name, or storage account name. */
  name: string;
  kind: AssetKind;
  how: 'named by the alert' | 'in the plan' | `trained into ${string}`;
  dataCategories: string[] | null;
  personalData: boolean | null;
  approxRecords: number | null;
  approxDataSubjects: number | null;
}

interface AnyAsset {
  kind: AssetKind;
  dataCategories?: string[] | undefined;
  personalData?: boolean | undefined;
  approxRecords?: number | undefined;
  approxDataSubjects?: number | undefined;
  trainedOn?: string[] | undefined;
}

/** Every configured asset with its name and cloud. */
function assets(config: Config): { cloud: 'aws' | 'azure'; name: string; asset: AnyAsset }[] {
  return [
    ...(config.aws?.assets ?? []).map((a) => ({ cloud: 'aws' as const, name: a.bucket, asset: a })),
    ...(config.azure?.assets ?? []).map((a) => ({
      cloud: 'azure' as const,
      name: (a.storageAccount.split('/').at(-1) ?? '').toLowerCase(),
      asset: a,
    })),
  ];
}

/** Does this resource id (bucket ARN, s3:// URI, ARM id, blob URL) lie in the named store? */
function inStore(id: string, cloud: 'aws' | 'azure', name: string): boolean {
  if (cloud === 'aws') return id === `arn:aws:s3:::${name}` || id.startsWith(`s3://${name}/`);
  const lower = id.toLowerCase();
  return lower.includes(`/storageaccounts/${name}`) || lower.includes(`//${name}.blob.`);
}

/**
 * The assets an incident exposed: those its alert or plan names, then — because leaked weights can
 * reproduce their training data — every asset a touched model-weights asset was `trainedOn`.
 */
export function exposedAssets(alert: Alert, planTargets: readonly string[], config: Config): ExposedAsset[] {
  const all = assets(config);
  const out = new Map<string, ExposedAsset>();
  const add = (e: (typeof all)[number], how: ExposedAsset['how']) => {
    const key = `${e.cloud}:${e.name}`;
    if (out.has(key)) return;
    out.set(key, {
      cloud: e.cloud,
      name: e.name,
      kind: e.asset.kind,
      how,
      dataCategories: e.asset.dataCategories ?? null,
      personalData: e.asset.personalData ?? null,
      approxRecords: e.asset.approxRecords ?? null,
      approxDataSubjects: e.asset.approxDataSubjects ?? null,
    });
  };
  for (const e of all) {
    if (
      alert.resources.some((r) => inStore(r.id, e.cloud, e.name) || inStore(r.parent ?? '', e.cloud, e.name))
    )
      add(e, 'named by the alert');
    else if (planTargets.some((t) => inStore(t, e.cloud, e.name))) add(e, 'in the plan');
  }
  for (const touched of [...out.values()]) {
    const source = all.find((e) => e.cloud === touched.cloud && e.name === touched.name);
    for (const ref of source?.asset.trainedOn ?? []) {
      const dataset = all.find((e) => e.name === ref || e.name === ref.toLowerCase());
      if (dataset) add(dataset, `trained into ${touched.name}`);
    }
  }
  return [...out.values()];
}
