/** The HS256 secret test services are started with; kept apart from Jest so benchmarks can use it. */
export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret!';
