export const ASSET_KINDS = [
  'model-weights',
  'training-data',
  'inference-data',
  'evaluation',
  'other',
] as const;
