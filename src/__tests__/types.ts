import type { RenderedRedpill } from '../widget';

export type RedpillWidget = RenderedRedpill;
