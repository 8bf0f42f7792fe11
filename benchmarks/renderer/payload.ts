/**
 * The benchmark's payloads: the same generators as the jest suites.
 */
export { framesPayload, syntheticPayload } from '../../src/__tests__/synthetic';
