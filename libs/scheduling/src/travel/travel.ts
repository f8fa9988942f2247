import { type GeoPoint } from '../model';

/** Minutes to travel between two points; pluggable so a routing service can replace it. */
export type TravelEstimator = (from: GeoPoint, to: GeoPoint) => number;

export interface GreatCircleOptions {
  readonly averageSpeedKmh?: number | null;
  readonly detourFactor?: number | null;
}

/** Defaults for a territory that states neither: urban home-care driving. */
export const DEFAULT_SPEED_KMH = 35;
export const DEFAULT_DETOUR_FACTOR = 1.3;
const EARTH_RADIUS_KM = 6_371.0088;

/**
 * The default estimator (docs/design.md §3): great-circle distance times a detour factor, at the
 * territory's average speed, rounded up to 5 minutes.
 */
export function greatCircleTravel(options: GreatCircleOptions = {}): TravelEstimator {
  const speed = options.averageSpeedKmh ?? DEFAULT_SPEED_KMH;
  const detour = options.detourFactor ?? DEFAULT_DETOUR_FACTOR;
  return (from, to) => {
    const km = greatCircleKm(from, to) * detour;
    return Math.ceil(Math.round((km / speed) * 60 * 1_000) / 1_000 / 5) * 5;
  };
}

export function greatCircleKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Travel between two optional places; unknown on either side counts as none. */
export function travelMs(
  estimate: TravelEstimator,
  from: GeoPoint | null,
  to: GeoPoint | null,
): number {
  return from && to ? estimate(from, to) * 60_000 : 0;
}
