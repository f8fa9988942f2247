// First: the instrumentations see http, express, pg and gRPC only if these load after it.
import '@cs/platform/instrument';
import 'reflect-metadata';
import { bootstrapService } from '@cs/platform';
import { startGrpc } from './infrastructure/grpc/grpc-server';
import { bookingService } from './service';

void bootstrapService(bookingService)
  .then(startGrpc)
  .catch((error: unknown) => {
    process.stderr.write(
      `booking failed to start gRPC: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });
