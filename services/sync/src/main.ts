import 'reflect-metadata';
import { bootstrapService } from '@cs/platform';
import { syncService } from './service';

void bootstrapService(syncService);
