// 'lightsnap/node': the pieces that need Node's filesystem or HTTP server.
export { fsStore } from './store/fs.js';
export { dirSource } from './net/dir-source.js';
export { serveDirectory, type ServeOptions } from './net/serve.js';
export { Supervisor, type SupervisorOptions, type VisorEvent } from './upgrade/supervisor.js';
export { initHome, switchCurrent } from './upgrade/home.js';
export { dryRun, status as visorStatus } from './upgrade/describe.js';
export { parseConfig, parseRunConfig, defaultConfig, type VisorConfig, type RunConfig, type ProcessSpec } from './upgrade/config.js';
export { VisorConfigInvalid, UpgradeSourceFailed, ArtifactRefused, UpgradeAborted, ProcessGaveUp, HomeBusy } from './errors.js';
