import packageJson from '../../package.json';

/** The version written into model files and shown in the app. */
export const APP_VERSION: string = packageJson.version;
