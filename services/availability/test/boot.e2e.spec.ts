import { serviceBootSuite } from '@cs/testing';

serviceBootSuite('availability', 'services/availability/src/main.ts');
