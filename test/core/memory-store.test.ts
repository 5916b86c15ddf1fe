import { describe } from 'vitest';
import { memoryStore } from '../../core/memory-store.ts';
import { writeOnceStoreContract } from '../contract/write-once-store.ts';

describe('memoryStore', () => {
  writeOnceStoreContract(() => memoryStore());
});
