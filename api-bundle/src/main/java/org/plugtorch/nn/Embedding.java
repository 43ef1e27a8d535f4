package org.plugtorch.nn;

import static org.plugtorch.spi.Preconditions.checkArgument;

import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.GradMode;
import org.plugtorch.Tensor;

/**
 * A lookup table of {@code numEmbeddings} rows of {@code embeddingDim}, as PyTorch's {@code Embedding}: the weight
 * is initialised from the standard normal distribution of the default generator (PyTorch's values for a seed),
 * with the padding row, when there is one, zeroed and never trained. See {@link Functional#embedding} for how the
 * lookup runs on every backend.
 */
public class Embedding extends Module {
    public final long numEmbeddings;
    public final long embeddingDim;
    /** The row that stays zero and gets no gradient, or null. */
    public final Long paddingIdx;

    public final Parameter weight;

    public Embedding(long numEmbeddings, long embeddingDim) {
        this(numEmbeddings, embeddingDim, null);
    }

    /** A table whose row {@code paddingIdx} (negative counts from the end) is padding. */
    public Embedding(long numEmbeddings, long embeddingDim, Long paddingIdx) {
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        if (paddingIdx != null) {
            checkArgument(
                    paddingIdx < numEmbeddings && paddingIdx >= -numEmbeddings,
                    "Padding_idx must be within num_embeddings");
            paddingIdx = paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        }
        this.paddingIdx = paddingIdx;
        this.weight =
                parameter("weight", Tensor.zeros(new long[] {numEmbeddings, embeddingDim}, DType.FLOAT32, Device.CPU));
        resetParameters();
    }

    /** PyTorch's {@code reset_parameters}: standard normal samples, then the padding row zeroed. */
    public void resetParameters() {
        Tensor w = (Tensor) getAttr("weight");
        GradMode scope = GradMode.noGrad();
        try {
            w.normal_(0, 1);
            if (paddingIdx != null) {
                w.select(0, paddingIdx).zero_();
            }
        } finally {
            scope.close();
        }
    }

    /** The rows picked by integer {@code indices}: the indices' shape plus {@code embeddingDim}. */
    @Override
    public Tensor forward(Tensor indices) {
        return Functional.embedding(indices, (Tensor) getAttr("weight"), paddingIdx);
    }

    @Override
    public String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx == null ? "" : ", padding_idx=" + paddingIdx);
    }
}
