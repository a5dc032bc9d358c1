/**
 * An ONNX model as plain data: the part of ONNX's ModelProto an MLP needs (dense layers,
 * elementwise activations, softmax), with no protobuf in it. Writing these to bytes and reading
 * them back is the host's job (src/node/onnx); building one from our layers, and our layers from
 * one, is the engine's (onnx-export.ts, onnx-import.ts beside this file).
 */

/** The ONNX operator set our export uses: Gemm, Relu, Sigmoid, Tanh and Softmax as of opset 13. */
export const ONNX_OPSET = 13;
/** The ONNX IR version that goes with opset 13 (ONNX 1.8). */
export const ONNX_IR_VERSION = 7;

/** TensorProto.DataType.FLOAT: the only element type we write or import weights in. */
export const ONNX_FLOAT = 1;

/** A named constant tensor (an initializer): a weight matrix or a bias. */
export interface OnnxTensor {
  name: string;
  /** Its shape, outermost first; [] is a scalar. */
  dims: number[];
  /** TensorProto.DataType; only ONNX_FLOAT comes with `data`. */
  dataType: number;
  /** The values, row-major; null for a tensor of another element type, or one stored outside the file. */
  data: Float32Array | null;
}

/** A node attribute; only the kinds the MLP operators take are kept, anything else as 'other'. */
export type OnnxAttribute =
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'other' };

/** One operator application: `opType` over named inputs, giving named outputs. */
export interface OnnxNode {
  name: string;
  opType: string;
  /** The operator's domain; '' (or 'ai.onnx') is the standard one. */
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
}

/** A graph input or output: a float tensor whose dimensions are numbers or named (e.g. "N"). */
export interface OnnxValueInfo {
  name: string;
  /** TensorProto.DataType of the elements; 0 when the file does not say. */
  elemType: number;
  /** Each dimension's size, or its symbolic name; null when the shape is not given. */
  shape: (number | string)[] | null;
}

/** What an ONNX file holds, as far as MLP Lab reads and writes it. */
export interface OnnxModel {
  irVersion: number;
  /** The standard domain's opset version. */
  opset: number;
  producerName: string;
  producerVersion: string;
  /** Key–value provenance (ModelProto.metadata_props): Netron and runtimes show these. */
  metadata: { key: string; value: string }[];
  graph: {
    name: string;
    docString: string;
    /** In topological order, as ONNX requires. */
    nodes: OnnxNode[];
    initializers: OnnxTensor[];
    inputs: OnnxValueInfo[];
    outputs: OnnxValueInfo[];
  };
}

/** The value of an int attribute, or `fallback` when the node does not set it. */
export function intAttribute(node: OnnxNode, name: string, fallback: number): number {
  const attribute = node.attributes.find((a) => a.name === name);
  return attribute?.kind === 'int' ? attribute.value : fallback;
}

/** The value of a float attribute, or `fallback` when the node does not set it. */
export function floatAttribute(node: OnnxNode, name: string, fallback: number): number {
  const attribute = node.attributes.find((a) => a.name === name);
  return attribute?.kind === 'float' ? attribute.value : fallback;
}
