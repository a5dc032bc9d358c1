/**
 * OnnxModel (plain data, src/engine/files/onnx-graph.ts) to and from the protobuf bytes of an
 * .onnx file, through protobufjs and onnx.proto's schema.
 */
import { modelProtoType } from './onnx-schema';
import { ONNX_FLOAT, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from '../../engine/files/onnx-graph';

/** AttributeProto.AttributeType values we write or read. */
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;

/** A file that is not a readable ONNX model; the message names the file. */
export class OnnxFileError extends Error {
  override name = 'OnnxFileError';
}

/** The protobuf bytes of `model`, weights stored as little-endian float32 `raw_data`. */
export function encodeOnnx(model: OnnxModel): Uint8Array {
  const type = modelProtoType();
  const { graph } = model;
  const message = type.fromObject({
    ir_version: model.irVersion,
    opset_import: [{ domain: '', version: model.opset }],
    producer_name: model.producerName,
    producer_version: model.producerVersion,
    model_version: 1,
    metadata_props: model.metadata,
    graph: {
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
      initializer: graph.initializers.map(encodeTensor),
      input: graph.inputs.map(encodeValueInfo),
      output: graph.outputs.map(encodeValueInfo),
    },
  });
  return type.encode(message).finish();
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

function encodeTensor(tensor: OnnxTensor): Record<string, unknown> {
  if (tensor.dataType !== ONNX_FLOAT || tensor.data === null) throw new Error(`Tensor ${tensor.name} has no float32 values to write.`);
  const raw = new Uint8Array(tensor.data.length * 4);
  const view = new DataView(raw.buffer);
  tensor.data.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return { name: tensor.name, dims: tensor.dims, data_type: ONNX_FLOAT, raw_data: raw };
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
  float_data?: number[];
  raw_data?: Uint8Array;
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
  const type = modelProtoType();
  let raw: RawModel;
  try {
    raw = type.toObject(type.decode(bytes), { longs: Number, enums: Number }) as RawModel;
  } catch (error) {
    throw new OnnxFileError(`${fileName} is not an ONNX model: its bytes do not decode as one (${error instanceof Error ? error.message : String(error)}).`);
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
      initializers: (graph.initializer ?? []).map(decodeTensor),
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

/** A float32 tensor's values from `raw_data` (little-endian) or `float_data`; null for anything else. */
function decodeTensor(raw: RawTensor): OnnxTensor {
  const dims = raw.dims ?? [];
  const dataType = raw.data_type ?? 0;
  const tensor = { name: raw.name ?? '', dims, dataType };
  // Stored in a separate file (data_location EXTERNAL = 1): not something a single file carries.
  if (dataType !== ONNX_FLOAT || raw.data_location === 1) return { ...tensor, data: null };
  const bytes = raw.raw_data;
  if (bytes !== undefined && bytes.length > 0) {
    if (bytes.length % 4 !== 0) return { ...tensor, data: null };
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const data = new Float32Array(bytes.length / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(i * 4, true);
    return { ...tensor, data };
  }
  return { ...tensor, data: Float32Array.from(raw.float_data ?? []) };
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
