import * as tf from '@tensorflow/tfjs';

/** The design rows of a level: all of them, or a sorted sample of (sample, position) rows of a conv layer. */
export class RowSelection {
  private readonly indices: tf.Tensor1D | null;

  constructor(readonly rowIndices: Int32Array | null) {
    this.indices = rowIndices === null ? null : tf.tensor1d(rowIndices, 'int32');
  }

  /** The selected rows of a layer output ([n, units] or NHWC [n, h, w, c]) as [rows, c]. */
  of(t: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const flat = tf.reshape(t, [-1, t.shape[t.shape.length - 1]!]) as tf.Tensor2D;
      return this.indices === null ? flat : tf.gather(flat, this.indices);
    });
  }

  dispose(): void {
    this.indices?.dispose();
  }
}
