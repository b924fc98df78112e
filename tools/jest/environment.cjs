// The test environment of every spec: Node's, plus the embedded node its Jest worker
// shares among suites (apps/davmesh-e2e/src/worker-node.fixture.ts), reachable from a test
// file as globalThis[Symbol.for('davmesh.workerNode')](). The node is loaded with Node's
// own require, outside Jest's per-file module registry, so it outlives each test file and
// boots once per worker, on first use.
const path = require('node:path');
const { TestEnvironment } = require('jest-environment-node');

const WORKER_NODE = Symbol.for('davmesh.workerNode');
/** jest-worker's "end" message to a worker process (CHILD_MESSAGE_END in jest-worker's protocol). */
const CHILD_MESSAGE_END = 2;
/** In a worker process the node lives until the worker ends; run in band, it stops with each test file. */
const inWorkerProcess = typeof process.send === 'function';

let fixture;
function workerNodeFixture() {
  if (!fixture) {
    require('../register.cjs');
    fixture = require(path.join(__dirname, '../../apps/davmesh-e2e/src/worker-node.fixture.ts'));
    if (inWorkerProcess) {
      // Nothing is left to run: drop the node's data directory and leave without a slow stop.
      process.on('message', (message) => {
        if (Array.isArray(message) && message[0] === CHILD_MESSAGE_END) {
          fixture.abandonWorkerNode();
          process.exit(0);
        }
      });
    }
  }
  return fixture;
}

class DavmeshEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global[WORKER_NODE] = () => workerNodeFixture().workerNode();
  }

  async teardown() {
    if (fixture && !inWorkerProcess) await fixture.closeWorkerNode();
    await super.teardown();
  }
}

module.exports = DavmeshEnvironment;
