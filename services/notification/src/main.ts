import 'reflect-metadata';
import { bootstrapService } from '@cs/platform';
import { notificationService } from './service';

void bootstrapService(notificationService);
