/**
 * Cloud regions → the country whose territory holds the data centres, for the packs' cross-border
 * and "member states affected" fields. Sources: AWS "Regions and Availability Zones" and Azure
 * "Azure geographies" (region display names and their countries). `eea: false` marks a country
 * outside the EU/EEA. A region not in the table is reported as unknown, never guessed.
 */
export const REGION_COUNTRIES: Readonly<Record<string, { country: string; eea: boolean; name: string }>> = {
  // AWS
  'eu-central-1': { country: 'DE', eea: true, name: 'Europe (Frankfurt)' },
  'eu-central-2': { country: 'CH', eea: false, name: 'Europe (Zurich)' },
  'eu-west-1': { country: 'IE', eea: true, name: 'Europe (Ireland)' },
  'eu-west-2': { country: 'GB', eea: false, name: 'Europe (London)' },
  'eu-west-3': { country: 'FR', eea: true, name: 'Europe (Paris)' },
  'eu-north-1': { country: 'SE', eea: true, name: 'Europe (Stockholm)' },
  'eu-south-1': { country: 'IT', eea: true, name: 'Europe (Milan)' },
  'eu-south-2': { country: 'ES', eea: true, name: 'Europe (Spain)' },
  'eusc-de-east-1': { country: 'DE', eea: true, name: 'AWS European Sovereign Cloud (Brandenburg)' },
  'us-east-1': { country: 'US', eea: false, name: 'US East (N. Virginia)' },
  'us-east-2': { country: 'US', eea: false, name: 'US East (Ohio)' },
  'us-west-1': { country: 'US', eea: false, name: 'US West (N. California)' },
  'us-west-2': { country: 'US', eea: false, name: 'US West (Oregon)' },
  // Azure
  germanywestcentral: { country: 'DE', eea: true, name: 'Germany West Central (Frankfurt)' },
  germanynorth: { country: 'DE', eea: true, name: 'Germany North (Berlin)' },
  francecentral: { country: 'FR', eea: true, name: 'France Central (Paris)' },
  francesouth: { country: 'FR', eea: true, name: 'France South (Marseille)' },
  northeurope: { country: 'IE', eea: true, name: 'North Europe (Ireland)' },
  westeurope: { country: 'NL', eea: true, name: 'West Europe (Netherlands)' },
  swedencentral: { country: 'SE', eea: true, name: 'Sweden Central (Gävle)' },
  italynorth: { country: 'IT', eea: true, name: 'Italy North (Milan)' },
  spaincentral: { country: 'ES', eea: true, name: 'Spain Central (Madrid)' },
  polandcentral: { country: 'PL', eea: true, name: 'Poland Central (Warsaw)' },
  austriaeast: { country: 'AT', eea: true, name: 'Austria East (Vienna)' },
  belgiumcentral: { country: 'BE', eea: true, name: 'Belgium Central (Brussels)' },
  norwayeast: { country: 'NO', eea: true, name: 'Norway East (Oslo)' },
  norwaywest: { country: 'NO', eea: true, name: 'Norway West (Stavanger)' },
  switzerlandnorth: { country: 'CH', eea: false, name: 'Switzerland North (Zurich)' },
  uksouth: { country: 'GB', eea: false, name: 'UK South (London)' },
  eastus: { country: 'US', eea: false, name: 'East US (Virginia)' },
  westus2: { country: 'US', eea: false, name: 'West US 2 (Washington)' },
};

export interface RegionPlace {
  region: string;
  country: string | null;
  eea: boolean | null;
  name: string | null;
}

export function placeOf(region: string): RegionPlace {
  const known = REGION_COUNTRIES[region.toLowerCase().replace(/\s+/g, '')];
  return known ? { region, ...known } : { region, country: null, eea: null, name: null };
}
