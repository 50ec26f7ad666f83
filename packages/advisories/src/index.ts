export * from './types';
export { parseFeed, cvssBaseScore } from './feeds/index';
export {
  AdvisoryIndex,
  FleetMatcher,
  matchHost,
  findingsOf,
  matchHostGroups,
  type MatchGroup,
  hostRelease,
  advisorySource,
  type Finding,
  type HostInventory,
} from './match';
export { exposureOf, priorityOf, priorityBand, type Exposure, type ExposureFacts, type ExposureResult } from './priority';
