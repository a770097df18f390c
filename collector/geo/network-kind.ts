/**
 * What kind of network an autonomous system is, from its number or its organisation's name: a
 * consumer ISP says nothing about a company, a hosting network is often a bot, a business
 * network is a company reading the site. Overrides (config `geo.network_kinds`) win over the
 * ASN list, which wins over the name keywords; anything unmatched is `isp` — the safe default,
 * since most traffic is consumer access and `business` should mean a company's own network.
 */
export const NETWORK_KINDS = ['isp', 'mobile', 'hosting', 'education', 'government', 'business'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];

/** Well-known networks whose names do not say what they are. */
const KNOWN_ASNS: ReadonlyMap<number, NetworkKind> = new Map([
  [13335, 'hosting'], // Cloudflare
  [15169, 'hosting'], // Google
  [396982, 'hosting'], // Google Cloud
  [16509, 'hosting'], // Amazon AWS
  [14618, 'hosting'], // Amazon AWS
  [8075, 'hosting'], // Microsoft
  [14061, 'hosting'], // DigitalOcean
  [24940, 'hosting'], // Hetzner
  [16276, 'hosting'], // OVH
  [63949, 'hosting'], // Akamai Connected Cloud (Linode)
  [20473, 'hosting'], // Vultr (The Constant Company)
  [31898, 'hosting'], // Oracle Cloud
  [45102, 'hosting'], // Alibaba Cloud
  [132203, 'hosting'], // Tencent Cloud
  [21928, 'mobile'], // T-Mobile USA
  [22394, 'mobile'], // Verizon Wireless
  [20057, 'mobile'], // AT&T Mobility
  [7922, 'isp'], // Comcast
  [20712, 'isp'], // Andrews & Arnold
  [786, 'education'], // Jisc (UK research and education network)
  [3320, 'isp'], // Deutsche Telekom
  [2856, 'isp'], // BT
  [714, 'business'], // Apple
  [32934, 'business'], // Facebook / Meta
  [36459, 'business'], // GitHub
  [2906, 'business'], // Netflix
]);

/** Name keywords, checked in this order (first hit wins); whole words, case-insensitive. */
const KEYWORDS: readonly [NetworkKind, RegExp][] = [
  [
    'education',
    /\b(universit(y|aet|ät|é|at|ad|a)|college|school|academ(y|ic)|institute of technology|research and education|edu(cation)?net|\.edu\b|renater|dfn|janet|internet2)/i,
  ],
  [
    'government',
    /\b(government|ministry|ministerio|ministere|department of|federal|municipal|city of|county of|state of|bundes|gouvernement|\.gov\b|\.mil\b|army|navy|air force|parliament)/i,
  ],
  [
    'hosting',
    /\b(hosting|host|cloud|datacent(er|re)|data cent(er|re)|server|vps|colo(cation)?|cdn|amazon|google|microsoft|digitalocean|hetzner|ovh|linode|vultr|leaseweb|contabo|scaleway|akamai|fastly|cloudflare|oracle|alibaba|tencent|choopa|m247|datacamp|hostinger|ionos)\b/i,
  ],
  [
    'mobile',
    /\b(mobile|mobil|wireless|cellular|vodafone|t-mobile|verizon wireless|telefonica moviles|lte|4g|5g)\b/i,
  ],
  [
    'isp',
    /\b(telecom|telekom|telecommunications?|communications?|broadband|cable|fib(er|re)|internet service|isp|dsl|telco|net(work)?s? (ltd|inc|llc)|comcast|charter|spectrum|cox|at&t|orange|telia|telstra|bell|rogers|sky|virgin media|\bbt\b)\b/i,
  ],
  [
    'business',
    /\b(inc|corp(oration)?|gmbh|ag|ltd|limited|llc|plc|s\.?a\.?|b\.?v\.?|oy|ab|as|bank|insurance|group|holdings?)\b\.?/i,
  ],
];

export type NetworkOverrides = Readonly<Record<string, NetworkKind>>;

/**
 * The kind of a network. `overrides` is keyed by AS number (`"64500"`) or by a lower-case
 * organisation name; a number beats a name.
 */
export function networkKind(asn: number, org: string, overrides: NetworkOverrides = {}): NetworkKind {
  const byNumber = overrides[String(asn)];
  if (byNumber) return byNumber;
  const name = org.slice(0, 200);
  const byName = overrides[name.toLowerCase()];
  if (byName) return byName;
  const known = KNOWN_ASNS.get(asn);
  if (known) return known;
  for (const [kind, pattern] of KEYWORDS) if (pattern.test(name)) return kind;
  return 'isp';
}
