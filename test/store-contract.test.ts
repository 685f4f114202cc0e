import { after } from 'node:test';
import path from 'node:path';
import { openRoundStore } from '../server/store/index.ts';
import { describeRoundStoreContract } from './store-contract-suite.ts';
import { makeTempDir } from './store-fixtures.ts';

// One suite, every backend: a file on disk (WAL, synchronous=FULL) and an in-memory database.
const temp = makeTempDir('store-contract');
after(temp.cleanup);
let fileCount = 0;

describeRoundStoreContract('SQLite file', () => openRoundStore(path.join(temp.dir, `store-${++fileCount}.db`)));
describeRoundStoreContract('SQLite :memory:', () => openRoundStore(':memory:'));
