/** Runs asynchronous tasks one at a time, in the order they were queued (a small async mutex). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` once every task queued before it has settled; resolves or rejects with its outcome. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // A failed task must not block the ones after it.
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const queues = new WeakMap<object, SerialQueue>();

/** The queue of `owner` (e.g. one git repository), created on first use. */
export function serialQueueOf(owner: object): SerialQueue {
  let queue = queues.get(owner);
  if (!queue) {
    queue = new SerialQueue();
    queues.set(owner, queue);
  }
  return queue;
}
