// Loaded with `node --require` into a process forked by electron-parent-port.ts: it gives the
// process what an Electron utility process has, `process.parentPort`, as Electron 40 makes it
// (lib/utility/init.ts, lib/utility/parent-port.ts, shell/services/node/parent_port.cc):
// - an EventEmitter whose 'message' events are `{ data, ports }` (ports: MessagePortMain[], none here);
// - messages that arrive before a 'message' listener is added are queued, then delivered in order
//   (docs/api/parent-port.md: "queued up until a handler is registered");
// - postMessage copies with V8's ValueSerializer and no delegate for shared memory
//   (electron::SerializeV8Value): it throws on a SharedArrayBuffer, a view of one or a shared
//   WebAssembly memory, and a typed-array view carries its whole ArrayBuffer with it.
// Bytes travel over the fork's IPC channel; the parent (electron-parent-port.ts) decodes them the same way.
// Unlike a utility process this one also has process.send (the channel); the worker prefers parentPort.
'use strict';
const { EventEmitter } = require('node:events');
const v8 = require('node:v8');
const { isMainThread } = require('node:worker_threads');

function serializeAsElectron(value) {
  const serializer = new v8.Serializer();
  serializer.writeHeader();
  serializer.writeValue(value);
  return serializer.releaseBuffer();
}

function deserializeAsElectron(bytes) {
  const deserializer = new v8.Deserializer(bytes);
  deserializer.readHeader();
  return deserializer.readValue();
}

// --require also runs in every worker thread the process starts (the kernels' helper thread);
// Electron gives those no parentPort.
if (isMainThread) installParentPort();

function installParentPort() {
  const sendToParent = process.send.bind(process);
  const queued = [];
  const parentPort = new EventEmitter();
  parentPort.postMessage = (message) => {
    sendToParent({ electronMessage: serializeAsElectron(message) });
  };
  parentPort.on('newListener', (event) => {
    if (event !== 'message') return;
    // After the listener is in place (newListener runs before it is added).
    queueMicrotask(() => {
      while (queued.length > 0) parentPort.emit('message', queued.shift());
    });
  });

  process.on('message', (envelope) => {
    if (envelope === null || typeof envelope !== 'object' || !(envelope.electronMessage instanceof Uint8Array)) return;
    const event = { data: deserializeAsElectron(envelope.electronMessage), ports: [] };
    if (parentPort.listenerCount('message') === 0 || queued.length > 0) queued.push(event);
    else parentPort.emit('message', event);
  });
  // A utility process ends with the app; here, with the parent's channel.
  process.on('disconnect', () => process.exit(0));

  Object.defineProperty(process, 'parentPort', { value: parentPort, enumerable: true, writable: false });
}
