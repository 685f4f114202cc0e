import { after, before } from 'node:test';
import path from 'node:path';
import { openStore } from '../server/store/index.ts';
import { describeRoundStoreContract } from './store-contract-suite.ts';
import { makeTempDir } from './store-fixtures.ts';
import { dropSchemas, postgresSchemaUrl, requirePostgres, uniqueSchemaName } from './service-fixtures.ts';

// One suite, every backend: a SQLite file on disk (WAL, synchronous=FULL, group commit), an in-memory
// SQLite database, and PostgreSQL (a fresh schema per test, all dropped at the end).
const temp = makeTempDir('store-contract');
after(temp.cleanup);
let fileCount = 0;

describeRoundStoreContract('SQLite file', () => openStore(path.join(temp.dir, `store-${++fileCount}.db`)));
describeRoundStoreContract('SQLite :memory:', () => openStore(':memory:'));

const schemas: string[] = [];
before(requirePostgres);
after(() => dropSchemas(schemas));
describeRoundStoreContract('PostgreSQL', async () => {
  const schema = uniqueSchemaName('contract');
  schemas.push(schema);
  return openStore(postgresSchemaUrl(schema), { postgres: { maxConnections: 4 } });
});
