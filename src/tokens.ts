/**
 * The public API of jupyterlab-redpill's renderer: the MIME type and the
 * payload types. The payload types are generated from
 * `schema/payload.v1.json` (see `scripts/generate-payload-types.mjs`); they
 * are re-exported here under stable names.
 */
export type {
  Address,
  Binding,
  BytesInternals,
  DictEntry,
  DictInternals,
  Field,
  FloatInternals,
  Holder,
  InstanceAttribute,
  InstanceInternals,
  IntInternals,
  Interpreter,
  ListInternals,
  Memory,
  RedpillObject,
  RedpillPayload,
  StrInternals,
  Truncation
} from './model/payload.generated';

/** The MIME type the `%%redpill` magic emits. */
export const MIME_TYPE = 'application/vnd.redpill.v1+json';

/** The payload `schema_version` this renderer understands. */
export const SCHEMA_VERSION = 1;

/** The object kinds the payload may name (the schema's `kind` enum). */
export type ObjectKind = NonNullable<
  import('./model/payload.generated').RedpillObject['kind']
>;

/** Options for drawing a payload. */
export interface IRenderOptions {
  /**
   * Most object boxes drawn; objects beyond it (in breadth-first order from
   * the names) are elided and counted. Default: `DEFAULT_MAX_OBJECTS`.
   */
  maxObjects?: number;
  /** Open the memory view of the selected object by default. */
  memoryOpen?: boolean;
  /**
   * How addresses are written in the boxes: `full` (`0x7f3a2c0b1f30`) or
   * `short` (`0x…1f30`, the last four hex digits). Default: `full`.
   */
  addressFormat?: AddressFormat;
  /**
   * Store a PNG of the picture (within `COPY_BUDGET`) in trusted outputs, for
   * viewers that run no script; the kernel's own HTML is left as it is.
   * Default: true.
   */
  staticCopies?: boolean;
}

/** The ways an address may be written. */
export type AddressFormat = 'full' | 'short';

/** Default for `IRenderOptions.maxObjects`. */
export const DEFAULT_MAX_OBJECTS = 300;
