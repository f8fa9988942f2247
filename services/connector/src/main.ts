// First: the instrumentations see http, express, pg and gRPC only if these load after it.
import '@cs/platform/instrument';
import 'reflect-metadata';
import { bootstrapService } from '@cs/platform';
import { connectorService } from './service';

void bootstrapService(connectorService);
