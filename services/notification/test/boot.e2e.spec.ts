import { serviceBootSuite } from '@cs/testing';

serviceBootSuite('notification', 'services/notification/src/main.ts');
