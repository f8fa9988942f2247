export { baseConfigSchema, type BaseConfig, LOG_LEVELS } from './config/base-config';
export { ConfigError, loadConfig } from './config/load-config';
export { CONFIG } from './config/config.token';

export { CORRELATION_HEADER, correlationIdFor } from './context/correlation-id';
export { ANONYMOUS_ACTOR, actorFor } from './context/actor';
export { RequestContextMiddleware } from './context/request-context.middleware';

export { type Principal, type Role, ROLES, principalOf } from './auth/principal';
export { AuthGuard } from './auth/auth.guard';
export { TokenVerifier } from './auth/token-verifier';
export { Public } from './auth/public.decorator';
export { admitVerified, VerifiesFirst } from './limits/verify-first';
export { Roles } from './auth/roles.decorator';
export { CurrentPrincipal } from './auth/current-principal.decorator';
export { forbidden, unauthorized } from './auth/auth-problems';
export { assertCanAccessPro, canAccessPro } from './auth/pro-access';
export { signTestToken, type TestTokenClaims } from './auth/sign-test-token';

export {
  type FieldError,
  PROBLEM_BASE_URI,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  ProblemException,
  type ProblemInit,
  problemType,
  validationProblem,
} from './errors/problem';
export { ProblemFilter } from './errors/problem.filter';
export {
  parseBody,
  parseOr400,
  type RequestPart,
  ZodValidationPipe,
} from './errors/zod-validation';
// The body rule lives with the request contracts; settings and probes take it from here too.
export { timeZoneId } from '@cs/contracts';

export { createRootLogger, REDACTED_PATHS } from './logging/root-logger';
export { HttpMetrics } from './metrics/http-metrics';
export { openApiDocument, setupOpenApi } from './openapi/setup-openapi';

export {
  CONSISTENCY_TOKEN_HEADER,
  CONSISTENT_WITH_PARAMETER,
  IF_CONSISTENT_WITH_HEADER,
  type WrittenPosition,
  decodeConsistencyToken,
  encodeConsistencyToken,
} from './consistency/consistency-token';
export { collectWritten, recordWritten } from './consistency/written-positions';
export { RecordingCommandHandler } from './consistency/recording-command-handler';
export {
  ConsistentRead,
  type ConsistentReadOptions,
  READ_CACHE,
  type ReadCache,
} from './consistency/consistent-read';

export { PlatformModule, type PlatformOptions } from './platform.module';
export {
  serviceConfigSchema,
  type ServiceConfig,
  type ServiceDefinition,
} from './bootstrap/service-definition';
export { createServiceApp } from './bootstrap/create-service-app';
export { bootstrapService } from './bootstrap/bootstrap-service';
export { serviceModules, type ServiceEventing } from './bootstrap/service-modules';
export {
  authenticateGrpc,
  metadataText,
  rpcExceptionOf,
  unexpectedRpcException,
} from './grpc/grpc-calls';
export { type AbandonableCall, abandonedRpcException, callSignal } from './grpc/call-signal';
export { GrpcHealth } from './grpc/grpc-health';
export { standardGrpcServices } from './grpc/standard-services';
