import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'cs:public';

/** Opts a route or controller out of bearer authentication (health, webhooks, callbacks). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
