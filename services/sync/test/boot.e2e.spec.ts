import { serviceBootSuite } from '@cs/testing';

serviceBootSuite('sync', 'services/sync/src/main.ts');
