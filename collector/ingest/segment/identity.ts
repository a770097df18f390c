/**
 * Who a Segment message may name. Segment treats `userId` on any message as an identify, so on a
 * site with an `identity_secret` every message is checked, not only identify:
 *   - server key: trusted, names whoever it says (the site's backend is speaking);
 *   - public key, no secret on the site: names as before (unsigned; a verified contact is never
 *     taken over, identity.ts records the attempt as a claim);
 *   - public key, secret: a message that sets out to name someone (identify, alias) must carry
 *     `context.leadtrail.signature` proving its user, or it is refused (403). A `userId` riding
 *     along on page/track/screen/group (analytics.js repeats it on every call after identify) is
 *     ignored unless proven: the event stays with its anonymous id's contact, which the signed
 *     identify has already tied to the person. An email in traits names the contact only when
 *     the signature proves it too; otherwise it is kept as a plain trait.
 */
import type { SiteConfig } from '../../config';
import { AppError } from '../../errors';
import type { Trust } from '../keys';
import { proves, verifyIdentityToken } from '../signature';
import { emailOf, type Naming } from './mapping';
import type { Message } from './schema';

export interface Decision extends Naming {
  /** The naming is proven (server key or valid signature): verified contacts may be joined. */
  signed: boolean;
}

const refused = (field: string, reason: string) =>
  new AppError(
    403,
    'forbidden',
    `${field}: naming a user on this site needs a signature from the site's backend or a server key (${reason})`,
    field,
  );

export function decideNaming(
  message: Message,
  key: { site: SiteConfig; trust: Trust },
  at: string,
  now: number,
): Decision {
  const userId = message.userId ?? undefined;
  const email = message.type === 'identify' ? emailOf(message) : undefined;
  if (key.trust === 'server') return { userId, email, signed: true };
  const secret = key.site.identity_secret;
  if (!secret) return { userId, email, signed: false };
  if (!userId && !email) return { signed: false };

  // Alias binds the previous (anonymous) id; everything else the message's own anonymous id.
  const anon = message.type === 'alias' ? message.previousId : message.anonymousId;
  const verdict = verifyIdentityToken(secret, message.context?.leadtrail?.signature, {
    site: key.site.key,
    now,
  });
  const provenUser = verdict.ok && userId !== undefined && proves(verdict.claims, userId, anon);
  const provenEmail = verdict.ok && email !== undefined && proves(verdict.claims, email, anon);
  const naming = message.type === 'identify' || message.type === 'alias';

  if (naming) {
    const reason = verdict.ok
      ? 'the signature does not name this user from this anonymous id'
      : verdict.reason;
    if (userId !== undefined && !provenUser) throw refused(`${at}context.leadtrail.signature`, reason);
    if (userId === undefined && !provenEmail) throw refused(`${at}context.leadtrail.signature`, reason);
    return { userId, email: provenEmail ? email : undefined, signed: true };
  }
  if (provenUser) return { userId, signed: true };
  if (!message.anonymousId)
    throw refused(`${at}userId`, 'and the message has no anonymousId to fall back on');
  return { signed: false };
}
