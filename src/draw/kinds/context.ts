import type { IRedpillModel } from '../../model/model';
import type { RedpillObject } from '../../model/payload.generated';
import type { Rows } from '../rows';

/** What a kind module may read while it builds an object's rows. */
export interface IKindContext {
  model: IRedpillModel;
  obj: RedpillObject;
  /** Writes an address as the settings ask. */
  address(address: string): string;
}

/** A kind module: adds the type's internals to a box. */
export type KindBody = (rows: Rows, ctx: IKindContext) => void;
