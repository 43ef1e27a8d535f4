package org.plugtorch.nn;

import static org.plugtorch.spi.Preconditions.checkArgument;

import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.PyRepr;

/**
 * The sinusoidal positional encoding of "Attention Is All You Need": {@code pe[pos, 2i] = sin(pos / 10000^(2i/d))}
 * and {@code pe[pos, 2i+1] = cos(pos / 10000^(2i/d))}, for positions below {@code maxLen} and {@code d = dModel},
 * held in the buffer {@code pe} of shape {@code [maxLen, dModel]} (computed in double precision, stored as
 * float32). {@code forward} adds the first {@code L} rows to an input of shape {@code (..., L, dModel)}.
 *
 * <p>The buffer is moved with the module and never trained. It is saved in the state dict only when
 * {@code persistent}: a non-persistent encoding is recomputed by the constructor, and a checkpoint that holds
 * {@code pe} is then an unexpected key under strict loading.
 */
public class PositionalEncoding extends Module {
    public final long dModel;
    public final long maxLen;
    public final boolean persistent;
    public final Tensor pe;

    public PositionalEncoding(long dModel, long maxLen, boolean persistent) {
        this.dModel = dModel;
        this.maxLen = maxLen;
        this.persistent = persistent;
        this.pe = buffer("pe", table(dModel, maxLen), persistent);
    }

    private static Tensor table(long dModel, long maxLen) {
        int d = Math.toIntExact(dModel);
        int rows = Math.toIntExact(maxLen);
        float[] values = new float[rows * d];
        for (int pos = 0; pos < rows; pos++) {
            for (int col = 0; col < d; col++) {
                int pair = col - col % 2;
                double angle = pos / Math.pow(10000, (double) pair / d);
                values[pos * d + col] = (float) (col % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return Tensor.fromArray(values, maxLen, dModel);
    }

    @Override
    public Tensor forward(Tensor input) {
        checkArgument(
                input.dim() >= 2,
                () -> "expected an input of shape (..., L, " + dModel + "), got " + input.dim() + "D input");
        long length = input.size(-2);
        checkArgument(length <= maxLen, () -> "sequence length " + length + " exceeds max_len=" + maxLen);
        Tensor table = (Tensor) getAttr("pe");
        return input.add(table.narrow(0, 0, length));
    }

    @Override
    public String extraRepr() {
        return "d_model=" + dModel + ", max_len=" + maxLen + ", persistent=" + PyRepr.ofBoolean(persistent);
    }
}
