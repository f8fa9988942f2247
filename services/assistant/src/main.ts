import 'reflect-metadata';
import { bootstrapService } from '@cs/platform';
import { assistantService } from './service';

void bootstrapService(assistantService);
