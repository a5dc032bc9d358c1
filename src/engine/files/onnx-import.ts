import { ONNX_FLOAT, floatAttribute, intAttribute, type OnnxModel, type OnnxNode, type OnnxTensor } from './onnx-graph';
import { ONNX_ACTIVATION_OPS } from './onnx-export';
import type { ModelHeaderInput } from './model-header';
import type { DenseWeights, NetworkWeights } from '../nn/weights';
import { ACTIVATIONS, LIMITS, PRESETS, defaultInitFor, type ActivationName } from '../training/run-config';
import { runToEnd, SLICE_LENGTH, type Sliced } from './slices';

/** An ONNX graph MLP Lab cannot take in as one of its models; the message names the file and why. */
export class OnnxImportError extends Error {
  override name = 'OnnxImportError';
}

const SUPPORTED =
  'MLP Lab imports multilayer perceptrons: dense layers (Gemm, or MatMul then Add) with Relu, Sigmoid or Tanh between them, ' +
  'optionally ending in Softmax, on one input: a square image, row by row';

/** What the importer needs besides the graph: the header fields it cannot find in an ONNX file. */
export interface OnnxImportOptions {
  name: string;
  appVersion: string;
  createdAt: string;
}

/**
 * The multilayer perceptron an ONNX graph computes, as a model the library can store: the graph
 * must be a chain from its one input through dense layers (`Gemm` with transA = 0, alpha = beta = 1,
 * either transB; or `MatMul` by a weight matrix, then `Add` of a bias), one of our activations
 * between every two of them (the same one throughout), and optionally `Softmax` on the last
 * layer's output, as `torch.onnx.export` writes an `nn.Sequential` of `Linear` and activation
 * layers, and as our own export does. `Flatten` (axis 1) and `Identity` are passed through.
 * Anything else is refused at the first node that does not fit, by name.
 *
 * Training settings are not in an ONNX file, so the config gets the default preset's, with the
 * graph's layers and activation and the initialiser that suits it.
 */
export function onnxToModel(model: OnnxModel, fileName: string, options: OnnxImportOptions): { header: ModelHeaderInput; weights: NetworkWeights } {
  return runToEnd(onnxToModelInSlices(model, fileName, options));
}

/** `onnxToModel` in slices: transposing a large weight matrix pauses between rows. */
export function* onnxToModelInSlices(model: OnnxModel, fileName: string, options: OnnxImportOptions): Sliced<{ header: ModelHeaderInput; weights: NetworkWeights }> {
  const { layers: weights, activation } = yield* readChain(model, fileName);
  const widths = [weights[0].inputs, ...weights.map((w) => w.outputs)];
  const fail = (message: string): never => {
    throw new OnnxImportError(`${fileName} cannot be imported: ${message}`);
  };
  // Our models read square grey images row by row (MNIST's are 28×28 = 784 pixels).
  const side = Math.round(Math.sqrt(widths[0]));
  if (side * side !== widths[0]) fail(`its first layer takes ${widths[0]} inputs, which is not a square image; MLP Lab's models read square images such as MNIST's 28×28 = 784 pixels.`);
  if (widths.length > LIMITS.maxLayers) fail(`it has ${weights.length} dense layers; MLP Lab's models have at most ${LIMITS.maxLayers - 1}.`);
  widths.forEach((w, i) => {
    if (w > LIMITS.maxWidth) fail(`layer ${i} is ${w} units wide; MLP Lab's layers are at most ${LIMITS.maxWidth} wide.`);
  });
  const classes = widths[widths.length - 1];
  if (classes < 2) fail(`its last layer has ${classes} output; a classifier needs at least 2.`);

  const metadata = new Map(model.metadata.map(({ key, value }) => [key, value]));
  const accuracy = Number(metadata.get('test_accuracy'));
  const header: ModelHeaderInput = {
    name: options.name,
    createdAt: options.createdAt,
    appVersion: options.appVersion,
    config: { ...PRESETS.default, layers: widths, activation, init: defaultInitFor(activation) },
    dataset: {
      name: `imported from ONNX (${model.producerName || 'unknown producer'}${metadata.has('dataset') ? `, trained on ${metadata.get('dataset')}` : ''})`,
      rows: side,
      cols: side,
      classes,
      trainCount: 0,
      testCount: 0,
    },
    history: [],
    ...(metadata.has('test_accuracy') && accuracy >= 0 && accuracy <= 1 ? { testAccuracy: accuracy } : {}),
  };
  return { header, weights };
}

/** A dense layer read but not yet closed by an activation or the end: MatMul gives the weights, a following Add the bias. */
interface PendingLayer {
  layer: DenseWeights;
  /** A MatMul whose Add may still come. */
  awaitingBias: boolean;
}

/** Walks the graph's nodes in order along the one chain from its input; see `onnxToModel`. */
function* readChain(model: OnnxModel, fileName: string): Sliced<{ layers: NetworkWeights; activation: ActivationName }> {
  const { graph } = model;
  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const inputs = graph.inputs.filter((input) => !initializers.has(input.name));
  const refuse: (node: OnnxNode, why: string) => never = (node, why) => {
    throw new OnnxImportError(`${fileName} cannot be imported: node "${node.name}" (${node.opType}) ${why}. ${SUPPORTED}.`);
  };
  if (inputs.length === 0) throw new OnnxImportError(`${fileName} cannot be imported: its graph has no input. ${SUPPORTED}.`);
  if (model.opset !== 0 && model.opset < 7) {
    throw new OnnxImportError(`${fileName} cannot be imported: it uses ONNX opset ${model.opset}; MLP Lab reads opset 7 and newer.`);
  }

  if (inputs.length > 1) {
    const names = inputs.map((i) => `"${i.name}"`).join(', ');
    const user = graph.nodes.find((node) => node.inputs.includes(inputs[1].name));
    if (user === undefined) throw new OnnxImportError(`${fileName} cannot be imported: its graph has ${inputs.length} inputs (${names}); an MLP has one. ${SUPPORTED}.`);
    refuse(user, `takes a second graph input, "${inputs[1].name}" (the graph has ${inputs.length}: ${names})`);
  }
  const input = inputs[0];
  if (input.elemType !== 0 && input.elemType !== ONNX_FLOAT) {
    throw new OnnxImportError(`${fileName} cannot be imported: its input "${input.name}" is not float32 (ONNX element type ${input.elemType}). ${SUPPORTED}.`);
  }

  const layers: DenseWeights[] = [];
  let activation: ActivationName | undefined;
  let current = input.name;
  let pending: PendingLayer | undefined;
  let ended = false;
  const tensor = (name: string | undefined): OnnxTensor | undefined => (name === undefined ? undefined : initializers.get(name));

  for (const node of graph.nodes) {
    if (node.domain !== '' && node.domain !== 'ai.onnx') refuse(node, `is from the operator domain "${node.domain}", not standard ONNX`);
    const data = node.inputs.filter((name) => name !== '' && !initializers.has(name));
    if (data.length !== 1 || data[0] !== current) {
      refuse(node, `takes ${describeInputs(data)} where a chain of layers would take only "${current}"`);
    }
    // Dropout's optional second output is its mask; the chain goes on through the first.
    if (node.outputs.length !== 1 && node.opType !== 'Dropout') refuse(node, `has ${node.outputs.length} outputs`);
    if (ended) refuse(node, 'comes after the final Softmax');

    switch (node.opType) {
      case 'Gemm': {
        if (pending !== undefined) refuse(node, 'follows another dense layer with no activation between them');
        if (intAttribute(node, 'transA', 0) !== 0) refuse(node, 'transposes its input (transA = 1)');
        if (floatAttribute(node, 'alpha', 1) !== 1 || floatAttribute(node, 'beta', 1) !== 1) refuse(node, 'scales its product or bias (alpha or beta is not 1)');
        if (node.inputs[0] !== current) refuse(node, `takes its weights first and "${current}" second`);
        const transB = intAttribute(node, 'transB', 0) === 1;
        pending = { layer: yield* denseLayer(floatMatrix(tensor(node.inputs[1]), node, refuse), transB, tensor(node.inputs[2]), node, refuse), awaitingBias: false };
        break;
      }
      case 'MatMul': {
        if (pending !== undefined) refuse(node, 'follows another dense layer with no activation between them');
        if (node.inputs[0] !== current) refuse(node, `multiplies "${current}" from the left; a dense layer is input × weights`);
        pending = { layer: yield* denseLayer(floatMatrix(tensor(node.inputs[1]), node, refuse), false, undefined, node, refuse), awaitingBias: true };
        break;
      }
      case 'Add': {
        if (!pending?.awaitingBias) refuse(node, "adds to something that is not a MatMul's product");
        const { inputs: rows, outputs: cols, weights } = pending.layer;
        const bias = tensor(node.inputs.find((name) => name !== current));
        pending = { layer: yield* denseLayer({ rows, cols, data: weights }, false, bias, node, refuse), awaitingBias: false };
        break;
      }
      case 'Relu':
      case 'Sigmoid':
      case 'Tanh': {
        const name = ACTIVATIONS.find((a) => ONNX_ACTIVATION_OPS[a] === node.opType) as ActivationName;
        if (pending === undefined) refuse(node, 'does not follow a dense layer');
        if (activation !== undefined && activation !== name) {
          refuse(node, `differs from the ${ONNX_ACTIVATION_OPS[activation]} before it; MLP Lab's models use one activation throughout`);
        }
        activation = name;
        layers.push(pending.layer);
        pending = undefined;
        break;
      }
      case 'Softmax': {
        if (pending === undefined) refuse(node, 'does not follow a dense layer');
        // Before opset 13 the default axis was 1; from 13 on it is -1. On [N, classes] both mean the classes.
        const axis = intAttribute(node, 'axis', model.opset >= 13 || model.opset === 0 ? -1 : 1);
        if (axis !== 1 && axis !== -1) refuse(node, `works along axis ${axis}, not over the classes (axis 1)`);
        ended = true;
        break;
      }
      case 'Flatten': {
        if (layers.length > 0 || pending !== undefined) refuse(node, 'flattens between layers');
        if (intAttribute(node, 'axis', 1) !== 1) refuse(node, 'does not flatten each image into one row (axis is not 1)');
        break;
      }
      case 'Identity':
      case 'Dropout':
        // Both pass their input through at inference.
        break;
      default:
        refuse(node, 'is not a dense layer, an activation or a softmax');
    }
    current = node.outputs[0];
  }

  if (pending === undefined) {
    const what = layers.length > 0 ? 'ends in an activation after its last dense layer; its last layer must give the class scores (logits)' : 'has no dense layer';
    throw new OnnxImportError(`${fileName} cannot be imported: its graph ${what}. ${SUPPORTED}.`);
  }
  layers.push(pending.layer);
  if (!graph.outputs.some((output) => output.name === current)) {
    throw new OnnxImportError(`${fileName} cannot be imported: none of its outputs is the end of its chain of layers ("${current}").`);
  }
  for (let i = 0; i + 1 < layers.length; i++) {
    if (layers[i].outputs !== layers[i + 1].inputs) {
      throw new OnnxImportError(
        `${fileName} cannot be imported: layer ${i + 1} gives ${layers[i].outputs} outputs but layer ${i + 2} takes ${layers[i + 1].inputs} inputs.`,
      );
    }
  }
  return { layers, activation: activation ?? 'relu' };
}

function describeInputs(data: string[]): string {
  if (data.length === 0) return 'no data input, only stored constants';
  return `${data.length === 1 ? 'the input' : 'the inputs'} ${data.map((d) => `"${d}"`).join(', ')}`;
}

interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

/** A 2-D float32 initializer with all of its values, or the node refused. */
function floatMatrix(tensor: OnnxTensor | undefined, node: OnnxNode, refuse: (node: OnnxNode, why: string) => never): Matrix {
  if (tensor === undefined) return refuse(node, 'has no stored weight matrix');
  if (tensor.data === null) return refuse(node, `has weights "${tensor.name}" that are not float32 values stored in the file`);
  if (tensor.dims.length !== 2) return refuse(node, `has weights "${tensor.name}" of shape [${tensor.dims.join(', ')}], not a matrix`);
  const [rows, cols] = tensor.dims;
  if (rows * cols !== tensor.data.length) return refuse(node, `has weights "${tensor.name}" of shape [${rows}, ${cols}] but ${tensor.data.length} values`);
  return { rows, cols, data: tensor.data };
}

/**
 * Our layer (W inputs × outputs) from a weight matrix, transposed when stored outputs × inputs, and
 * a bias. The weights are copied (a slice at a time), so no two layers share an array.
 */
function* denseLayer(
  w: Matrix,
  transposed: boolean,
  bias: OnnxTensor | undefined,
  node: OnnxNode,
  refuse: (node: OnnxNode, why: string) => never,
): Sliced<DenseWeights> {
  const inputs = transposed ? w.cols : w.rows;
  const outputs = transposed ? w.rows : w.cols;
  if (inputs < 1 || outputs < 1) return refuse(node, `has an empty weight matrix`);
  const weights = new Float32Array(inputs * outputs);
  if (transposed) {
    for (let o = 0; o < outputs; o++) {
      for (let i = 0; i < inputs; i++) weights[i * outputs + o] = w.data[o * inputs + i];
      if (o % Math.max(1, Math.floor(SLICE_LENGTH / inputs)) === 0) yield;
    }
  } else {
    for (let from = 0; from < weights.length; from += SLICE_LENGTH) {
      weights.set(w.data.subarray(from, Math.min(weights.length, from + SLICE_LENGTH)), from);
      yield;
    }
  }
  const biases = new Float32Array(outputs);
  if (bias !== undefined) {
    if (bias.data === null) return refuse(node, `has a bias "${bias.name}" that is not float32 values stored in the file`);
    const count = bias.dims.reduce((a, b) => a * b, 1);
    const shapeOk = bias.dims.filter((d) => d !== 1).length <= 1 && count === outputs && bias.data.length === outputs;
    if (!shapeOk) return refuse(node, `has a bias "${bias.name}" of shape [${bias.dims.join(', ')}] for ${outputs} outputs`);
    biases.set(bias.data);
  }
  return { inputs, outputs, weights, biases };
}
