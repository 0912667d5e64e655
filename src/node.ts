// 'lightsnap/node': the pieces that need Node's filesystem or HTTP server.
export { fsStore } from './store/fs.js';
export { dirSource } from './net/dir-source.js';
export { serveDirectory, type ServeOptions } from './net/serve.js';
