import { SetMetadata } from '@nestjs/common';
import { type Request } from 'express';
import { type Admission } from './leased-limiter';

export const VERIFIES_FIRST = 'cs:verifies-first';

const SHARED_ADMISSION = Symbol('cs:shared-admission');

type Admit = () => Promise<Admission>;
type Refuse = (admission: Admission) => void;

/**
 * A public route that checks its caller's signature or secret in memory first: before that,
 * only this instance's bucket for the address applies, so a flood of forged requests never
 * reaches the database; the shared bucket is charged once `admitVerified` is called.
 */
export const VerifiesFirst = (): MethodDecorator & ClassDecorator =>
  SetMetadata(VERIFIES_FIRST, true);

/** The guard leaves the shared admission on the request for the route to run once verified. */
export function deferSharedAdmission(req: Request, admit: Admit, refuse: Refuse): void {
  (req as Request & { [SHARED_ADMISSION]?: () => Promise<void> })[SHARED_ADMISSION] = async () =>
    refuse(await admit());
}

/** Charges a verified request to the shared bucket of its address; 429 when that is empty. */
export async function admitVerified(req: Request): Promise<void> {
  await (req as Request & { [SHARED_ADMISSION]?: () => Promise<void> })[SHARED_ADMISSION]?.();
}
