import { type BookingRequestBody } from '@cs/contracts';

// The body is part of the public contract (libs/contracts), which the assistant's tools reuse.
export { bookingRequestSchema, type BookingRequestBody } from '@cs/contracts';

export const proIdsOf = (body: BookingRequestBody): string[] => body.proIds ?? [body.proId!];
