/**
 * Backpropagation for one image, written out step by step for the step-through: every
 * intermediate tensor of the forward pass (z = a·W + b, a = f(z), p = softmax(z), L = −log p_y) and
 * of the backward pass (δ at the output, ∂L/∂W = aᵀδ, ∂L/∂b = δ, δ of each hidden layer) and the
 * SGD update, computed here in plain double-precision loops from the weights alone — an
 * independent reference the tests hold the engine's own forward and backward against.
 */
import type { NetworkWeights } from '../nn/weights';
import type { ActivationName } from '../training/run-config';

/** A tensor as shown: rows × cols numbers, row-major (a row vector has rows = 1). */
export interface TraceTensor {
  /** e.g. "z₁", "∂L/∂W₂". */
  name: string;
  rows: number;
  cols: number;
  values: Float64Array;
  /** Set on a weight matrix and its gradient: the dense layer (1-based) whose inputs are its rows. */
  weightsOf?: { layer: number; gradient: boolean };
  /** Set when the columns are the output layer's units, one per class: named by class (0–9), not counted. */
  classColumns?: true;
}

export interface TraceStep {
  phase: 'forward' | 'backward' | 'update';
  title: string;
  /** The step's equation, e.g. "z₁ = x·W₁ + b₁". */
  equation: string;
  /** How the shapes combine, e.g. "(1×784)·(784×128) + (128) → 1×128". */
  shapes: string;
  /** The tensor the step computes. */
  result: TraceTensor;
}

export interface BackpropTrace {
  steps: TraceStep[];
  loss: number;
  probabilities: Float64Array;
  label: number;
}

const SUB = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
const sub = (n: number): string => String(n).split('').map((d) => SUB[Number(d)]).join('');

const ACTIVATION: Record<ActivationName, { name: string; f: (z: number) => number; df: (z: number, a: number) => number; derivative: string }> = {
  relu: { name: 'ReLU', f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0), derivative: '1[z > 0]' },
  sigmoid: { name: 'σ', f: (z) => 1 / (1 + Math.exp(-z)), df: (_z, a) => a * (1 - a), derivative: 'a(1 − a)' },
  tanh: { name: 'tanh', f: (z) => Math.tanh(z), df: (_z, a) => 1 - a * a, derivative: '1 − a²' },
};

/**
 * @param weights the network's dense layers
 * @param activation after every hidden layer
 * @param image one input row, already scaled (e.g. pixels / 255)
 * @param label the right class
 * @param learningRate η for the update step
 */
export function traceBackprop(weights: NetworkWeights, activation: ActivationName, image: ArrayLike<number>, label: number, learningRate: number): BackpropTrace {
  const layers = weights.length;
  if (layers === 0) throw new RangeError('A network needs at least one dense layer to trace.');
  if (image.length !== weights[0].inputs) throw new RangeError(`The image has ${image.length} numbers; the first layer takes ${weights[0].inputs}.`);
  const act = ACTIVATION[activation];
  const steps: TraceStep[] = [];
  const vec = (name: string, values: Float64Array): TraceTensor => ({ name, rows: 1, cols: values.length, values });
  /** The same for the output layer's tensors, whose columns are the classes. */
  const perClass = (tensor: TraceTensor): TraceTensor => ({ ...tensor, classColumns: true });
  const a: Float64Array[] = [Float64Array.from(image)];
  const z: Float64Array[] = [new Float64Array(0)];

  for (let k = 1; k <= layers; k++) {
    const { inputs, outputs, weights: W, biases: b } = weights[k - 1];
    const prev = a[k - 1];
    const out = new Float64Array(outputs);
    for (let j = 0; j < outputs; j++) out[j] = b[j];
    for (let i = 0; i < inputs; i++) {
      const x = prev[i];
      if (x === 0) continue;
      for (let j = 0; j < outputs; j++) out[j] += x * W[i * outputs + j];
    }
    z.push(out);
    const input = k === 1 ? 'x' : `a${sub(k - 1)}`;
    steps.push({
      phase: 'forward',
      title: `Layer ${k}: weighted sum`,
      equation: `z${sub(k)} = ${input}·W${sub(k)} + b${sub(k)}`,
      shapes: `(1×${inputs})·(${inputs}×${outputs}) + (${outputs}) → 1×${outputs}`,
      result: k === layers ? perClass(vec(`z${sub(k)}`, out)) : vec(`z${sub(k)}`, out),
    });
    if (k < layers) {
      const activated = out.map(act.f);
      a.push(activated);
      steps.push({ phase: 'forward', title: `Layer ${k}: activation`, equation: `a${sub(k)} = ${act.name}(z${sub(k)})`, shapes: `1×${outputs} → 1×${outputs}, elementwise`, result: vec(`a${sub(k)}`, activated) });
    }
  }

  const logits = z[layers];
  const classes = logits.length;
  const max = Math.max(...logits);
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  const logSumExp = max + Math.log(sum);
  const p = logits.map((v) => Math.exp(v - logSumExp));
  const loss = logSumExp - logits[label];
  steps.push({ phase: 'forward', title: 'Softmax', equation: `p = softmax(z${sub(layers)}),  pᵢ = e^{zᵢ} / Σⱼ e^{zⱼ}`, shapes: `1×${classes} → 1×${classes}`, result: perClass(vec('p', p)) });
  steps.push({ phase: 'forward', title: 'Loss', equation: `L = −log p_y  (y = ${label})`, shapes: '1×10 → scalar'.replace('10', String(classes)), result: vec('L', Float64Array.of(loss)) });

  let delta = p.slice();
  delta[label] -= 1;
  steps.push({ phase: 'backward', title: 'Output error', equation: `δ${sub(layers)} = ∂L/∂z${sub(layers)} = p − onehot(y)`, shapes: `1×${classes}`, result: perClass(vec(`δ${sub(layers)}`, delta)) });
  const gradW: Float64Array[] = [];
  const gradB: Float64Array[] = [];
  for (let k = layers; k >= 1; k--) {
    const { inputs, outputs, weights: W } = weights[k - 1];
    const prev = a[k - 1];
    const dW = new Float64Array(inputs * outputs);
    for (let i = 0; i < inputs; i++) for (let j = 0; j < outputs; j++) dW[i * outputs + j] = prev[i] * delta[j];
    const input = k === 1 ? 'x' : `a${sub(k - 1)}`;
    gradW[k - 1] = dW;
    gradB[k - 1] = delta.slice();
    const output = (tensor: TraceTensor): TraceTensor => (k === layers ? perClass(tensor) : tensor);
    steps.push({ phase: 'backward', title: `Layer ${k}: weight gradient`, equation: `∂L/∂W${sub(k)} = ${input}ᵀ·δ${sub(k)}`, shapes: `(${inputs}×1)·(1×${outputs}) → ${inputs}×${outputs}`, result: output({ name: `∂L/∂W${sub(k)}`, rows: inputs, cols: outputs, values: dW, weightsOf: { layer: k, gradient: true } }) });
    steps.push({ phase: 'backward', title: `Layer ${k}: bias gradient`, equation: `∂L/∂b${sub(k)} = δ${sub(k)}`, shapes: `1×${outputs}`, result: output(vec(`∂L/∂b${sub(k)}`, delta.slice())) });
    if (k > 1) {
      const upstream = new Float64Array(inputs);
      for (let i = 0; i < inputs; i++) {
        let s = 0;
        for (let j = 0; j < outputs; j++) s += delta[j] * W[i * outputs + j];
        upstream[i] = s;
      }
      const next = upstream.map((g, i) => g * act.df(z[k - 1][i], a[k - 1][i]));
      steps.push({
        phase: 'backward',
        title: `Layer ${k - 1}: error`,
        equation: `δ${sub(k - 1)} = (δ${sub(k)}·W${sub(k)}ᵀ) ⊙ ${act.name}′(z${sub(k - 1)}),  ${act.name}′ = ${act.derivative}`,
        shapes: `(1×${outputs})·(${outputs}×${inputs}) ⊙ (1×${inputs}) → 1×${inputs}`,
        result: vec(`δ${sub(k - 1)}`, next),
      });
      delta = next;
    }
  }
  for (let k = 1; k <= layers; k++) {
    const { inputs, outputs, weights: W } = weights[k - 1];
    const updated = Float64Array.from(W, (w, i) => w - learningRate * gradW[k - 1][i]);
    steps.push({
      phase: 'update',
      title: `Layer ${k}: update`,
      equation: `W${sub(k)} ← W${sub(k)} − η·∂L/∂W${sub(k)},  b${sub(k)} ← b${sub(k)} − η·∂L/∂b${sub(k)}  (η = ${learningRate})`,
      shapes: `${inputs}×${outputs} and ${outputs}`,
      result: {
        name: `new W${sub(k)}`,
        rows: inputs,
        cols: outputs,
        values: updated,
        weightsOf: { layer: k, gradient: false },
        ...(k === layers ? { classColumns: true as const } : {}),
      },
    });
  }
  return { steps, loss, probabilities: p, label };
}
