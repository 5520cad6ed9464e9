/** Jest in ESM mode, TypeScript compiled by SWC (type-checking is `npm run typecheck`). */
import { availableParallelism } from 'node:os';

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': '@swc/jest' },
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testTimeout: 60000,
  // Jest's default is one worker less than the cores: one worker on a 2-core machine, every file in turn. The
  // slow files often wait (the emulator's answers, timeouts of the fault matrix, child processes), so two workers
  // more than the cores keep the cores busy (on 2 cores, 4 workers finished first of 2, 3 and 4).
  maxWorkers: availableParallelism() + 2,
  reporters: ['default', '<rootDir>/test/closing-line-reporter.js'],
};
