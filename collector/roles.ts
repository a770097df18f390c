/**
 * Roles: every API key and dashboard user has exactly one. Each route names the permission it
 * needs and the server checks it (the dashboard hides buttons a role cannot use, but never relies
 * on that). The legacy `access` values map onto roles: `read` → viewer, `full` → admin.
 */
export const ROLES = ['viewer', 'sales', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = ['read', 'move_stage', 'erase', 'edit_rules', 'publish_rules'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Who may do what. Sales move stages; editors draft, preview and shadow rules; admins may do all of
 * that and also publish, roll back and erase people (what the old `full` keys could do).
 */
export const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: ['read'],
  sales: ['read', 'move_stage'],
  editor: ['read', 'edit_rules'],
  admin: ['read', 'move_stage', 'erase', 'edit_rules', 'publish_rules'],
};

export const can = (role: Role, permission: Permission): boolean => GRANTS[role].includes(permission);

export type LegacyAccess = 'read' | 'full';
export const roleOfAccess = (access: LegacyAccess): Role => (access === 'full' ? 'admin' : 'viewer');

/** What a role may not do, in words, for a 403. */
export const PERMISSION_WORDS: Readonly<Record<Permission, string>> = {
  read: 'read',
  move_stage: 'move stages',
  erase: 'erase contacts',
  edit_rules: 'edit scoring rules',
  publish_rules: 'publish scoring rules',
};
