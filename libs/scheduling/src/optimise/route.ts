import { type GeoPoint } from '../model';
import { type TravelEstimator, travelMs } from '../travel/travel';

export interface RouteStop {
  readonly start: number;
  readonly location: GeoPoint | null;
}

/** Total travel of a day: from home through every located stop in time order, back home. */
export function routeTravelMs(
  stops: readonly RouteStop[],
  home: GeoPoint | null,
  travel: TravelEstimator,
): number {
  const path = [...stops].filter((s) => s.location !== null).sort((a, b) => a.start - b.start);
  let total = 0;
  let here = home;
  for (const stop of path) {
    total += travelMs(travel, here, stop.location);
    here = stop.location;
  }
  return total + travelMs(travel, here, home);
}
