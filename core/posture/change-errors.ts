import { TourniquetError } from '../errors.ts';

/** A posture change that cannot be planned as asked (wrong principal, not an asset, too long): nothing happens. */
export class ChangeRefusedError extends TourniquetError {
  override name = 'ChangeRefusedError';
}
