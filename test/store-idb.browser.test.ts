import { describe } from 'vitest';
import { idbStore } from '../src/store/idb.js';
import { storeContract } from './store-contract.js';

let n = 0;
describe('the IndexedDB store in Chromium', () => storeContract(() => idbStore(`lightsnap-test-${Date.now()}-${n++}`)));
