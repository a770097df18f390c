/** One API key per role, for tests that check who may do what. */
import { ROLES, type Role } from '../../collector/roles';

export const ROLE_KEYS: Record<Role, string> = {
  viewer: 'sk_role_viewer_0123456789',
  sales: 'sk_role_sales_0123456789a',
  editor: 'sk_role_editor_0123456789',
  admin: 'sk_role_admin_0123456789a',
};

/** `api_keys` entries for a test config: `<role>-key` with that role. */
export const roleKeyEntries = () =>
  ROLES.map((role) => ({ name: `${role}-key`, key: ROLE_KEYS[role], role }));
