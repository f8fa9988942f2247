import 'reflect-metadata';
import { bootstrapService } from '@cs/platform';
import { connectorService } from './service';

void bootstrapService(connectorService);
