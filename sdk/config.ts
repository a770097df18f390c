/**
 * Options: what `createTracker` accepts. The script tag passes its data-* attributes (script.ts),
 * which is why the list options also take comma-separated strings.
 *
 * | attribute                | option          | default                      |
 * |--------------------------|-----------------|------------------------------|
 * | data-site                | site            | (required)                   |
 * | data-api                 | endpoint        | origin of the script's src   |
 * | data-pricing             | pricing         | /pricing*                    |
 * | data-downloads           | downloads       | DOWNLOADS below              |
 * | data-forms="off"         | forms: false    | on                           |
 * | data-respect-dnt         | respectDnt      | off                          |
 * | data-consent="required"  | consent         | not required                 |
 * | data-allow-localhost     | allowLocalhost  | off                          |
 */

export interface TrackerOptions {
  /** The site's public key (pk_…). */
  site: string;
  /** Collector base URL; events go to `${endpoint}/collect`. */
  endpoint: string;
  /** Path patterns of pricing pages, `*` matching anything. Default '/pricing*'. */
  pricing?: string[] | string;
  /** File extensions (no dot) counted as downloads. Default: DOWNLOADS. */
  downloads?: string[] | string;
  /** Identify visitors from forms with an email field. Default true. */
  forms?: boolean;
  /** Send nothing when the browser says Do Not Track or Global Privacy Control. Default false. */
  respectDnt?: boolean;
  /** 'required': store nothing and send nothing until consent(true). */
  consent?: 'required' | string;
  /** Send from localhost/file: pages to a non-local collector. Default false. */
  allowLocalhost?: boolean;
}

export const DOWNLOADS = 'pdf,zip,docx?,xlsx?,pptx?,csv,txt,dmg,exe,msi,pkg,mp[34],mov,rar,7z';

/**
 * A list option (array, or comma-separated string) → one anchored, case-insensitive
 * alternation; `*` matches anything: `/pricing*` matches /pricing, /pricing/teams,
 * /pricing-2024. Other characters are regex syntax, which for paths and extensions only ever
 * widens a `.`: an escaper would cost more bytes than it is worth.
 */
export const pattern = (list: string[] | string, prefix: string): RegExp =>
  RegExp(`${prefix}(${`${list}`.replace(/ *, */g, '|').replace(/\*/g, '.*')})$`, 'i');
