// Importing ONNX MLPs written the way torch.onnx.export writes them (Flatten, Gemm with transB = 1
// or MatMul + Add, no Softmax), checked against ONNX Runtime on the same file; and graphs of other
// shapes refused by the first node that does not fit, by name.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/training/evaluate';
import { ONNX_FLOAT, type OnnxModel, type OnnxNode, type OnnxTensor } from '../../src/engine/files/onnx-graph';
import { selectKernels } from '../../src/engine/kernels/select';
import { Network } from '../../src/engine/nn/network';
import { Rng } from '../../src/engine/nn/rng';
import { OnnxFileError, encodeOnnx } from '../../src/node/onnx/onnx-codec';
import { ONNX_MAX_BYTES, modelFromOnnxBytes, readOnnxFile } from '../../src/node/onnx/onnx-file';
import { mnistSubset } from '../helpers/mnist';

const options = { name: 'imported', appVersion: '0.1.0', createdAt: '2026-12-05T22:30:00.000Z' };
const test = mnistSubset(1, 200).test;

function randomTensor(name: string, dims: number[], rng: Rng, scale: number): OnnxTensor {
  const count = dims.reduce((a, b) => a * b, 1);
  return { name, dims, dataType: ONNX_FLOAT, data: Float32Array.from({ length: count }, () => rng.uniformIn(-scale, scale)) };
}

function node(opType: string, inputs: string[], outputs: string[], attributes: OnnxNode['attributes'] = [], name = `/${opType}_${outputs[0]}`): OnnxNode {
  return { name, opType, domain: '', inputs, outputs, attributes };
}

/** A graph as torch.onnx.export writes nn.Sequential(Flatten, Linear(784,32), Tanh, Linear(32,10)) for a [N,1,28,28] input. */
function torchStyle(dense: 'gemm' | 'matmul'): OnnxModel {
  const rng = new Rng(7);
  const initializers: OnnxTensor[] = [];
  const nodes: OnnxNode[] = [node('Flatten', ['input.1'], ['/0/Flatten_output_0'], [{ name: 'axis', kind: 'int', value: 1 }])];
  const layer = (n: number, from: string, inputs: number, outputs: number, to: string): void => {
    if (dense === 'gemm') {
      // torch keeps Linear's weight as [out, in] and multiplies by its transpose.
      initializers.push(randomTensor(`${n}.weight`, [outputs, inputs], rng, 0.1), randomTensor(`${n}.bias`, [outputs], rng, 0.1));
      nodes.push(node('Gemm', [from, `${n}.weight`, `${n}.bias`], [to], [
        { name: 'alpha', kind: 'float', value: 1 },
        { name: 'beta', kind: 'float', value: 1 },
        { name: 'transB', kind: 'int', value: 1 },
      ]));
    } else {
      initializers.push(randomTensor(`onnx::MatMul_${n}`, [inputs, outputs], rng, 0.1), randomTensor(`${n}.bias`, [outputs], rng, 0.1));
      nodes.push(node('MatMul', [from, `onnx::MatMul_${n}`], [`${to}_mm`]), node('Add', [`${n}.bias`, `${to}_mm`], [to]));
    }
  };
  layer(1, '/0/Flatten_output_0', 784, 32, '/1/output_0');
  nodes.push(node('Tanh', ['/1/output_0'], ['/2/Tanh_output_0']));
  layer(3, '/2/Tanh_output_0', 32, 10, '17');
  return {
    irVersion: 8,
    opset: 17,
    producerName: 'pytorch',
    producerVersion: '2.1.0',
    metadata: [],
    graph: {
      name: 'main_graph',
      docString: '',
      nodes,
      initializers,
      inputs: [{ name: 'input.1', elemType: ONNX_FLOAT, shape: ['batch', 1, 28, 28] }],
      outputs: [{ name: '17', elemType: ONNX_FLOAT, shape: ['batch', 10] }],
    },
  };
}

function softmaxRows(logits: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length / classes; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    const max = Math.max(...row);
    let sum = 0;
    for (const v of row) sum += Math.exp(v - max);
    row.forEach((v, c) => (out[r * classes + c] = Math.exp(v - max) / sum));
  }
  return out;
}

describe('importing an ONNX MLP written as torch.onnx.export writes it', () => {
  it.each(['gemm', 'matmul'] as const)('%s layers: our network computes what ONNX Runtime computes from the same file', async (dense) => {
    const bytes = encodeOnnx(torchStyle(dense));
    const imported = modelFromOnnxBytes(bytes, 'torch.onnx', options);
    expect(imported.header.config.layers).toEqual([784, 32, 10]);
    expect(imported.header.config.activation).toBe('tanh');
    expect(imported.header.dataset.name).toContain('pytorch');

    const session = await ort.InferenceSession.create(bytes);
    const input = new ort.Tensor('float32', Float32Array.from(test.images, (v) => v / 255), [test.count, 1, 28, 28]);
    const result = await session.run({ 'input.1': input });
    const theirs = softmaxRows(result['17'].data as Float32Array, 10);
    await session.release();

    const network = new Network(imported.header.config, await selectKernels('js'));
    network.setWeights(imported.weights);
    const ours = evaluate(network, test, 10, { keepProbabilities: true }).probabilities ?? new Float32Array();
    let maxDiff = 0;
    for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - theirs[i]));
    expect(maxDiff).toBeLessThanOrEqual(1e-5);
  });
});

/** A valid torch-style graph with `change` applied, refused with a message naming `nodeName`. */
function expectRefused(change: (model: OnnxModel) => void, pattern: RegExp): void {
  const model = torchStyle('gemm');
  change(model);
  expect(() => modelFromOnnxBytes(encodeOnnx(model), 'other.onnx', options)).toThrow(pattern);
}

describe('ONNX graphs of another shape are refused, naming the first node that does not fit', () => {
  it('a convolution', () => {
    expectRefused((model) => {
      model.graph.initializers.push(randomTensor('conv.weight', [4, 1, 3, 3], new Rng(1), 0.1));
      model.graph.nodes[0] = node('Conv', ['input.1', 'conv.weight'], ['/0/Flatten_output_0'], [], '/conv1/Conv');
    }, /other\.onnx cannot be imported: node "\/conv1\/Conv" \(Conv\) is not a dense layer, an activation or a softmax/);
  });

  it('a graph with two inputs', () => {
    expectRefused((model) => {
      model.graph.inputs.push({ name: 'extra', elemType: ONNX_FLOAT, shape: ['batch', 32] });
      model.graph.nodes.splice(2, 0, node('Add', ['/1/output_0', 'extra'], ['/1/plus_extra'], [], '/mix/Add'));
      model.graph.nodes[3].inputs = ['/1/plus_extra'];
    }, /node "\/mix\/Add" \(Add\) takes a second graph input, "extra"/);
  });

  it('two activations in a row', () => {
    expectRefused((model) => {
      const last = model.graph.nodes.length - 1;
      model.graph.nodes.splice(last, 0, node('Relu', ['/2/Tanh_output_0'], ['/2b/Relu_output_0'], [], '/2b/Relu'));
      model.graph.nodes[last + 1].inputs[0] = '/2b/Relu_output_0';
    }, /node "\/2b\/Relu" \(Relu\) does not follow a dense layer/);
  });

  it('a layer that scales its product (alpha ≠ 1)', () => {
    expectRefused((model) => {
      model.graph.nodes[1].attributes[0] = { name: 'alpha', kind: 'float', value: 2 };
    }, /node "\/Gemm_\/1\/output_0" \(Gemm\) scales its product/);
  });

  it('an input that is not a square image', () => {
    expectRefused((model) => {
      const w = model.graph.initializers[0];
      model.graph.initializers[0] = randomTensor(w.name, [32, 99], new Rng(2), 0.1);
    }, /first layer takes 99 inputs, which is not a square image/);
  });

  it('bytes that are not ONNX at all', () => {
    const text = new TextEncoder().encode('this is a text file, not a model\n'.repeat(20));
    expect(() => modelFromOnnxBytes(text, 'notes.onnx', options)).toThrow(/notes\.onnx is not an ONNX model/);
    expect(() => modelFromOnnxBytes(new Uint8Array(0), 'empty.onnx', options)).toThrow(/empty\.onnx is not an ONNX model, or an empty one/);
  });

  it('a file larger than any MLP Lab model, before it is read', () => {
    let read = false;
    const fs = {
      statSync: () => ({ size: ONNX_MAX_BYTES + 1, isFile: () => true }),
      readFileSync: () => {
        read = true;
        return Buffer.alloc(0);
      },
    } as unknown as Parameters<typeof readOnnxFile>[1];
    expect(() => readOnnxFile('/models/huge.onnx', fs)).toThrow(OnnxFileError);
    expect(() => readOnnxFile('/models/huge.onnx', fs)).toThrow(/huge\.onnx is 128 MB, more than the 128 MB/);
    expect(read).toBe(false);
  });
});
