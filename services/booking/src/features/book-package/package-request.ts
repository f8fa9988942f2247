import { id } from '@cs/contracts';
import { z } from 'zod';
import { bookingRequestSchema } from '../book-appointment/booking-request';

/** docs/api.md `POST /v1/bookings/batch`: several bookings as one package. */
export const packageRequestSchema = z.object({
  packageId: id.optional(),
  /** All items or none; `false` books the items that fit and lists the fate of each. */
  atomic: z.boolean().default(true),
  items: z
    .array(bookingRequestSchema)
    .min(1)
    .max(20)
    .superRefine((items, ctx) => {
      for (const [index, item] of items.entries()) {
        if (item.recurrence) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'recurrence'],
            message: 'a package item is booked once; book a series on its own',
          });
        }
      }
    }),
});

export type PackageRequestBody = z.infer<typeof packageRequestSchema>;
