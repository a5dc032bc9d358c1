/**
 * OnnxModel (plain data, src/engine/files/onnx-graph.ts) to and from the protobuf bytes of an
 * .onnx file, through protobufjs and onnx.proto's schema for the graph's structure, and in slices
 * at the wire level for the weights (onnx-wire.ts), so that a host with an event loop (the app's
 * main process) can give it a turn between slices; the CLI runs the same code to the end at once.
 */
import { modelProtoType, onnxMessageType } from './onnx-schema';
import { concatenate, encodeVarint, floatsFromBytes, floatsToBytes, splitTensorValues, WireFormatError, type TensorValues } from './onnx-wire';
import { ONNX_FLOAT, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from '../../engine/files/onnx-graph';
import { runToEnd, type Sliced } from '../../engine/files/slices';
import { describeBytes } from '../byte-count';

/**
 * The most bytes an .onnx file may hold besides its weights (nodes, names, attributes, metadata,
 * doc strings), all decoded by protobufjs in one piece: an MLP's take a few KB. A file with more
 * (100 MB of attribute values held the event loop 10 s) is refused before they are decoded.
 */
export const ONNX_STRUCTURE_MAX_BYTES = 4 * 1024 * 1024;

/** AttributeProto.AttributeType values we write or read. */
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;

/** A file that is not a readable ONNX model; the message names the file. */
export class OnnxFileError extends Error {
  override name = 'OnnxFileError';
}

/** Tags (field number << 3 | 2, length-delimited) of the fields written by hand below. */
const TAG_MODEL_GRAPH = (7 << 3) | 2;
const TAG_GRAPH_INITIALIZER = (5 << 3) | 2;
const TAG_TENSOR_RAW_DATA = (9 << 3) | 2;

/** The protobuf bytes of `model`, weights stored as little-endian float32 `raw_data`. */
export function encodeOnnx(model: OnnxModel): Uint8Array {
  return runToEnd(encodeOnnxInSlices(model));
}

/**
 * `encodeOnnx` in slices. protobufjs encodes the model without its graph, the graph without its
 * initializers and each initializer without its values (a few KB in all); the graph and its
 * initializers are then appended as fields of their messages, each value copied a slice at a time.
 */
export function* encodeOnnxInSlices(model: OnnxModel): Sliced<Uint8Array> {
  const modelType = modelProtoType();
  const graphType = onnxMessageType('GraphProto');
  const tensorType = onnxMessageType('TensorProto');
  const { graph } = model;
  const head = modelType.encode(
    modelType.fromObject({
      ir_version: model.irVersion,
      opset_import: [{ domain: '', version: model.opset }],
      producer_name: model.producerName,
      producer_version: model.producerVersion,
      model_version: 1,
      metadata_props: model.metadata,
    }),
  ).finish();
  const graphHead = graphType.encode(
    graphType.fromObject({
      name: graph.name,
      doc_string: graph.docString,
      node: graph.nodes.map((node) => ({
        name: node.name,
        op_type: node.opType,
        domain: node.domain,
        input: node.inputs,
        output: node.outputs,
        attribute: node.attributes.map(encodeAttribute),
      })),
      input: graph.inputs.map(encodeValueInfo),
      output: graph.outputs.map(encodeValueInfo),
    }),
  ).finish();
  const tensors = graph.initializers.map((tensor) => {
    const values = floatValues(tensor);
    const tensorHead = tensorType.encode(tensorType.fromObject({ name: tensor.name, dims: tensor.dims, data_type: ONNX_FLOAT })).finish();
    const before = concatenate([tensorHead, Uint8Array.of(TAG_TENSOR_RAW_DATA), encodeVarint(4 * values.length)]);
    return { before, values, length: before.length + 4 * values.length };
  });
  const entries = tensors.map((tensor) => concatenate([Uint8Array.of(TAG_GRAPH_INITIALIZER), encodeVarint(tensor.length)]));
  const graphLength = graphHead.length + tensors.reduce((sum, tensor, i) => sum + entries[i].length + tensor.length, 0);
  const start = concatenate([head, Uint8Array.of(TAG_MODEL_GRAPH), encodeVarint(graphLength), graphHead]);
  const bytes = new Uint8Array(start.length + graphLength - graphHead.length);
  bytes.set(start);
  let offset = start.length;
  for (const [i, tensor] of tensors.entries()) {
    bytes.set(entries[i], offset);
    bytes.set(tensor.before, offset + entries[i].length);
    offset += entries[i].length + tensor.before.length;
    yield* floatsToBytes(tensor.values, bytes, offset);
    offset += 4 * tensor.values.length;
  }
  return bytes;
}

function encodeAttribute(attribute: OnnxAttribute): Record<string, unknown> {
  switch (attribute.kind) {
    case 'int':
      return { name: attribute.name, type: ATTRIBUTE_INT, i: attribute.value };
    case 'float':
      return { name: attribute.name, type: ATTRIBUTE_FLOAT, f: attribute.value };
    case 'other':
      throw new Error(`Attribute ${attribute.name} has no value to write.`);
  }
}

function floatValues(tensor: OnnxTensor): Float32Array {
  if (tensor.dataType !== ONNX_FLOAT || tensor.data === null) throw new Error(`Tensor ${tensor.name} has no float32 values to write.`);
  return tensor.data;
}

function encodeValueInfo(info: OnnxValueInfo): Record<string, unknown> {
  const dim = info.shape?.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name: info.name, type: { tensor_type: { elem_type: info.elemType, ...(dim ? { shape: { dim } } : {}) } } };
}

/** Decoded ModelProto fields as protobufjs's toObject gives them (int64 as numbers, bytes as Uint8Array). */
interface RawModel {
  ir_version?: number;
  opset_import?: { domain?: string; version?: number }[];
  producer_name?: string;
  producer_version?: string;
  metadata_props?: { key?: string; value?: string }[];
  graph?: {
    name?: string;
    doc_string?: string;
    node?: { name?: string; op_type?: string; domain?: string; input?: string[]; output?: string[]; attribute?: RawAttribute[] }[];
    initializer?: RawTensor[];
    input?: RawValueInfo[];
    output?: RawValueInfo[];
  };
}
interface RawAttribute {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
}
interface RawTensor {
  name?: string;
  dims?: number[];
  data_type?: number;
  data_location?: number;
}
interface RawValueInfo {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } };
}

/**
 * Reads the bytes of an .onnx file. Throws an `OnnxFileError` naming the file when they are not
 * a protobuf ModelProto with a graph. What the graph computes is checked by the importer.
 */
export function decodeOnnx(bytes: Uint8Array, fileName: string): OnnxModel {
  return runToEnd(decodeOnnxInSlices(bytes, fileName));
}

/** `decodeOnnx` in slices: the weights are split off at the wire level and converted a slice at a time. */
export function* decodeOnnxInSlices(bytes: Uint8Array, fileName: string): Sliced<OnnxModel> {
  const type = modelProtoType();
  let raw: RawModel;
  let values: TensorValues[];
  const notOnnx = (error: unknown): OnnxFileError =>
    new OnnxFileError(`${fileName} is not an ONNX model: its bytes do not decode as one (${error instanceof Error ? error.message : String(error)}).`);
  try {
    const split = yield* splitTensorValues(bytes);
    if (split.rest.length > ONNX_STRUCTURE_MAX_BYTES) {
      throw new OnnxFileError(
        `${fileName} holds ${describeBytes(split.rest.length)} besides its weights (nodes, attributes, metadata), more than the ${describeBytes(ONNX_STRUCTURE_MAX_BYTES)} an MLP's graph needs; it was not read further.`,
      );
    }
    values = split.values;
    raw = type.toObject(type.decode(split.rest), { longs: Number, enums: Number }) as RawModel;
  } catch (error) {
    if (error instanceof WireFormatError || !(error instanceof OnnxFileError)) throw notOnnx(error);
    throw error;
  }
  const graph = raw.graph;
  if (graph === undefined || (graph.node ?? []).length === 0) {
    throw new OnnxFileError(`${fileName} is not an ONNX model, or an empty one: it has no graph of operators.`);
  }
  const standard = (raw.opset_import ?? []).find((o) => o.domain === undefined || o.domain === '' || o.domain === 'ai.onnx');
  return {
    irVersion: raw.ir_version ?? 0,
    opset: standard?.version ?? 0,
    producerName: raw.producer_name ?? '',
    producerVersion: raw.producer_version ?? '',
    metadata: (raw.metadata_props ?? []).map((p) => ({ key: p.key ?? '', value: p.value ?? '' })),
    graph: {
      name: graph.name ?? '',
      docString: graph.doc_string ?? '',
      nodes: (graph.node ?? []).map(
        (node, i): OnnxNode => ({
          name: node.name || `#${i + 1}`,
          opType: node.op_type ?? '',
          domain: node.domain ?? '',
          inputs: node.input ?? [],
          outputs: node.output ?? [],
          attributes: (node.attribute ?? []).map(decodeAttribute),
        }),
      ),
      initializers: yield* decodeTensors(graph.initializer ?? [], values),
      inputs: (graph.input ?? []).map(decodeValueInfo),
      outputs: (graph.output ?? []).map(decodeValueInfo),
    },
  };
}

function decodeAttribute(raw: RawAttribute): OnnxAttribute {
  const name = raw.name ?? '';
  if (raw.type === ATTRIBUTE_INT) return { name, kind: 'int', value: raw.i ?? 0 };
  if (raw.type === ATTRIBUTE_FLOAT) return { name, kind: 'float', value: raw.f ?? 0 };
  return { name, kind: 'other' };
}

function* decodeTensors(raws: readonly RawTensor[], values: readonly TensorValues[]): Sliced<OnnxTensor[]> {
  const tensors: OnnxTensor[] = [];
  for (const [i, raw] of raws.entries()) tensors.push(yield* decodeTensor(raw, values[i] ?? { raw: undefined, floats: [] }));
  return tensors;
}

/**
 * A float32 tensor's values from `raw_data` (little-endian) or `float_data` (both split off the
 * file by onnx-wire.ts, so not in `raw`); null for anything else.
 */
function* decodeTensor(raw: RawTensor, stored: TensorValues): Sliced<OnnxTensor> {
  const dims = raw.dims ?? [];
  const dataType = raw.data_type ?? 0;
  const tensor = { name: raw.name ?? '', dims, dataType };
  // Stored in a separate file (data_location EXTERNAL = 1): not something a single file carries.
  if (dataType !== ONNX_FLOAT || raw.data_location === 1) return { ...tensor, data: null };
  const bytes = stored.raw;
  if (bytes !== undefined && bytes.length > 0) {
    if (bytes.length % 4 !== 0) return { ...tensor, data: null };
    return { ...tensor, data: yield* floatsFromBytes([bytes]) };
  }
  return { ...tensor, data: yield* floatsFromBytes(stored.floats) };
}

function decodeValueInfo(raw: RawValueInfo): OnnxValueInfo {
  const tensorType = raw.type?.tensor_type;
  const dims = tensorType?.shape?.dim;
  return {
    name: raw.name ?? '',
    elemType: tensorType?.elem_type ?? 0,
    shape: dims === undefined ? null : dims.map((d) => d.dim_value ?? d.dim_param ?? '?'),
  };
}
