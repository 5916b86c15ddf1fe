/** A role definition as ARM returns it (Microsoft.Authorization/roleDefinitions). */
export interface RoleDefinition {
  id?: string;
  properties?: {
    roleName?: string;
    type?: string;
    permissions?: {
      actions?: string[];
      notActions?: string[];
      dataActions?: string[];
      notDataActions?: string[];
    }[];
  };
}

const BLOB = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs';
const LIST_KEYS = 'Microsoft.Storage/storageAccounts/listKeys/action';

/** Azure RBAC's wildcard match on operation names (case-insensitive, `*` any run). */
export function operationMatches(pattern: string, operation: string): boolean {
  const re = pattern
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\/]/g, '\\$&')
    .replace(/\*/g, '.*');
  return new RegExp(`^${re}$`).test(operation.toLowerCase());
}

const grants = (allowed: string[] = [], denied: string[] = [], op: string) =>
  allowed.some((p) => operationMatches(p, op)) && !denied.some((p) => operationMatches(p, op));

/**
 * What a role lets its holder do with blob data: through data actions (`…/blobs/read`, `/write`),
 * or through the account keys (`listKeys`, which Owner and Contributor hold through `*`) unless the
 * account refuses Shared Key. Undefined when it gives no data access.
 */
export function roleDataAccess(
  role: RoleDefinition,
  options: { sharedKeyOff: boolean },
): { access: 'read' | 'write' | 'read-write'; viaKeys: boolean } | undefined {
  const perms = role.properties?.permissions ?? [];
  const data = (op: string) => perms.some((p) => grants(p.dataActions, p.notDataActions, op));
  const keys = !options.sharedKeyOff && perms.some((p) => grants(p.actions, p.notActions, LIST_KEYS));
  const read = data(`${BLOB}/read`) || keys;
  const write = data(`${BLOB}/write`) || data(`${BLOB}/add/action`) || keys;
  if (!read && !write) return undefined;
  return { access: read && write ? 'read-write' : read ? 'read' : 'write', viaKeys: keys };
}
