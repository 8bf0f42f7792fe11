/** One body per object kind. */
import type { ObjectKind } from '../../tokens';
import { bufferBody } from './buffer';
import { dictBody, instanceBody, sequenceBody } from './containers';
import type { KindBody } from './context';
import { floatBody } from './float';
import { intBody } from './int';
import { otherBody } from './other';
import { bytesBody, strBody } from './str';

/** The context a kind's body is drawn with, and the body's signature. */
export type { IKindContext, KindBody } from './context';

/** The body drawer of each object kind. */
export const KIND_BODIES: Record<ObjectKind, KindBody> = {
  int: intBody,
  bool: intBody,
  float: floatBody,
  str: strBody,
  bytes: bytesBody,
  none: otherBody,
  tuple: sequenceBody,
  list: sequenceBody,
  set: sequenceBody,
  frozenset: sequenceBody,
  dict: dictBody,
  instance: instanceBody,
  function: otherBody,
  class: otherBody,
  module: otherBody,
  other: otherBody,
  bytearray: bufferBody,
  memoryview: bufferBody,
  array: bufferBody,
  ndarray: bufferBody
};
