/**
 * Checkpoints of an emulator's state: saved in memory, restored into the same emulator (its `store` and its
 * `requests` array stay the objects tests hold; the store's record arrays are replaced).
 */
import type { FaultInjector } from './faults.js';
import type { GitRefState, GitRepository } from './git-repository.js';
import type { RequestLog } from './request-log.js';
import type { EmulatorServer } from './server.js';
import type { Store, StoreState } from './store.js';
import type { UserDirectory } from './users.js';
import type { EmulatorCheckpoint } from './emulator.js';

/** The parts of one emulator whose state a checkpoint holds. */
export interface CheckpointedParts {
  git: GitRepository;
  store: Store;
  users: UserDirectory;
  log: RequestLog;
  faults: FaultInjector;
  server: EmulatorServer;
}

interface SavedState {
  git: GitRefState;
  store: StoreState;
  users: ReturnType<UserDirectory['saveState']>;
  log: ReturnType<RequestLog['saveState']>;
  faults: ReturnType<FaultInjector['saveState']>;
  answered: number;
}

/** Saves and restores the state of one emulator's parts. */
export class EmulatorSnapshots {
  /** What each checkpoint handed out holds; a handle from another emulator is not found here. */
  private readonly saved = new WeakMap<EmulatorCheckpoint, SavedState>();

  constructor(
    private readonly url: string,
    private readonly parts: CheckpointedParts,
  ) {}

  save(): EmulatorCheckpoint {
    const { git, store, users, log, faults, server } = this.parts;
    const checkpoint: EmulatorCheckpoint = Object.freeze({ url: this.url });
    this.saved.set(checkpoint, {
      git: git.saveRefs(),
      store: store.saveState(),
      users: users.saveState(),
      log: log.saveState(),
      faults: faults.saveState(),
      answered: server.answered,
    });
    return checkpoint;
  }

  restore(checkpoint: EmulatorCheckpoint): void {
    const state = this.saved.get(checkpoint);
    if (!state) {
      throw new Error(
        `This checkpoint was not made by the emulator at ${this.url} (it comes from ${checkpoint.url}).`,
      );
    }
    const { git, store, users, log, faults, server } = this.parts;
    git.restoreRefs(state.git);
    store.restoreState(state.store);
    users.restoreState(state.users);
    log.restoreState(state.log);
    faults.restoreState(state.faults);
    server.answered = state.answered;
  }
}
