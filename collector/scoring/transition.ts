/**
 * Stage moves made by sales through the API. (Placeholder until the lifecycle engine lands.)
 */
import type { SalesMove } from '../../shared/stages';
import type { Services } from '../services';
import type { TransitionRow } from '../storage/schema';

export async function moveStage(
  _services: Services,
  _contactId: string,
  _to: SalesMove,
  _reason: string,
  _actor: string,
): Promise<TransitionRow> {
  throw new Error('not implemented');
}
