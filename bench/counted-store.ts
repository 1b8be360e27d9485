/** An object store that counts what is asked of it, for benchmarks whose claim is "the same work as the lake grows". */
import type { ObjectStore } from '../functions/core/ports.ts';

export interface StoreOps {
  lists: number;
  /** keys the lists returned */
  listed: number;
  gets: number;
  /** puts, conditional puts and copies */
  writes: number;
  deletes: number;
}

export const noOps = (): StoreOps => ({ lists: 0, listed: 0, gets: 0, writes: 0, deletes: 0 });

export function countedStore(store: ObjectStore, ops: StoreOps): ObjectStore {
  return {
    get: (k) => (ops.gets++, store.get(k)),
    getStream: (k) => (ops.gets++, store.getStream(k)),
    put: (k, b, o) => (ops.writes++, store.put(k, b, o)),
    putIfAbsent: (k, b, o) => (ops.writes++, store.putIfAbsent(k, b, o)),
    copy: (from, to) => (ops.writes++, store.copy(from, to)),
    head: (k) => (ops.gets++, store.head(k)),
    delete: (k) => (ops.deletes++, store.delete(k)),
    async *list(prefix) {
      ops.lists++;
      for await (const info of store.list(prefix)) {
        ops.listed++;
        yield info;
      }
    },
  };
}
