import type { Logger } from 'pino';
import { collectFacts } from '../collectors/index';
import { checkSpoolDir } from '../spool/check';
import { collectionOf } from './collection';
import type { FactWork } from './fact-work';

/** FactWork in this very process: the tests' runner, which has every module loaded anyway. */
export function inProcessWork(log: Logger): FactWork {
  return {
    // Every value is at hand here, whatever `known` holds.
    collect: async (where) => collectionOf(await collectFacts({ ...where, log })),
    checkSpool: checkSpoolDir,
    cancel: () => undefined,
  };
}
