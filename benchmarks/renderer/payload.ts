/**
 * The benchmark's payloads: the same generator as the jest suites.
 */
export { syntheticPayload } from '../../src/__tests__/synthetic';
