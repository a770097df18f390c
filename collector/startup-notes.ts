/**
 * What the start-up banner says about secrets. The admin key is printed whole only when this
 * start generated it (the demo key, once); a key from LEADTRAIL_ADMIN_KEY or from the stored demo
 * file is named by where it lives, because start-up output ends up in log collectors.
 */
import { join } from 'node:path';
import type { Config } from './config';

export function adminKeyLine(config: Pick<Config, 'adminKey' | 'adminKeyOrigin' | 'dataDir'>): string {
  const file = join(config.dataDir, 'admin-key');
  switch (config.adminKeyOrigin) {
    case 'env':
      return 'from LEADTRAIL_ADMIN_KEY (not shown)';
    case 'generated':
      return `${config.adminKey} (demo key, generated now and stored in ${file}; it is not printed again)`;
    case 'stored':
      return `demo key stored in ${file} (not shown)`;
  }
}

/** One line per risky setting, printed at start so it is seen before it matters. */
export function startupWarnings(config: Pick<Config, 'dashboardUsers' | 'sites'>): string[] {
  const warnings: string[] = [];
  // One line for all sites: without a secret, anyone can name a visitor as any email.
  const unsigned = config.sites.filter((site) => !site.identity_secret).map((site) => site.key);
  if (unsigned.length > 0) {
    warnings.push(
      `warning: no identity_secret for ${unsigned.join(', ')}: anyone can identify a visitor as any email from the browser (README: "Signed identify")`,
    );
  }
  const plain = config.dashboardUsers.filter((u) => !u.passwordHash).map((u) => u.user);
  if (plain.length > 0) {
    warnings.push(
      `warning: dashboard password of ${plain.join(', ')} is plaintext in the config; store a hash instead (npm run hash-password)`,
    );
  }
  return warnings;
}
