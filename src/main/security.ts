/**
 * Denials applied to every web page the app creates: the app never navigates, opens windows,
 * embeds webviews or grants a web permission (camera, notifications, …); it has no use for any.
 */
import type { Session, WebContents } from 'electron';

/** Cancels navigation away from the loaded page, new windows and `<webview>` attachment. */
export function denyNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Refuses every permission request and reports every permission as not granted. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
