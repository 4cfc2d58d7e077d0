import { ensureBuild } from '../server/build.ts';

/** Integration and browser tests run the production build, as `npm start` does. */
export default function setup(): void {
  ensureBuild();
}
