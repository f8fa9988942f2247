import { z } from 'zod';

export const instant = z.string().datetime({ offset: true });
export const id = z.string().min(1).max(200);
export const timeZone = z.string().min(1).max(64);
export const geoPoint = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});
