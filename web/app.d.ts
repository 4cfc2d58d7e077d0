import type { AppContext } from '$server/app.ts';

declare global {
  namespace App {
    interface Locals {
      app: AppContext;
    }
    interface Error {
      message: string;
    }
  }
}

export {};
