import { describe } from 'vitest';
import { memoryStore } from '../src/store/memory.js';
import { storeContract } from './store-contract.js';

describe('the memory store', () => storeContract(() => memoryStore()));
