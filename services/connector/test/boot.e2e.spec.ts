import { randomBytes } from 'node:crypto';
import { serviceBootSuite } from '@cs/testing';

// The child process inherits the environment; the connector needs a credentials key to start.
process.env.CREDENTIALS_KEYS = `k1:${randomBytes(32).toString('base64')}`;
serviceBootSuite('connector', 'services/connector/src/main.ts');
