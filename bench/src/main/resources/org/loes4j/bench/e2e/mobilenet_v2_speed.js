'use strict';
// VisionE2E's TensorFlow.js worker: nsfwjs's MobileNetV2 trunk (up to out_relu, every tap an output, as
// the encoders' reference test builds it) on the wasm backend, timed on an (N, H, W, 3) float32 .npy input cut
// into batches. Prints one line "E2E-RESULT {json}".
// Usage: node mobilenet_v2_speed.js NODE_MODULES MODEL_DIR INPUT.npy BATCH THREADS WARMUP_PASSES PASSES
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [nodeModules, modelDir, inputFile, batchArg, threadsArg, warmupArg, passesArg] = process.argv.slice(2);
const req = createRequire(path.join(path.resolve(nodeModules), 'resolve-from-here.js'));
const tf = req('@tensorflow/tfjs');
const wasm = req('@tensorflow/tfjs-backend-wasm');

function readNpyF32(file) {
  const buf = fs.readFileSync(file);
  const headerLen = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + headerLen);
  const shape = header.match(/'shape':\s*\(([^)]*)\)/)[1].split(',').map(s => s.trim()).filter(s => s).map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + 10 + headerLen, buf.byteOffset + 10 + headerLen + 4 * n));
  return { shape, data };
}

async function main() {
  const threads = Number(threadsArg);
  // Honoured only where the threaded wasm binary can run (SharedArrayBuffer and worker threads); the
  // result reports the count actually used.
  wasm.setThreadsCount(threads);
  const t0 = process.hrtime.bigint();
  await tf.setBackend('wasm');
  await tf.ready();
  const model = require(path.resolve(modelDir, 'model.min.js'));
  const shard = require(path.resolve(modelDir, 'group1-shard1of1.min.js'));
  const input = readNpyF32(inputFile);
  const [n, h, w, c] = input.shape;
  const topology = JSON.parse(JSON.stringify(model.modelTopology));
  const cfg = topology.model_config.config;
  const last = cfg.layers.findIndex(l => l.name === 'out_relu');
  cfg.layers = cfg.layers.slice(0, last + 1);
  cfg.layers[0].config.batch_input_shape = [null, h, w, c];
  cfg.output_layers = [['out_relu', 0, 0]];
  const weightSpecs = [].concat(...model.weightsManifest.map(g => g.weights));
  const bytes = Buffer.from(shard, 'base64');
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const handler = { load: async () => ({ modelTopology: topology, weightSpecs, weightData }) };
  const trunk = await tf.loadLayersModel(handler, { strict: false });
  const taps = cfg.layers.map(l => l.name)
      .filter(name => name === 'expanded_conv_project_BN' || name === 'out_relu'
          || /^block_\d+_add$/.test(name)
          || (/^block_\d+_project_BN$/.test(name)
              && !cfg.layers.some(l => l.name === name.replace('project_BN', 'add'))));
  const tapModel = tf.model({ inputs: trunk.inputs, outputs: taps.map(t => trunk.getLayer(t).output) });
  const loadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

  const batch = Number(batchArg);
  const batches = [];
  for (let s = 0; s < n; s += batch) {
    const m = Math.min(batch, n - s);
    batches.push(tf.tensor4d(input.data.subarray(s * h * w * c, (s + m) * h * w * c), [m, h, w, c]));
  }
  // Every tap globally average-pooled and read back, as loes4j's ImageEncoder hands them on.
  function run(x) {
    const outs = tapModel.predict(x);
    const pooled = outs.map(o => tf.mean(o, [1, 2]));
    for (const p of pooled) p.dataSync();
    tf.dispose(outs);
    tf.dispose(pooled);
  }
  let t = process.hrtime.bigint();
  run(batches[0]);
  const coldBatchSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  for (let p = 0; p < Number(warmupArg); p++) for (const b of batches) run(b);
  const passSeconds = [];
  for (let p = 0; p < Number(passesArg); p++) {
    t = process.hrtime.bigint();
    for (const b of batches) run(b);
    passSeconds.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  const sorted = passSeconds.slice().sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  console.log('E2E-RESULT ' + JSON.stringify({
    impl: 'tfjs-wasm', threadsAsked: threads, threads: wasm.getThreadsCount ? wasm.getThreadsCount() : null,
    tfjs: tf.version.tfjs, node: process.version, images: n, size: h, batch, loadSeconds, coldBatchSeconds,
    coldBatchImages: Math.min(batch, n), passSeconds, medianPassSeconds: median, imagesPerSecond: n / median }));
}

main().catch(e => { console.error(e); process.exit(1); });
