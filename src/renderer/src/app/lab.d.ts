import type { LabApi } from '$shared/lab-api';

declare global {
  interface Window {
    /** The app's API, exposed by the preload (or, in end-to-end tests, by the test bridge). */
    readonly lab: LabApi;
  }
}
