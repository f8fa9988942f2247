import { serviceBootSuite } from '@cs/testing';

serviceBootSuite('booking', 'services/booking/src/main.ts');
