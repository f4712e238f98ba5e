'use strict';
// Reference for MobileNetV2ReferenceTest: runs nsfwjs's MobileNetV2 in TensorFlow.js (wasm backend) on an
// (N, H, W, 3) float32 .npy input and writes every tap, globally average-pooled, plus the unpooled taps of
// the first UNPOOLED_IMAGES images, as float32 .npy files (pooled_<tap>.npy, unpooled_<tap>.npy), the tap
// names in order (taps.txt) and the runtime (runtime.txt). The taps are found from the graph: every
// block_k_add, every block_k_project_BN without an add, expanded_conv_project_BN and out_relu.
// Usage: node mobilenet_v2_taps.js NODE_MODULES MODEL_DIR INPUT.npy OUT_DIR UNPOOLED_IMAGES
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [nodeModules, modelDir, inputFile, outDir, unpooledArg] = process.argv.slice(2);
const req = createRequire(path.join(path.resolve(nodeModules), 'resolve-from-here.js'));
const tf = req('@tensorflow/tfjs');
req('@tensorflow/tfjs-backend-wasm');

function readNpyF32(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(file + ': not a .npy file');
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLen;
  const header = buf.toString('latin1', major === 1 ? 10 : 12, start);
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header)) {
    throw new Error(file + ': expected little-endian float32 in C order, header ' + header);
  }
  const shape = header.match(/'shape':\s*\(([^)]*)\)/)[1].split(',').map(s => s.trim()).filter(s => s).map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = buf.readFloatLE(start + 4 * i);
  return { shape, data };
}

function writeNpyF32(file, shape, data) {
  let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape.join(', ')
      + (shape.length === 1 ? ',' : '') + '), }';
  const pad = 64 - ((10 + header.length + 1) % 64);
  header = header + ' '.repeat(pad % 64) + '\n';
  const out = Buffer.alloc(10 + header.length + 4 * data.length);
  out.write('\x93NUMPY', 0, 'latin1');
  out[6] = 1; out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  for (let i = 0; i < data.length; i++) out.writeFloatLE(data[i], 10 + header.length + 4 * i);
  fs.writeFileSync(file, out);
}

async function main() {
  await tf.setBackend('wasm');
  await tf.ready();
  const model = require(path.resolve(modelDir, 'model.min.js'));
  const shard = require(path.resolve(modelDir, 'group1-shard1of1.min.js'));
  const input = readNpyF32(inputFile);
  const [n, h, w, c] = input.shape;

  // The trunk only (up to out_relu), at the input's size: the head's 7x7 average pooling and dense layers
  // fix the size to 224 and are not taps.
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

  const x = tf.tensor4d(input.data, [n, h, w, c]);
  const outs = tapModel.predict(x);
  const unpooled = Math.min(n, Number(unpooledArg));
  fs.mkdirSync(outDir, { recursive: true });
  for (let t = 0; t < taps.length; t++) {
    const y = outs[t];
    const [, th, tw, tc] = y.shape;
    const values = y.dataSync();
    // Global average pooling summed in double (JS numbers), so the reference pooling adds no float32
    // rounding of its own (tf.mean sums 12544 float32 values for the first tap).
    const pooled = new Float32Array(n * tc);
    const sum = new Float64Array(tc);
    for (let i = 0; i < n; i++) {
      sum.fill(0);
      for (let p = 0; p < th * tw; p++) {
        const base = (i * th * tw + p) * tc;
        for (let c = 0; c < tc; c++) sum[c] += values[base + c];
      }
      for (let c = 0; c < tc; c++) pooled[i * tc + c] = sum[c] / (th * tw);
    }
    writeNpyF32(path.join(outDir, 'pooled_' + taps[t] + '.npy'), [n, tc], pooled);
    if (unpooled > 0) {
      const part = y.slice([0, 0, 0, 0], [unpooled, -1, -1, -1]);
      writeNpyF32(path.join(outDir, 'unpooled_' + taps[t] + '.npy'), part.shape, part.dataSync());
    }
  }
  fs.writeFileSync(path.join(outDir, 'taps.txt'), taps.join('\n') + '\n');
  fs.writeFileSync(path.join(outDir, 'runtime.txt'), 'tfjs ' + tf.version.tfjs + ' backend ' + tf.getBackend() + '\n');
}

main().catch(e => { console.error(e && e.stack ? e.stack : String(e)); process.exit(1); });
