import { ONNX_FLOAT, ONNX_IR_VERSION, ONNX_OPSET, type OnnxModel, type OnnxNode, type OnnxTensor } from './onnx-graph';
import type { ModelHeader } from './model-header';
import type { NetworkWeights } from '../nn/weights';
import type { ActivationName } from '../training/run-config';

/** The graph's input: a batch of flattened images, grey levels scaled to [0, 1]. */
export const ONNX_INPUT_NAME = 'image';
/** The last layer's output before softmax. */
export const ONNX_LOGITS_NAME = 'logits';
/** softmax(logits) over the classes. */
export const ONNX_PROBABILITIES_NAME = 'probabilities';

/** The ONNX operator that computes each of our activations. */
export const ONNX_ACTIVATION_OPS: Record<ActivationName, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh' };

/**
 * A saved model as a standard ONNX graph, the same network the engine runs:
 *
 *     image [N, 784] → Gemm(W₁, b₁) → Relu → … → Gemm(W_L, b_L) = logits [N, 10] → Softmax = probabilities
 *
 * Our W is inputs × outputs with y = x·W + b, which is exactly Gemm with transB = 0, so the
 * weights are written as they are. Both `logits` and `probabilities` are graph outputs. The
 * model's provenance goes into the metadata; `exportedBy` is the MLP Lab that writes the file.
 */
export function modelToOnnx(header: ModelHeader, weights: NetworkWeights, exportedBy: string): OnnxModel {
  const { config } = header;
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  let current = ONNX_INPUT_NAME;
  weights.forEach((layer, i) => {
    const n = i + 1;
    const last = i === weights.length - 1;
    initializers.push(
      // The model's own arrays, not copies: the graph is encoded and dropped, never changed.
      { name: `dense${n}.weight`, dims: [layer.inputs, layer.outputs], dataType: ONNX_FLOAT, data: layer.weights },
      { name: `dense${n}.bias`, dims: [layer.outputs], dataType: ONNX_FLOAT, data: layer.biases },
    );
    const sum = last ? ONNX_LOGITS_NAME : `dense${n}.output`;
    nodes.push({
      name: `dense${n}`,
      opType: 'Gemm',
      domain: '',
      inputs: [current, `dense${n}.weight`, `dense${n}.bias`],
      outputs: [sum],
      attributes: [
        { name: 'alpha', kind: 'float', value: 1 },
        { name: 'beta', kind: 'float', value: 1 },
        { name: 'transA', kind: 'int', value: 0 },
        { name: 'transB', kind: 'int', value: 0 },
      ],
    });
    current = sum;
    if (!last) {
      const opType = ONNX_ACTIVATION_OPS[config.activation];
      const output = `${config.activation}${n}.output`;
      nodes.push({ name: `${config.activation}${n}`, opType, domain: '', inputs: [current], outputs: [output], attributes: [] });
      current = output;
    }
  });
  nodes.push({
    name: 'softmax',
    opType: 'Softmax',
    domain: '',
    inputs: [ONNX_LOGITS_NAME],
    outputs: [ONNX_PROBABILITIES_NAME],
    attributes: [{ name: 'axis', kind: 'int', value: 1 }],
  });

  const inputs = config.layers[0];
  const classes = config.layers[config.layers.length - 1];
  const { dataset } = header;
  return {
    irVersion: ONNX_IR_VERSION,
    opset: ONNX_OPSET,
    producerName: 'MLP Lab',
    producerVersion: exportedBy,
    metadata: provenance(header, exportedBy),
    graph: {
      name: header.name ?? 'mlp',
      docString:
        `A multilayer perceptron ${config.layers.join('-')} (${config.activation}) trained in MLP Lab on ${dataset.name}. ` +
        `Input "${ONNX_INPUT_NAME}": float32 [N, ${inputs}], a ${dataset.rows}×${dataset.cols} image row by row, ` +
        `grey levels scaled to [0, 1] with ink high (light digit on dark). ` +
        `Outputs "${ONNX_LOGITS_NAME}" and "${ONNX_PROBABILITIES_NAME}" (softmax of the logits): float32 [N, ${classes}].`,
      nodes,
      initializers,
      inputs: [{ name: ONNX_INPUT_NAME, elemType: ONNX_FLOAT, shape: ['N', inputs] }],
      outputs: [
        { name: ONNX_LOGITS_NAME, elemType: ONNX_FLOAT, shape: ['N', classes] },
        { name: ONNX_PROBABILITIES_NAME, elemType: ONNX_FLOAT, shape: ['N', classes] },
      ],
    },
  };
}

/** Where the model came from, as the metadata's key–value pairs. */
function provenance(header: ModelHeader, exportedBy: string): { key: string; value: string }[] {
  const { config, dataset } = header;
  const entries: [string, string][] = [
    ['name', header.name ?? ''],
    ['architecture', `${config.layers.join('-')} ${config.activation}`],
    ['layers', config.layers.join(',')],
    ['activation', config.activation],
    ['dataset', `${dataset.name} (${dataset.rows}×${dataset.cols}, ${dataset.classes} classes, ${dataset.trainCount} train / ${dataset.testCount} test)`],
    ['test_accuracy', header.testAccuracy !== undefined && Number.isFinite(header.testAccuracy) ? String(header.testAccuracy) : 'not measured'],
    ['epochs', String(header.history.length)],
    ['training', `${config.optimizer} lr ${config.learningRate}, batch ${config.batchSize}, init ${config.init}, seed ${config.seed}`],
    ['created_at', header.createdAt],
    ['app_version', header.appVersion],
    ['exported_by', `MLP Lab ${exportedBy}`],
    ['input', `float32 [N, ${config.layers[0]}]: ${dataset.rows}×${dataset.cols} grey levels in [0, 1], ink high`],
  ];
  return entries.filter(([, value]) => value !== '').map(([key, value]) => ({ key, value }));
}
