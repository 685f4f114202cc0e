import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isFedfuseError, type ErrorCode } from '../common/errors/index.ts';
import { isLabeled, loadNpyDataset, loadNpyDir, readNpy, UNLABELED, writeNpy, type NpyData } from '../common/data/index.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedfuse-data-npy-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * A .npy file built by hand from the format description: "\x93NUMPY", major,
 * minor, header length (uint16 LE for 1.0, uint32 LE for 2.0), the dict text
 * padded with spaces and ended by '\n' to a multiple of `align`, the payload.
 */
function npyBytes(major: 1 | 2, dict: string, payload: Uint8Array, align = 64): Buffer {
  const lengthBytes = major === 1 ? 2 : 4;
  const prefix = 6 + 2 + lengthBytes;
  const padding = (align - ((prefix + dict.length + 1) % align)) % align;
  const header = dict + ' '.repeat(padding) + '\n';
  const pre = Buffer.alloc(prefix);
  Buffer.from([0x93, ...Buffer.from('NUMPY')]).copy(pre);
  pre[6] = major;
  if (major === 1) pre.writeUInt16LE(header.length, 8);
  else pre.writeUInt32LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), payload]);
}

/** Little-endian payload bytes, written value by value with DataView. */
function littleEndian(kind: 'f4' | 'f8' | 'i4' | 'i8', values: readonly (number | bigint)[]): Uint8Array {
  const size = kind === 'f8' || kind === 'i8' ? 8 : 4;
  const view = new DataView(new ArrayBuffer(values.length * size));
  values.forEach((v, i) => {
    if (kind === 'f4') view.setFloat32(i * size, Number(v), true);
    if (kind === 'f8') view.setFloat64(i * size, Number(v), true);
    if (kind === 'i4') view.setInt32(i * size, Number(v), true);
    if (kind === 'i8') view.setBigInt64(i * size, BigInt(v), true);
  });
  return new Uint8Array(view.buffer);
}

function file(name: string, bytes: Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

const isCode = (code: ErrorCode, message?: RegExp) => (e: unknown) => isFedfuseError(e, code) && (!message || message.test(e.message));

describe('readNpy on hand-built files', () => {
  test('version 1.0, float32, 2-D', () => {
    const a = readNpy(file('f4.npy', npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", littleEndian('f4', [0, 0.5, -1.25, 3, 1e-7, 65504]))));
    assert.equal(a.dtype, 'float32');
    assert.deepEqual(a.shape, [2, 3]);
    assert.ok(a.data instanceof Float32Array);
    assert.deepEqual([...a.data], [0, 0.5, -1.25, 3, Math.fround(1e-7), 65504]);
  });

  test('version 2.0, int64, 1-D, values beyond 2^53', () => {
    const values = [-1n, 0n, 9007199254740993n, -9223372036854775808n];
    const a = readNpy(file('i8.npy', npyBytes(2, "{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }", littleEndian('i8', values))));
    assert.equal(a.dtype, 'int64');
    assert.deepEqual([...a.data], values);
  });

  test('uint8 with |u1, float64 scalar, and the old 16-byte alignment', () => {
    const u = readNpy(file('u1.npy', npyBytes(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 1, 2), }", Uint8Array.from([0, 7, 200, 255]), 16)));
    assert.equal(u.dtype, 'uint8');
    assert.deepEqual(u.shape, [2, 1, 2]);
    assert.deepEqual([...u.data], [0, 7, 200, 255]);
    const s = readNpy(file('scalar.npy', npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", littleEndian('f8', [Math.E]))));
    assert.deepEqual(s.shape, []);
    assert.deepEqual([...s.data], [Math.E]);
  });

  test('Python 2 headers: double quotes, key order, long suffixes', () => {
    const a = readNpy(file('py2.npy', npyBytes(1, '{"shape": (3L,), "fortran_order": False, "descr": "<i4"}', littleEndian('i4', [-5, 0, 2147483647]))));
    assert.equal(a.dtype, 'int32');
    assert.deepEqual([...a.data], [-5, 0, 2147483647]);
  });

  test('what is not supported or not valid says so', () => {
    const payload4 = littleEndian('f4', [1, 2]);
    const cases: [string, Uint8Array, RegExp][] = [
      ['fortran', npyBytes(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }", payload4), /Fortran-order/],
      ['big-endian', npyBytes(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", payload4), /big-endian/],
      ['float16', npyBytes(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }", payload4), /'<f2' is not supported/],
      ['structured', npyBytes(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", payload4), /bad \.npy header/],
      ['truncated', npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", payload4), /truncated/],
      ['trailing', npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", payload4), /bytes after the data/],
      ['no-magic', Buffer.from('PK\u0003\u0004 this is a zip file'), /magic/],
      ['version-9', Buffer.concat([Buffer.from([0x93, ...Buffer.from('NUMPY'), 9, 0, 0, 0])]), /version 9/],
      ['header-cut', npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", payload4).subarray(0, 30), /truncated header/],
      ['no-shape', npyBytes(1, "{'descr': '<f4', 'fortran_order': False}", payload4), /'shape'/],
      ['junk-after', npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } x", payload4), /after the closing brace/],
    ];
    for (const [name, bytes, message] of cases) {
      assert.throws(() => readNpy(file(`${name}.npy`, bytes)), isCode('bad_message', message), name);
    }
    assert.throws(() => readNpy(path.join(dir, 'missing.npy')), isCode('invalid_argument'));
  });
});

describe('writeNpy', () => {
  const arrays: [NpyData, number[]][] = [
    [Float32Array.from([0.1, -2, 3.5, Infinity, 0, 1]), [2, 3]],
    [Float64Array.from([Math.PI, -1e-300]), [2]],
    [Uint8Array.from([0, 128, 255, 1]), [2, 2, 1]],
    [Int32Array.from([-2147483648, 0, 2147483647]), [3]],
    [BigInt64Array.from([-9223372036854775808n, 42n]), [1, 2]],
    [new Float32Array(0), [0, 784]],
  ];

  test('round-trips every dtype with its shape', () => {
    arrays.forEach(([data, shape], k) => {
      const p = path.join(dir, `rt-${k}.npy`);
      writeNpy(p, data, shape);
      const back = readNpy(p);
      assert.deepEqual(back.shape, shape);
      assert.equal(back.data.constructor, data.constructor);
      assert.deepEqual([...back.data], [...data]);
    });
  });

  test('writes the layout of the spec: version 1.0, 64-byte aligned data, the expected dict', () => {
    const p = path.join(dir, 'layout.npy');
    writeNpy(p, Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    const bytes = fs.readFileSync(p);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLength = bytes.readUInt16LE(8);
    assert.equal((10 + headerLength) % 64, 0);
    const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
    assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    assert.equal(bytes.length, 10 + headerLength + 24);
    assert.equal(bytes.readFloatLE(10 + headerLength + 4 * 5), 6);
    writeNpy(p, Uint8Array.from([1, 2, 3]), [3]);
    const oneD = fs.readFileSync(p);
    assert.match(oneD.subarray(10, 10 + oneD.readUInt16LE(8)).toString('latin1'), /'descr': '\|u1'.*'shape': \(3,\)/);
  });

  test('a shape that does not match the data is invalid_argument', () => {
    assert.throws(() => writeNpy(path.join(dir, 'bad.npy'), new Float32Array(5), [2, 3]), isCode('invalid_argument'));
  });

  const numpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
  test(
    'numpy reads what we write and we read what numpy writes',
    { skip: numpy ? false : 'python3 with numpy is not installed; the hand-built files above cover the format' },
    () => {
      const ours = path.join(dir, 'ours.npy');
      writeNpy(ours, Float32Array.from([1.5, -2, 0.25, 8]), [2, 2]);
      const theirs = path.join(dir, 'theirs');
      const script = [
        'import numpy as np, sys',
        `a = np.load(${JSON.stringify(ours)})`,
        'assert a.dtype == np.float32 and a.shape == (2, 2) and a.tolist() == [[1.5, -2.0], [0.25, 8.0]], a',
        `np.save(${JSON.stringify(theirs + '-i8.npy')}, np.array([3, -4, 2**40], dtype=np.int64))`,
        `np.save(${JSON.stringify(theirs + '-u1.npy')}, np.arange(24, dtype=np.uint8).reshape(2, 3, 4))`,
        `np.save(${JSON.stringify(theirs + '-f8.npy')}, np.array([[0.1, 0.2]]))`,
        `np.save(${JSON.stringify(theirs + '-fortran.npy')}, np.asfortranarray(np.ones((2, 3), dtype=np.float32)))`,
      ].join('\n');
      const run = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual([...readNpy(`${theirs}-i8.npy`).data], [3n, -4n, 2n ** 40n]);
      const u1 = readNpy(`${theirs}-u1.npy`);
      assert.deepEqual(u1.shape, [2, 3, 4]);
      assert.deepEqual([...u1.data], Array.from({ length: 24 }, (_, i) => i));
      assert.deepEqual([...readNpy(`${theirs}-f8.npy`).data], [0.1, 0.2]);
      assert.throws(() => readNpy(`${theirs}-fortran.npy`), isCode('bad_message', /Fortran/));
    },
  );
});

describe('loadNpyDataset and loadNpyDir', () => {
  const u8 = (name: string, data: number[], shape: number[]): string => {
    const p = path.join(dir, name);
    writeNpy(p, Uint8Array.from(data), shape);
    return p;
  };

  test('uint8 images are scaled to [0, 1]; int64 labels become Int32; numClasses from the largest label', () => {
    const images = u8('imgs-u8.npy', [0, 255, 51, 102, 0, 0, 255, 255, 1, 2, 3, 4], [3, 2, 2]);
    const labels = path.join(dir, 'labels-i8.npy');
    writeNpy(labels, BigInt64Array.from([2n, 0n, 4n]), [3]);
    const ds = loadNpyDataset(images, labels);
    assert.equal(ds.name, 'imgs-u8');
    assert.equal(ds.count, 3);
    assert.deepEqual(ds.sampleShape, [2, 2]);
    assert.deepEqual([...ds.images.subarray(0, 4)], [0, 1, Math.fround(0.2), Math.fround(0.4)]);
    assert.ok(ds.labels instanceof Int32Array);
    assert.deepEqual([...ds.labels], [2, 0, 4]);
    assert.equal(ds.numClasses, 5);
    assert.equal(loadNpyDataset(images, labels, { numClasses: 10, name: 'x' }).numClasses, 10);
    assert.throws(() => loadNpyDataset(images, labels, { numClasses: 4 }), isCode('invalid_argument'));
  });

  test('float images are kept as they are (float64 narrowed to float32)', () => {
    const p = path.join(dir, 'imgs-f8.npy');
    writeNpy(p, Float64Array.from([-0.5, 2.25, 0.1, 7]), [2, 2]);
    const ds = loadNpyDataset(p);
    assert.deepEqual([...ds.images], [-0.5, 2.25, Math.fround(0.1), 7]);
    assert.deepEqual(ds.sampleShape, [2]);
  });

  test('without labels the set is unlabelled: every label is -1', () => {
    const ds = loadNpyDataset(u8('calib.npy', [1, 2, 3, 4, 5, 6], [3, 2]));
    assert.deepEqual([...ds.labels], [UNLABELED, UNLABELED, UNLABELED]);
    assert.equal(ds.numClasses, 0);
    assert.equal(isLabeled(ds), false);
  });

  test('unusable arrays are rejected with the reason', () => {
    const images = u8('imgs-3.npy', new Array<number>(12).fill(9), [3, 4]);
    const labelsFile = (name: string, data: NpyData, shape: number[]): string => {
      const p = path.join(dir, name);
      writeNpy(p, data, shape);
      return p;
    };
    const cases: [string, () => unknown, ErrorCode, RegExp][] = [
      ['int64 label beyond int32', () => loadNpyDataset(images, labelsFile('big.npy', BigInt64Array.from([1n, 2n ** 31n, 0n]), [3])), 'invalid_argument', /does not fit in int32/],
      ['negative label', () => loadNpyDataset(images, labelsFile('neg.npy', Int32Array.from([1, -1, 0]), [3])), 'invalid_argument', /negative/],
      ['float labels', () => loadNpyDataset(images, labelsFile('fl.npy', Float32Array.from([1, 0, 0]), [3])), 'invalid_argument', /integers/],
      ['label count', () => loadNpyDataset(images, labelsFile('two.npy', Int32Array.from([1, 0]), [2])), 'invalid_argument', /3 samples but/],
      ['2-D labels', () => loadNpyDataset(images, labelsFile('2d.npy', Int32Array.from([1, 0, 1]), [3, 1])), 'invalid_argument', /shape \(count,\)/],
      ['1-D images', () => loadNpyDataset(u8('flat.npy', [1, 2, 3], [3])), 'invalid_argument', /count, \.\.\.sample shape/],
      ['int images', () => loadNpyDataset(labelsFile('int-imgs.npy', Int32Array.from([1, 2]), [1, 2])), 'invalid_argument', /uint8.*or float/],
      ['NaN pixel', () => loadNpyDataset(labelsFile('nan.npy', Float32Array.from([0, Number.NaN]), [1, 2])), 'non_finite', /not finite/],
    ];
    for (const [name, load, code, message] of cases) assert.throws(load, isCode(code, message), name);
  });

  test('loadNpyDir reads images.npy with or without labels.npy', () => {
    const labelled = path.join(dir, 'labelled-set');
    fs.mkdirSync(labelled);
    writeNpy(path.join(labelled, 'images.npy'), Uint8Array.from([0, 255, 255, 0]), [2, 2]);
    writeNpy(path.join(labelled, 'labels.npy'), BigInt64Array.from([1n, 0n]), [2]);
    const ds = loadNpyDir(labelled);
    assert.equal(ds.name, 'labelled-set');
    assert.deepEqual([...ds.labels], [1, 0]);
    assert.deepEqual([...ds.images], [0, 1, 1, 0]);
    fs.rmSync(path.join(labelled, 'labels.npy'));
    assert.deepEqual([...loadNpyDir(labelled).labels], [UNLABELED, UNLABELED]);
    assert.throws(() => loadNpyDir(path.join(dir, 'no-such-dir')), isCode('invalid_argument', /images\.npy/));
  });
});
