// The weights of .onnx files handled at protobuf's wire level (onnx-wire.ts), in slices: what we
// write decodes in protobufjs whole, as any ONNX reader would; a file protobufjs writes whole, with
// raw_data, packed float_data or unpacked float_data, decodes to the same values; damaged bytes are
// refused as "not an ONNX model"; and a large model is encoded and decoded in many short slices.
import { describe, expect, it } from 'vitest';
import { ONNX_FLOAT, type OnnxModel } from '../../src/engine/files/onnx-graph';
import type { Sliced } from '../../src/engine/files/slices';
import { ONNX_STRUCTURE_MAX_BYTES, OnnxFileError, decodeOnnx, decodeOnnxInSlices, encodeOnnx, encodeOnnxInSlices } from '../../src/node/onnx/onnx-codec';
import { modelProtoType } from '../../src/node/onnx/onnx-schema';
import { encodeVarint } from '../../src/node/onnx/onnx-wire';

/** A two-layer MLP's graph with weights counted up from `first`, so every value is distinct. */
function mlp(inputs: number, hidden: number, first = 0.5): OnnxModel {
  const values = (count: number, from: number): Float32Array => Float32Array.from({ length: count }, (_, i) => from + i / 1024);
  return {
    irVersion: 7,
    opset: 13,
    producerName: 'test',
    producerVersion: '1',
    metadata: [{ key: 'name', value: 'wire' }],
    graph: {
      name: 'g',
      docString: 'doc',
      nodes: [
        { name: 'dense1', opType: 'Gemm', domain: '', inputs: ['image', 'w1', 'b1'], outputs: ['h'], attributes: [{ name: 'transB', kind: 'int', value: 0 }] },
        { name: 'relu1', opType: 'Relu', domain: '', inputs: ['h'], outputs: ['r'], attributes: [] },
        { name: 'dense2', opType: 'Gemm', domain: '', inputs: ['r', 'w2', 'b2'], outputs: ['logits'], attributes: [{ name: 'alpha', kind: 'float', value: 1 }] },
      ],
      initializers: [
        { name: 'w1', dims: [inputs, hidden], dataType: ONNX_FLOAT, data: values(inputs * hidden, first) },
        { name: 'b1', dims: [hidden], dataType: ONNX_FLOAT, data: values(hidden, -1) },
        { name: 'w2', dims: [hidden, 10], dataType: ONNX_FLOAT, data: values(hidden * 10, 2) },
        { name: 'b2', dims: [10], dataType: ONNX_FLOAT, data: values(10, 3) },
      ],
      inputs: [{ name: 'image', elemType: ONNX_FLOAT, shape: ['N', inputs] }],
      outputs: [{ name: 'logits', elemType: ONNX_FLOAT, shape: ['N', 10] }],
    },
  };
}

/** The model written by protobufjs in one piece, its weights in the given field. */
function protobufjsBytes(model: OnnxModel, field: 'raw_data' | 'float_data'): Uint8Array {
  const type = modelProtoType();
  const { graph } = model;
  return type
    .encode(
      type.fromObject({
        ir_version: model.irVersion,
        opset_import: [{ domain: '', version: model.opset }],
        producer_name: model.producerName,
        graph: {
          name: graph.name,
          node: graph.nodes.map((n) => ({ name: n.name, op_type: n.opType, input: n.inputs, output: n.outputs })),
          initializer: graph.initializers.map((t) => ({
            name: t.name,
            dims: t.dims,
            data_type: ONNX_FLOAT,
            [field]: field === 'raw_data' ? new Uint8Array((t.data as Float32Array).slice().buffer) : Array.from(t.data as Float32Array),
          })),
        },
      }),
    )
    .finish();
}

/** Packed float_data rewritten as unpacked: one field (tag 4, 32-bit) per value, as proto2 writers without [packed] do. */
function unpackFloats(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 5);
  const bytes = new Uint8Array(values.slice().buffer);
  for (let i = 0; i < values.length; i++) {
    out[5 * i] = (4 << 3) | 5;
    out.set(bytes.subarray(4 * i, 4 * i + 4), 5 * i + 1);
  }
  return out;
}

const weightsOf = (model: OnnxModel): number[][] => model.graph.initializers.map((t) => Array.from(t.data ?? []));

function countSlices<T>(work: Sliced<T>): { value: T; slices: number } {
  let slices = 0;
  for (;;) {
    const step = work.next();
    if (step.done) return { value: step.value, slices };
    slices++;
  }
}

describe('.onnx weights at the wire level', () => {
  it('writes what protobufjs decodes whole, with every value and the graph as given', () => {
    const model = mlp(16, 8);
    const raw = modelProtoType().toObject(modelProtoType().decode(encodeOnnx(model)), { longs: Number }) as {
      producer_name: string;
      graph: { name: string; node: { name: string }[]; initializer: { name: string; dims: number[]; raw_data: Uint8Array }[] };
    };
    expect(raw.producer_name).toBe('test');
    expect(raw.graph.node.map((n) => n.name)).toEqual(['dense1', 'relu1', 'dense2']);
    expect(raw.graph.initializer.map((t) => [t.name, t.dims])).toEqual(model.graph.initializers.map((t) => [t.name, t.dims]));
    for (const [i, tensor] of raw.graph.initializer.entries()) {
      const copy = new Uint8Array(tensor.raw_data);
      expect(Array.from(new Float32Array(copy.buffer))).toEqual(Array.from(model.graph.initializers[i].data ?? []));
    }
    expect(decodeOnnx(encodeOnnx(model), 'wire.onnx')).toEqual(model);
  });

  it('reads the weights protobufjs wrote whole, as raw_data, packed float_data and unpacked float_data', () => {
    const model = mlp(12, 6);
    expect(weightsOf(decodeOnnx(protobufjsBytes(model, 'raw_data'), 'raw.onnx'))).toEqual(weightsOf(model));
    const packed = protobufjsBytes(model, 'float_data');
    expect(weightsOf(decodeOnnx(packed, 'packed.onnx'))).toEqual(weightsOf(model));

    // A graph of one node whose one initializer holds its values one field per value.
    const values = Float32Array.of(0.25, -1.5, 3);
    const tensor = [...tensorHead('u'), ...unpackFloats(values)];
    const graph = [...lengthField(1, reluNode()), ...lengthField(5, tensor)];
    const file = Uint8Array.from(lengthField(7, graph));
    const decoded = decodeOnnx(file, 'unpacked.onnx');
    expect(decoded.graph.nodes.map((n) => n.opType)).toEqual(['Relu']);
    expect(decoded.graph.initializers).toEqual([{ name: 'u', dims: [3], dataType: ONNX_FLOAT, data: values }]);
  });

  it('refuses damaged bytes as not an ONNX model, and a file of two graphs', () => {
    const bytes = encodeOnnx(mlp(8, 4));
    for (const cut of [1, 2, 7, 40, bytes.length - 3]) {
      expect(() => decodeOnnx(bytes.subarray(0, cut), 'cut.onnx'), String(cut)).toThrow(OnnxFileError);
      expect(() => decodeOnnx(bytes.subarray(0, cut), 'cut.onnx')).toThrow(/^cut\.onnx is not an ONNX model/);
    }
    const twice = new Uint8Array([...bytes, ...bytes]);
    expect(() => decodeOnnx(twice, 'twice.onnx')).toThrow(/twice\.onnx is not an ONNX model: its bytes do not decode as one \(it holds two graphs\)/);
    // Megabytes besides the weights (here a doc string) are refused before protobufjs decodes them.
    const padded = encodeOnnx({ ...mlp(8, 4), graph: { ...mlp(8, 4).graph, docString: 'x'.repeat(ONNX_STRUCTURE_MAX_BYTES + 1024 * 1024) } });
    const started = performance.now();
    expect(() => decodeOnnx(padded, 'padded.onnx')).toThrow(
      /^padded\.onnx holds 5 MiB besides its weights \(nodes, attributes, metadata\), more than the 4 MiB an MLP's graph needs; it was not read further\.$/,
    );
    expect(performance.now() - started).toBeLessThan(1000);
        // A group (wire type 3) is not something ONNX writes.
    expect(() => decodeOnnx(Uint8Array.of((7 << 3) | 3), 'group.onnx')).toThrow(/wire type 3/);
  });

  it('encodes and decodes a large model in many short slices', () => {
    const model = mlp(784, 512);
    const encoded = countSlices(encodeOnnxInSlices(model));
    // 400 000 weights, 64 Ki values a slice.
    expect(encoded.slices).toBeGreaterThanOrEqual(6);
    const decoded = countSlices(decodeOnnxInSlices(encoded.value, 'large.onnx'));
    expect(decoded.slices).toBeGreaterThanOrEqual(6);
    expect(decoded.value).toEqual(model);
  });
});

/** A length-delimited field: its tag, its length, its bytes. */
function lengthField(field: number, content: readonly number[]): number[] {
  return [(field << 3) | 2, ...encodeVarint(content.length), ...content];
}

/** A TensorProto's name, dims [3] and data type FLOAT (fields 8, 1 and 2). */
function tensorHead(name: string): number[] {
  return [...lengthField(8, [...new TextEncoder().encode(name)]), (1 << 3) | 0, 3, (2 << 3) | 0, ONNX_FLOAT];
}

/** A NodeProto: Relu (op_type, field 4) of "x" (input, 1) to "y" (output, 2). */
function reluNode(): number[] {
  const text = (value: string): number[] => [...new TextEncoder().encode(value)];
  return [...lengthField(1, text('x')), ...lengthField(2, text('y')), ...lengthField(4, text('Relu'))];
}
