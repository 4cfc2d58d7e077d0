import type { AppContext } from '$server/app.ts';
import type { Identity } from '$server/auth/identity.ts';

declare global {
  namespace App {
    interface Locals {
      app: AppContext;
      identity: Identity;
    }
    interface Error {
      message: string;
    }
  }
}

export {};
