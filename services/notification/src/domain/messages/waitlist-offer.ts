/** An offer is worth telling while the client can still accept it. */
export const offerStillOpen = (expiresAt: number, now: number): boolean => now < expiresAt;
